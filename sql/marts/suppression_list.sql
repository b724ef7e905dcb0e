-- marts.suppression_list: numbers that must never be called, one row per E.164 phone (earliest
-- entry wins). Sources: DNC files from $DATA_DIR/inbox/dnc (raw.dnc_entries). Journeys add the
-- calls whose outcome was `dnc` here (UNION ALL another entries branch).
CREATE SCHEMA IF NOT EXISTS marts;
CREATE OR REPLACE TABLE marts.suppression_list AS
WITH entries AS (
    SELECT phone_e164, 'dnc_list' AS reason, source_file AS source, ingested_at AS added_at
    FROM raw.dnc_entries
    WHERE phone_e164 IS NOT NULL
    UNION ALL
    -- every number that asked not to be called in a call (journeys outcome `dnc`; engineer D2)
    SELECT contact_number_e164 AS phone_e164, 'dnc_call' AS reason, 'call:' || call_id AS source,
           coalesce(outcome_ts, TIMESTAMP '1970-01-01 00:00:00') AS added_at
    FROM marts.customer_journeys
    WHERE outcome = 'dnc' AND contact_number_e164 IS NOT NULL
)
SELECT phone_e164,
       arg_min(reason, added_at) AS reason,
       arg_min(source, added_at) AS source,
       min(added_at) AS added_at
FROM entries
GROUP BY phone_e164;
