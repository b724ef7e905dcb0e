-- The raw phone values of the staged lead records, for the E.164 lookup (staging/leads/phone_lookup.sql).
CREATE OR REPLACE TEMP TABLE phone_inputs AS
SELECT DISTINCT phone_raw AS raw FROM lead_fields WHERE reject_reason IS NULL AND phone_raw IS NOT NULL;
