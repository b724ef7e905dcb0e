-- Make sure marts.suppression_list exists (empty) before anything filters against it; the
-- suppression_list asset (marts/suppression_list.sql) fills it.
CREATE SCHEMA IF NOT EXISTS marts;
CREATE TABLE IF NOT EXISTS marts.suppression_list (
    phone_e164 VARCHAR,
    reason     VARCHAR,
    source     VARCHAR,
    added_at   TIMESTAMP
);
