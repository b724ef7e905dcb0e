-- One batch of an ont_* export (PostgreSQL; composed by pipelines/exports/upsert.py with
-- psycopg.sql — braced names are identifiers and literal vocabularies, never values from the data).
-- Keeps the last staged row per key, skips rows that break NOT NULL / vocabulary (counted as
-- rejected), leaves rows equal to the stored ones alone (not even locked: no write at all),
-- inserts new keys and updates changed rows. The ON CONFLICT … WHERE repeats the comparison for a
-- row another session wrote meanwhile. Returns (inserted, updated, candidates, rejected).
WITH valid AS (
    SELECT * FROM {stage} WHERE {valid}
),
candidates AS (
    SELECT DISTINCT ON ({key}) {columns} FROM valid ORDER BY {key}, ord DESC
),
changed AS (
    SELECT c.* FROM candidates AS c
    WHERE NOT EXISTS (
        SELECT 1 FROM {table} AS t WHERE ({key_t}) = ({key_c}) AND ({old_values_t}) IS NOT DISTINCT FROM ({new_values_c})
    )
),
written AS (
    INSERT INTO {table} ({columns})
    SELECT {columns} FROM changed
    ON CONFLICT ({key}) DO UPDATE SET {set_columns}, updated_at = now()
    WHERE ({old_values}) IS DISTINCT FROM ({new_values})
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted),
       count(*) FILTER (WHERE NOT inserted),
       (SELECT count(*) FROM candidates),
       (SELECT count(*) FROM {stage}) - (SELECT count(*) FROM valid)
FROM written;
