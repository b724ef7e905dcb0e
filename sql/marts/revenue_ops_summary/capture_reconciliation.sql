-- The report's reconciliation of two capture counts on the same calls, per journey outcome:
--   captures      the scorecard's "Email captures": answered calls with an address in a caller line;
--   journey_only  calls whose journey outcome is email_captured without being such a capture (the
--                 brain captured the address, or the call was not answered).
-- A capture whose journey outcome is not email_captured lost to a higher-precedence outcome (dnc first).
SELECT coalesce(outcome, 'none') AS outcome,
       count(*) FILTER (WHERE answered AND email_captured) AS captures,
       count(*) FILTER (WHERE outcome = 'email_captured' AND NOT (answered AND email_captured)) AS journey_only
FROM marts.call_features
GROUP BY ALL
ORDER BY outcome;
