-- exports.ont_calls: the rows upserted into PostgreSQL table ont_calls (asset exports/ont_calls).
-- DuckDB: the rows of ont_calls, read from staging.calls in key order.
SELECT call_id, lead_id, campaign_id, prompt_version, coalesce(is_synthetic, false) AS is_synthetic,
       direction, call_status, from_number_e164, to_number_e164, start_ts, end_ts, duration_s,
       disconnection_reason, cost_usd
FROM staging.calls
ORDER BY call_id;
