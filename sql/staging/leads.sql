-- staging.leads: one row per business after normalisation and dedupe, raw record kept for audit.
-- Inputs: temp tables lead_fields (staging/lead_fields.sql), phone_lookup (staging/phone_lookup.sql),
-- ref_us_states / ref_city_timezones (pipelines/leads/geography.py).
-- icp_keywords: the high-ticket keywords (canonical, sorted) matched as whole words in name +
-- category + tags; vertical = the first of them, else the category, else 'unknown'.
-- Dedupe key: E.164 phone, else website domain, else name + city + state; the most complete,
-- most recently ingested record wins and `merged_records` counts the records it stands for.
-- Binds: $high_ticket_re, $keyword_forms, $keyword_canonicals, $generic_local_parts, $fictional_re.
CREATE SCHEMA IF NOT EXISTS staging;
CREATE OR REPLACE TABLE staging.leads AS
WITH accepted AS (
    SELECT f.*,
           p.e164 AS phone_e164,
           nullif(regexp_extract(lower(f.website_raw), '^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?([^/:?#\s@]+)', 1), '') AS domain_raw,
           CASE WHEN regexp_full_match(f.email_raw, '[^@\s]+@[^@\s]+\.[a-z]{2,}') THEN f.email_raw END AS email_clean,
           s.state_code
    FROM lead_fields AS f
    LEFT JOIN phone_lookup AS p ON p.raw = f.phone_raw
    LEFT JOIN ref_us_states AS s ON s.state_key = lower(f.state_raw)
    WHERE f.reject_reason IS NULL
),
keyed AS (
    SELECT *,
           CASE WHEN contains(domain_raw, '.') THEN domain_raw END AS website_domain,
           CASE WHEN phone_e164 IS NOT NULL THEN 'phone:' || phone_e164
                WHEN contains(domain_raw, '.') THEN 'web:' || domain_raw
                ELSE 'name:' || lower(coalesce(business_name, '')) || '|' || lower(coalesce(city, ''))
                     || '|' || coalesce(state_code, upper(state_raw), '')
           END AS dedupe_key,
           (business_name IS NOT NULL)::INT + (phone_e164 IS NOT NULL)::INT + (domain_raw IS NOT NULL)::INT
             + (email_clean IS NOT NULL)::INT + (category IS NOT NULL)::INT + (city IS NOT NULL)::INT
             + (state_raw IS NOT NULL)::INT + (employees IS NOT NULL)::INT + (reviews_count IS NOT NULL)::INT
             + (rating IS NOT NULL)::INT AS completeness
    FROM accepted
),
ranked AS (   -- narrow: only what the ranking needs
    SELECT row_id,
           row_number() OVER (PARTITION BY dedupe_key
                              ORDER BY completeness DESC, ingested_at DESC, source_file, record_no) AS rank_in_key,
           count(*) OVER (PARTITION BY dedupe_key) AS merged_records
    FROM keyed
),
winners AS (
    SELECT k.*, r.merged_records,
           lower(regexp_replace(concat_ws(' ', k.business_name, k.category, k.tags), '\s+', ' ', 'g')) AS icp_text
    FROM keyed AS k JOIN ranked AS r ON r.row_id = k.row_id AND r.rank_in_key = 1
),
keywords AS (   -- high-ticket keywords found as whole words, as their canonical forms, sorted
    SELECT *,
           list_sort(list_distinct(list_transform(regexp_extract_all(icp_text, $high_ticket_re),
                                                  lambda w: $keyword_canonicals[list_position($keyword_forms, w)])))
               AS icp_keywords
    FROM winners
),
raw_records AS (
    SELECT source_file, record_no, record FROM raw.lead_records
    UNION ALL
    SELECT source_file, record_no, record FROM raw.synthetic_leads
)
SELECT
    coalesce(lead_id_raw, 'L' || left(md5(dedupe_key), 12)) AS lead_id,
    coalesce(business_name, 'unknown') AS business_name,
    phone_e164,
    phone_raw,
    website_domain,
    email_clean AS email,
    coalesce(list_contains($generic_local_parts, split_part(email_clean, '@', 1)), false) AS email_is_generic,
    icp_keywords,
    coalesce(icp_keywords[1], lower(category), 'unknown') AS vertical,
    category,
    icp_text,
    nullif(trim(pain_text), '') AS pain_text,
    city,
    coalesce(w.state_code, upper(w.state_raw)) AS state,
    coalesce(c.timezone, s.timezone) AS timezone,
    employees, annual_revenue, reviews_count, locations_count, rating, ad_spend_monthly,
    ad_flag OR ad_spend_monthly > 0 AS ad_active,
    place_id,
    source, w.source_file, w.record_no,
    source = 'synthetic' OR coalesce(regexp_full_match(phone_e164, $fictional_re), false) AS is_synthetic,
    dedupe_key,
    merged_records,
    ingested_at,
    rr.record
FROM keywords AS w
LEFT JOIN raw_records AS rr ON rr.source_file = w.source_file AND rr.record_no = w.record_no
LEFT JOIN ref_us_states AS s ON s.state_code = w.state_code AND s.state_key = lower(w.state_code)
LEFT JOIN ref_city_timezones AS c ON c.state_code = w.state_code AND c.city_key = lower(trim(w.city));
