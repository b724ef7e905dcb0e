-- 1 when raw.brain_calls exists, else 0.
SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw' AND table_name = 'brain_calls';
