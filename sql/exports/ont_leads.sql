-- exports.ont_leads: the rows upserted into PostgreSQL table ont_leads (asset exports/ont_leads).
-- DuckDB: the rows of ont_leads, read from marts.lead_status in key order (batches stream from here).
SELECT lead_id, phone_e164, business_name, coalesce(is_synthetic, false) AS is_synthetic, status,
       attempts, last_call_ts, last_outcome, captured_email
FROM marts.lead_status
ORDER BY lead_id;
