-- One batch of an ont_* export (PostgreSQL; composed by pipelines/exports/upsert.py with
-- psycopg.sql — braced names are identifiers and literal vocabularies, never values from the data).
-- Keeps the last staged row per key, skips rows that break NOT NULL / vocabulary (counted as
-- rejected), inserts new keys, updates only rows whose values changed. Returns
-- (inserted, updated, candidates, rejected).
WITH valid AS (
    SELECT * FROM {stage} WHERE {valid}
),
candidates AS (
    SELECT DISTINCT ON ({key}) {columns} FROM valid ORDER BY {key}, ord DESC
),
written AS (
    INSERT INTO {table} ({columns})
    SELECT {columns} FROM candidates
    ON CONFLICT ({key}) DO UPDATE SET {set_columns}, updated_at = now()
    WHERE ({old_values}) IS DISTINCT FROM ({new_values})
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted),
       count(*) FILTER (WHERE NOT inserted),
       (SELECT count(*) FROM candidates),
       (SELECT count(*) FROM {stage}) - (SELECT count(*) FROM valid)
FROM written;
