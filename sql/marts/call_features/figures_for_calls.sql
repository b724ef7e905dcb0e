-- The figures `make demo` prints for one run's calls ($call_ids): dialled (calls in staging.calls),
-- connected (answered, marts.call_features), emails captured (answered calls with an address in a
-- caller line), DNC (journeys outcome `dnc`), and the size of the suppression list after the run.
SELECT
    (SELECT count(*) FROM staging.calls WHERE list_contains($call_ids, call_id)) AS dialled,
    (SELECT count(*) FROM marts.call_features WHERE answered AND list_contains($call_ids, call_id)) AS connected,
    (SELECT count(*) FROM marts.call_features
        WHERE answered AND email_captured AND list_contains($call_ids, call_id)) AS emails_captured,
    (SELECT count(*) FROM marts.customer_journeys
        WHERE outcome = 'dnc' AND list_contains($call_ids, call_id)) AS dnc,
    (SELECT count(*) FROM marts.suppression_list) AS suppressed_numbers;
