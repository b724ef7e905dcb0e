-- The staging schema (idempotent; every staging writer may run it first).
CREATE SCHEMA IF NOT EXISTS staging;
