-- Is path unique in raw.landing_files (no key constraint: see pipelines/platform/key_checks.py)?
-- rows, distinct keys, one duplicated key (NULL when none).
SELECT
    count(*) AS row_count,
    count(DISTINCT path) AS distinct_keys,
    (SELECT path FROM raw.landing_files GROUP BY path HAVING count(*) > 1 ORDER BY path LIMIT 1) AS duplicated_key
FROM raw.landing_files;
