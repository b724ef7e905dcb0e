-- staging.leads: one row per business after normalisation and dedupe, raw record kept for audit.
-- Inputs (temp tables): lead_fields (staging/leads/fields.sql), lead_keys (staging/leads/keys.sql),
-- lead_winners (staging/leads/winners.sql), ref_us_states / ref_city_timezones / ref_npa_timezones
-- (geography.py); the raw record comes by row_id from raw.lead_records / raw.synthetic_leads (the
-- row_id rule of staging/leads/fields.sql; staging/leads/record_check.sql verifies none was lost). timezone: city override, else the state's zone, else the phone's area code.
-- icp_keywords: the high-ticket keywords (canonical, sorted) matched as whole words in name +
-- category + tags; vertical = the first of them, else the category, else 'unknown'.
-- Binds: $high_ticket_re, $keyword_forms, $keyword_canonicals, $generic_local_parts, $fictional_re.
CREATE SCHEMA IF NOT EXISTS staging;
CREATE OR REPLACE TABLE staging.leads AS
WITH winners AS (
    SELECT f.*, k.phone_e164, k.email, k.state_code, k.website_domain, k.dedupe_key, w.merged_records,
           lower(concat_ws(' ', f.business_name, f.category, f.tags)) AS icp_text
    FROM lead_winners AS w
    JOIN lead_keys AS k ON k.row_id = w.row_id
    JOIN lead_fields AS f ON f.row_id = w.row_id
),
keywords AS (
    SELECT *,
           list_sort(list_distinct(list_transform(regexp_extract_all(icp_text, $high_ticket_re),
                                                  lambda w: $keyword_canonicals[list_position(
                                                      $keyword_forms, regexp_replace(w, '\s+', ' ', 'g'))])))
               AS icp_keywords
    FROM winners
)
SELECT
    coalesce(w.lead_id_raw, 'L' || left(md5(w.dedupe_key), 12)) AS lead_id,
    coalesce(w.business_name, 'unknown') AS business_name,
    w.phone_e164,
    w.phone_raw,
    w.website_domain,
    w.email,
    coalesce(list_contains($generic_local_parts, split_part(w.email, '@', 1)), false) AS email_is_generic,
    w.icp_keywords,
    coalesce(w.icp_keywords[1], lower(w.category), 'unknown') AS vertical,
    w.category,
    w.icp_text,
    nullif(trim(w.pain_text), '') AS pain_text,
    w.city,
    coalesce(w.state_code, upper(w.state_raw)) AS state,
    coalesce(c.timezone, s.timezone, n.timezone) AS timezone,
    w.employees, w.annual_revenue, w.reviews_count, w.locations_count, w.rating, w.ad_spend_monthly,
    w.ad_flag OR w.ad_spend_monthly > 0 AS ad_active,
    w.place_id,
    w.source, w.source_file, w.record_no,
    w.source = 'synthetic' OR coalesce(regexp_full_match(w.phone_e164, $fictional_re), false) AS is_synthetic,
    w.dedupe_key,
    w.merged_records,
    w.ingested_at,
    r.record
FROM keywords AS w
JOIN (
    SELECT rowid * 2 AS row_id, record FROM raw.lead_records
    UNION ALL
    SELECT rowid * 2 + 1 AS row_id, record FROM raw.synthetic_leads
) AS r ON r.row_id = w.row_id
LEFT JOIN ref_us_states AS s ON s.state_code = w.state_code AND s.state_key = lower(w.state_code)
LEFT JOIN ref_city_timezones AS c ON c.state_code = w.state_code AND c.city_key = lower(trim(w.city))
-- an equality on one computed key (a hash join): `starts_with(...) AND substr(...) = npa` made DuckDB
-- fall back to a nested-loop join (3 s of 6 at 1M records)
LEFT JOIN ref_npa_timezones AS n
    ON n.npa = CASE WHEN starts_with(w.phone_e164, '+1') THEN substr(w.phone_e164, 3, 3) END
-- in raw order (files, then positions). Ordered, DuckDB writes and compresses the rows in parallel as
-- it inserts them; unordered, it left ~2 s of single-core compression to the checkpoint at 1M records
ORDER BY w.row_id;
