-- Is call_id unique in raw.brain_calls (no key constraint: see pipelines/platform/key_checks.py)?
-- rows, distinct keys, one duplicated key (NULL when none).
SELECT
    count(*) AS row_count,
    count(DISTINCT call_id) AS distinct_keys,
    (SELECT call_id FROM raw.brain_calls GROUP BY call_id HAVING count(*) > 1 ORDER BY call_id LIMIT 1) AS duplicated_key
FROM raw.brain_calls;
