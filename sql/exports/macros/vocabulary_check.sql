-- Replace a vocabulary CHECK on an ont_* table (composed by pipelines/exports/schema.py with
-- psycopg.sql: {table}, {constraint}, {old_constraint}, {column} are identifiers, {values} a literal
-- list from vocabulary/outcomes.py). The constraint name carries a hash of the vocabulary, so
-- this runs only when the vocabulary changed.
ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {old_constraint};
ALTER TABLE {table} ADD CONSTRAINT {constraint} CHECK ({column} IS NULL OR {column} = ANY ({values}::text[]));
