-- Checks and figures of marts.customer_journeys; $precedence = the outcome vocabulary.
SELECT
    (SELECT count(*) FROM staging.calls) AS calls,
    count(DISTINCT call_id) AS distinct_call_ids,
    count(*) FILTER (WHERE list_position($precedence, outcome) IS NULL) AS unknown_outcomes,
    count(*) FILTER (WHERE start_ts IS NOT NULL AND (outcome_ts IS NULL OR outcome_ts < start_ts)) AS bad_outcome_ts,
    count(*) FILTER (WHERE lead_id IS NOT NULL) AS matched_to_a_lead
FROM marts.customer_journeys;
