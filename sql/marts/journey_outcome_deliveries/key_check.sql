-- Is call_id unique in marts.journey_outcome_deliveries (no key constraint: see pipelines/platform/key_checks.py)?
-- rows, distinct keys, one duplicated key (NULL when none).
SELECT
    count(*) AS row_count,
    count(DISTINCT call_id) AS distinct_keys,
    (SELECT call_id FROM marts.journey_outcome_deliveries GROUP BY call_id HAVING count(*) > 1 ORDER BY call_id LIMIT 1) AS duplicated_key
FROM marts.journey_outcome_deliveries;
