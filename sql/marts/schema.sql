-- The marts schema (idempotent; every marts writer may run it first).
CREATE SCHEMA IF NOT EXISTS marts;
