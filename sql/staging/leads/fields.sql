-- Every raw lead record (files, HTTP, Apify, synthetic) with its fields picked out by alias
-- (pipelines/leads/fields.py lists the same aliases; first non-empty wins), numbers parsed, and
-- row-level problems named. Each record's JSON is parsed once (json_transform, every field as
-- text, keys case-sensitive). The raw JSON does not ride along (a million copies through every
-- temp table): staging.leads and staging.lead_rejects fetch it by row_id from the raw tables
-- (no explicit transaction: it cost ~3 CPU-s at 1M records; staging/leads/record_check.sql fails
-- the step if the raw tables changed meanwhile).
-- type_errors lists the optional numeric cells that are not numbers (they stay NULL).
-- Binds: $truthy (values meaning yes).
CREATE OR REPLACE TEMP TABLE lead_fields AS
WITH src AS (   -- row_id: the raw row's rowid, even for raw.lead_records, odd for raw.synthetic_leads
    SELECT rowid * 2 AS row_id, source, source_file, record_no, record, ingested_at FROM raw.lead_records
    UNION ALL
    SELECT rowid * 2 + 1 AS row_id, source, source_file, record_no, record, ingested_at FROM raw.synthetic_leads
),
parsed AS (
    SELECT
        row_id,
        source, source_file, record_no, ingested_at,
        coalesce(json_type(record) = 'OBJECT', false) AS is_object,
        json_transform(record, '{
            "lead_id": "VARCHAR",
            "business_name": "VARCHAR", "name": "VARCHAR", "title": "VARCHAR", "company_name": "VARCHAR",
            "clinic_name": "VARCHAR",
            "phone": "VARCHAR", "phone_number": "VARCHAR", "phoneUnformatted": "VARCHAR", "mainPhone": "VARCHAR",
            "phoneE164": "VARCHAR", "clinic_phone": "VARCHAR",
            "website": "VARCHAR", "domain": "VARCHAR", "website_url": "VARCHAR", "main_website": "VARCHAR",
            "email": "VARCHAR", "clinic_email": "VARCHAR", "business_email": "VARCHAR", "emails": "VARCHAR[]",
            "category": "VARCHAR", "industry": "VARCHAR", "vertical": "VARCHAR", "categoryName": "VARCHAR",
            "city": "VARCHAR",
            "state": "VARCHAR", "region": "VARCHAR", "province": "VARCHAR",
            "services": "VARCHAR", "keywords": "VARCHAR", "tags": "VARCHAR", "categories": "VARCHAR",
            "pain_signals": "VARCHAR", "notes": "VARCHAR", "review_snippets": "VARCHAR", "problems": "VARCHAR",
            "objections": "VARCHAR",
            "employee_count": "VARCHAR", "staff_count": "VARCHAR",
            "annual_revenue": "VARCHAR", "revenue": "VARCHAR",
            "reviews_count": "VARCHAR", "google_reviews": "VARCHAR", "reviewsCount": "VARCHAR",
            "locations_count": "VARCHAR", "num_locations": "VARCHAR",
            "rating": "VARCHAR", "totalScore": "VARCHAR",
            "ad_active": "VARCHAR", "google_ads_active": "VARCHAR", "meta_ads_active": "VARCHAR",
            "facebook_ads_active": "VARCHAR", "ads_running": "VARCHAR",
            "ad_spend_monthly": "VARCHAR", "google_ads_monthly": "VARCHAR", "meta_ads_monthly": "VARCHAR",
            "placeId": "VARCHAR", "place_id": "VARCHAR"
        }') AS f
    FROM src
),
picked AS (
    SELECT
        row_id, source, source_file, record_no, ingested_at, is_object,
        lead_text(f.lead_id) AS lead_id_raw,
        coalesce(lead_text(f.business_name), lead_text(f.name), lead_text(f.title), lead_text(f.company_name),
                 lead_text(f.clinic_name)) AS business_name,
        coalesce(lead_text(f.phone), lead_text(f.phone_number), lead_text(f.phoneUnformatted), lead_text(f.mainPhone),
                 lead_text(f.phoneE164), lead_text(f.clinic_phone)) AS phone_raw,
        coalesce(lead_text(f.website), lead_text(f.domain), lead_text(f.website_url), lead_text(f.main_website)) AS website_raw,
        lower(coalesce(lead_text(f.email), lead_text(f.clinic_email), lead_text(f.business_email),
                       lead_text(f.emails[1]))) AS email_raw,
        coalesce(lead_text(f.category), lead_text(f.industry), lead_text(f.vertical), lead_text(f.categoryName)) AS category,
        lead_text(f.city) AS city,
        coalesce(lead_text(f.state), lead_text(f.region), lead_text(f.province)) AS state_raw,
        concat_ws(' ', lead_text(f.services), lead_text(f.keywords), lead_text(f.tags), lead_text(f.categories)) AS tags,
        concat_ws(' ', lead_text(f.pain_signals), lead_text(f.notes), lead_text(f.review_snippets),
                  lead_text(f.problems), lead_text(f.objections)) AS pain_text,
        coalesce(lead_text(f.employee_count), lead_text(f.staff_count)) AS employees_raw,
        coalesce(lead_text(f.annual_revenue), lead_text(f.revenue)) AS revenue_raw,
        coalesce(lead_text(f.reviews_count), lead_text(f.google_reviews), lead_text(f.reviewsCount)) AS reviews_raw,
        coalesce(lead_text(f.locations_count), lead_text(f.num_locations)) AS locations_raw,
        coalesce(lead_text(f.rating), lead_text(f.totalScore)) AS rating_raw,
        lead_text(f.ad_spend_monthly) AS spend_a_raw,
        lead_text(f.google_ads_monthly) AS spend_b_raw,
        lead_text(f.meta_ads_monthly) AS spend_c_raw,
        list_has_any($truthy, [lower(lead_text(f.ad_active)), lower(lead_text(f.google_ads_active)),
                               lower(lead_text(f.meta_ads_active)), lower(lead_text(f.facebook_ads_active)),
                               lower(lead_text(f.ads_running))]) AS ad_flag,
        coalesce(lead_text(f.placeId), lead_text(f.place_id)) AS place_id
    FROM parsed
),
numbers AS (
    SELECT *,
        lead_number(employees_raw) AS employees,
        lead_number(revenue_raw) AS annual_revenue,
        lead_number(reviews_raw) AS reviews_count,
        lead_number(locations_raw) AS locations_count,
        lead_number(rating_raw) AS rating,
        lead_number(spend_a_raw) AS spend_a,
        lead_number(spend_b_raw) AS spend_b,
        lead_number(spend_c_raw) AS spend_c
    FROM picked
),
typed AS (
    SELECT *,
        concat_ws(', ',
            CASE WHEN employees_raw IS NOT NULL AND employees IS NULL THEN 'employees=' || left(employees_raw, 40) END,
            CASE WHEN revenue_raw IS NOT NULL AND annual_revenue IS NULL THEN 'revenue=' || left(revenue_raw, 40) END,
            CASE WHEN reviews_raw IS NOT NULL AND reviews_count IS NULL THEN 'reviews=' || left(reviews_raw, 40) END,
            CASE WHEN locations_raw IS NOT NULL AND locations_count IS NULL THEN 'locations=' || left(locations_raw, 40) END,
            CASE WHEN rating_raw IS NOT NULL AND rating IS NULL THEN 'rating=' || left(rating_raw, 40) END,
            CASE WHEN spend_a_raw IS NOT NULL AND spend_a IS NULL THEN 'ad_spend_monthly=' || left(spend_a_raw, 40) END,
            CASE WHEN spend_b_raw IS NOT NULL AND spend_b IS NULL THEN 'google_ads_monthly=' || left(spend_b_raw, 40) END,
            CASE WHEN spend_c_raw IS NOT NULL AND spend_c IS NULL THEN 'meta_ads_monthly=' || left(spend_c_raw, 40) END
        ) AS type_errors
    FROM numbers
)
-- Only what a lead cannot live without rejects it (a business name and a contact channel); a bad
-- optional cell stays NULL and becomes a warning row (staging/lead_warnings.sql reads type_errors).
SELECT * EXCLUDE (spend_a, spend_b, spend_c),
    greatest(coalesce(spend_a, 0), coalesce(spend_b, 0), coalesce(spend_c, 0)) AS ad_spend_monthly,
    CASE
        WHEN NOT is_object THEN 'record is not an object'
        WHEN business_name IS NULL AND phone_raw IS NULL AND website_raw IS NULL AND email_raw IS NULL
            THEN 'no identity: needs a business name, phone or website'
        WHEN business_name IS NULL THEN 'no business name'
        WHEN phone_raw IS NULL AND website_raw IS NULL AND email_raw IS NULL
            THEN 'no contact channel: needs a phone, website or email'
    END AS reject_reason
FROM typed;
