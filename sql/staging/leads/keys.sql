-- Narrow per-record keys of the accepted lead records (temp table lead_keys): normalised phone,
-- domain, email and state, the dedupe key and how complete the record is. Inputs: lead_fields,
-- phone_lookup, ref_us_states. Dedupe key: E.164 phone, else website domain, else name+city+state.
CREATE OR REPLACE TEMP TABLE lead_keys AS
WITH normalised AS (
    SELECT f.row_id, f.ingested_at, f.source_file, f.record_no,
           p.e164 AS phone_e164,
           nullif(regexp_extract(lower(f.website_raw), '^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?([^/:?#\s@]+)', 1), '') AS domain_raw,
           CASE WHEN regexp_full_match(f.email_raw, '[^@\s]+@[^@\s]+\.[a-z]{2,}') THEN f.email_raw END AS email,
           s.state_code,
           f.business_name, f.city, f.state_raw,
           (f.business_name IS NOT NULL)::INT + (f.website_raw IS NOT NULL)::INT + (f.category IS NOT NULL)::INT
             + (f.city IS NOT NULL)::INT + (f.state_raw IS NOT NULL)::INT + (f.employees IS NOT NULL)::INT
             + (f.reviews_count IS NOT NULL)::INT + (f.rating IS NOT NULL)::INT AS field_count
    FROM lead_fields AS f
    LEFT JOIN phone_lookup AS p ON p.raw = f.phone_raw
    LEFT JOIN ref_us_states AS s ON s.state_key = lower(f.state_raw)
    WHERE f.reject_reason IS NULL
)
SELECT row_id, ingested_at, source_file, record_no, phone_e164, email, state_code,
       CASE WHEN contains(domain_raw, '.') THEN domain_raw END AS website_domain,
       CASE WHEN phone_e164 IS NOT NULL THEN 'phone:' || phone_e164
            WHEN contains(domain_raw, '.') THEN 'web:' || domain_raw
            ELSE 'name:' || lower(coalesce(business_name, '')) || '|' || lower(coalesce(city, ''))
                 || '|' || coalesce(state_code, upper(state_raw), '')
       END AS dedupe_key,
       field_count + (phone_e164 IS NOT NULL)::INT + (email IS NOT NULL)::INT AS completeness
FROM normalised;
