-- exports.ont_call_outcomes: the rows upserted into PostgreSQL table ont_call_outcomes (asset exports/ont_call_outcomes).
-- DuckDB: the rows of ont_call_outcomes, read from marts.customer_journeys in key order. A row
-- that allows no follow-up (dnc) never carries the captured email.
SELECT call_id, lead_id, outcome, outcome_ts,
       CASE WHEN follow_up_allowed THEN captured_email END AS captured_email,
       CASE WHEN follow_up_allowed THEN captured_email_is_generic END AS captured_email_is_generic,
       coalesce(objections, []::VARCHAR[]) AS objections,
       coalesce(follow_up_allowed, false) AS follow_up_allowed
FROM marts.customer_journeys
ORDER BY call_id;
