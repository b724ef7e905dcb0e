-- Checks of the call queue: duplicate phones and suppressed numbers (both expected 0).
SELECT
    (SELECT count(*) - count(DISTINCT phone_e164) FROM marts.call_queue) AS duplicate_phones,
    (SELECT count(*) FROM marts.call_queue AS q JOIN marts.suppression_list AS s USING (phone_e164)) AS suppressed_in_queue;
