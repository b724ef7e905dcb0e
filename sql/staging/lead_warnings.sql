-- staging.lead_warnings: every cell that was left empty (NULL) instead of costing its lead, and
-- every file-level note from ingest (e.g. the encoding it was read in). One row per (file, record,
-- field, value, reason); the lead itself was kept. Inputs: lead_fields, lead_keys (temp tables),
-- raw.lead_ingest_warnings. `field` is the canonical column name (pipelines/leads/fields.py).
CREATE SCHEMA IF NOT EXISTS staging;
CREATE OR REPLACE TABLE staging.lead_warnings AS
WITH numeric_cells AS (   -- only the rare records with a bad number are unpacked
    SELECT source, source_file, record_no,
           unnest([
               {'field': 'employee_count', 'value': employees_raw, 'ok': employees IS NOT NULL},
               {'field': 'annual_revenue', 'value': revenue_raw, 'ok': annual_revenue IS NOT NULL},
               {'field': 'reviews_count', 'value': reviews_raw, 'ok': reviews_count IS NOT NULL},
               {'field': 'locations_count', 'value': locations_raw, 'ok': locations_count IS NOT NULL},
               {'field': 'rating', 'value': rating_raw, 'ok': rating IS NOT NULL},
               {'field': 'ad_spend_monthly', 'value': spend_a_raw, 'ok': lead_number(spend_a_raw) IS NOT NULL},
               {'field': 'google_ads_monthly', 'value': spend_b_raw, 'ok': lead_number(spend_b_raw) IS NOT NULL},
               {'field': 'meta_ads_monthly', 'value': spend_c_raw, 'ok': lead_number(spend_c_raw) IS NOT NULL}
           ]) AS cell
    FROM lead_fields
    WHERE reject_reason IS NULL AND type_errors <> ''
),
channel_cells AS (
    SELECT f.source, f.source_file, f.record_no,
           unnest([
               {'field': 'phone', 'value': f.phone_raw, 'ok': f.phone_raw IS NULL OR k.phone_e164 IS NOT NULL,
                'reason': 'not a phone number: left empty'},
               {'field': 'email', 'value': f.email_raw, 'ok': f.email_raw IS NULL OR k.email IS NOT NULL,
                'reason': 'not an email address: left empty'},
               {'field': 'website', 'value': f.website_raw, 'ok': f.website_raw IS NULL OR k.website_domain IS NOT NULL,
                'reason': 'not a website: left empty'}
           ]) AS cell
    FROM lead_fields AS f
    JOIN lead_keys AS k ON k.row_id = f.row_id
    WHERE (f.phone_raw IS NOT NULL AND k.phone_e164 IS NULL)
       OR (f.email_raw IS NOT NULL AND k.email IS NULL)
       OR (f.website_raw IS NOT NULL AND k.website_domain IS NULL)
)
SELECT source, source_file, record_no, 'staging' AS stage, cell.field AS field, left(cell.value, 200) AS value,
       'not a number: left empty' AS reason
FROM numeric_cells WHERE cell.value IS NOT NULL AND NOT cell.ok
UNION ALL
SELECT source, source_file, record_no, 'staging', cell.field, left(cell.value, 200), cell.reason
FROM channel_cells WHERE NOT cell.ok
UNION ALL
SELECT source, source_file, record_no, 'ingest', field, value, reason
FROM raw.lead_ingest_warnings
-- ordered, DuckDB compresses the rows while inserting them (see staging/leads.sql)
ORDER BY source_file, record_no, field;
