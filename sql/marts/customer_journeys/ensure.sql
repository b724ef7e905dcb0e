-- Make sure marts.customer_journeys exists (empty, with the columns the suppression list reads)
-- before marts.suppression_list reads its `dnc` calls; the customer_journeys asset
-- (marts/customer_journeys.sql) replaces it with the real table.
CREATE SCHEMA IF NOT EXISTS marts;
CREATE TABLE IF NOT EXISTS marts.customer_journeys (
    call_id             VARCHAR,
    contact_number_e164 VARCHAR,
    outcome             VARCHAR,
    outcome_ts          TIMESTAMP
);
