-- Raw lead records: one record per row exactly as its source delivered it (the source's own field
-- names, values as given). CONTRACT shared by the lead factory (raw.lead_records, sources 'file' /
-- 'http' / 'apify') and the synthetic world (raw.synthetic_leads, source 'synthetic'): both have
-- exactly the columns source, source_file, record_no, record (JSON), ingested_at, and staging
-- reads them all.
--
-- Storage (issue 13): raw.lead_records is a VIEW. CSV/TSV files are kept as the columns DuckDB read
-- (raw.lead_file_rows, one VARCHAR per cell) and their JSON record is built on demand by the view
-- raw.lead_file_records from the file's header (raw.lead_file_headers: the column names in file
-- order; a column the file does not have is not a key of its records, an empty cell is null).
-- JSON-shaped sources (HTTP, JSON/JSONL files) stay stored as JSON (raw.lead_json_records). The
-- view is the union of both, so `SELECT record FROM raw.lead_records` means what it always meant.
-- Writers replace their own slice (DELETE WHERE source_file = ... then INSERT, one transaction).
--
-- raw.lead_file_rows has one column per field name staging.leads understands (first non-empty wins;
-- names are case-sensitive, as JSON keys are), and `other` (MAP) for every other column of the file:
--   lead_id; business_name|name|title|company_name|clinic_name; phone|phone_number|mainPhone|
--   phoneE164|clinic_phone; website|domain|url_website|website_url; email|clinic_email|
--   business_email; category|industry|vertical|categoryName; city; state|region|province;
--   services|keywords|tags|categories; pain_signals|notes|review_snippets; employee_count|staff_count;
--   annual_revenue|revenue; reviews_count|google_reviews|reviewsCount; locations_count|num_locations;
--   rating|totalScore; ad_active|google_ads_active|meta_ads_active|facebook_ads_active|ads_running;
--   ad_spend_monthly|google_ads_monthly|meta_ads_monthly; placeId|place_id.
-- pipelines/leads/files.py reads the typed column names from this table (DESCRIBE), so adding an
-- alias here (and in staging/leads/fields.sql) is enough.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.lead_json_records (
    source       VARCHAR   NOT NULL,  -- 'file', 'http', 'apify'
    source_file  VARCHAR   NOT NULL,  -- path or URL the record came from
    record_no    BIGINT    NOT NULL,  -- 1-based position of the record within source_file
    record       JSON      NOT NULL,  -- the raw record, the source's own field names, values as given
    ingested_at  TIMESTAMP NOT NULL   -- when this copy was loaded (UTC)
);
CREATE TABLE IF NOT EXISTS raw.lead_file_rows (
    source       VARCHAR   NOT NULL,  -- 'file' or 'apify' (an Apify CSV export)
    source_file  VARCHAR   NOT NULL,  -- path of the CSV/TSV file
    record_no    BIGINT    NOT NULL,  -- 1-based position of the row within source_file
    ingested_at  TIMESTAMP NOT NULL,
    "lead_id" VARCHAR, "business_name" VARCHAR, "name" VARCHAR, "title" VARCHAR,
    "company_name" VARCHAR, "clinic_name" VARCHAR, "phone" VARCHAR, "phone_number" VARCHAR,
    "phoneUnformatted" VARCHAR, "mainPhone" VARCHAR, "phoneE164" VARCHAR, "clinic_phone" VARCHAR,
    "website" VARCHAR, "domain" VARCHAR, "website_url" VARCHAR, "main_website" VARCHAR,
    "email" VARCHAR, "clinic_email" VARCHAR, "business_email" VARCHAR, "category" VARCHAR,
    "industry" VARCHAR, "vertical" VARCHAR, "categoryName" VARCHAR, "city" VARCHAR,
    "state" VARCHAR, "region" VARCHAR, "province" VARCHAR, "services" VARCHAR, "keywords" VARCHAR,
    "tags" VARCHAR, "categories" VARCHAR, "pain_signals" VARCHAR, "notes" VARCHAR,
    "review_snippets" VARCHAR, "problems" VARCHAR, "objections" VARCHAR, "employee_count" VARCHAR,
    "staff_count" VARCHAR, "annual_revenue" VARCHAR, "revenue" VARCHAR, "reviews_count" VARCHAR,
    "google_reviews" VARCHAR, "reviewsCount" VARCHAR, "locations_count" VARCHAR,
    "num_locations" VARCHAR, "rating" VARCHAR, "totalScore" VARCHAR, "ad_active" VARCHAR,
    "google_ads_active" VARCHAR, "meta_ads_active" VARCHAR, "facebook_ads_active" VARCHAR,
    "ads_running" VARCHAR, "ad_spend_monthly" VARCHAR, "google_ads_monthly" VARCHAR,
    "meta_ads_monthly" VARCHAR, "placeId" VARCHAR, "place_id" VARCHAR,
    other        MAP(VARCHAR, VARCHAR)  -- the file's other columns (name -> cell), NULL when none
);
CREATE TABLE IF NOT EXISTS raw.lead_file_headers (
    source       VARCHAR   NOT NULL,
    source_file  VARCHAR   NOT NULL,  -- one row per file in raw.lead_file_rows
    columns      VARCHAR[] NOT NULL   -- the file's column names, in file order (DuckDB's names)
);
CREATE TABLE IF NOT EXISTS raw.synthetic_leads (
    source       VARCHAR   NOT NULL,  -- always 'synthetic'
    source_file  VARCHAR   NOT NULL,
    record_no    BIGINT    NOT NULL,
    record       JSON      NOT NULL,
    ingested_at  TIMESTAMP NOT NULL
);
-- file_rowid: the row's rowid in raw.lead_file_rows (staging fetches records by it). The record is
-- built as text: each typed column the file has (in this table's column order), then the file's
-- other columns; an empty cell is null. (A map per row with look-ups cost ~80 µs a row; this ~5.)
CREATE VIEW IF NOT EXISTS raw.lead_file_records AS
SELECT r.rowid AS file_rowid, r.source, r.source_file, r.record_no,
    ('{' || concat_ws(',',
        CASE WHEN list_contains(h.columns, 'lead_id') THEN '"lead_id":' || coalesce(to_json(r."lead_id")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'business_name') THEN '"business_name":' || coalesce(to_json(r."business_name")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'name') THEN '"name":' || coalesce(to_json(r."name")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'title') THEN '"title":' || coalesce(to_json(r."title")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'company_name') THEN '"company_name":' || coalesce(to_json(r."company_name")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'clinic_name') THEN '"clinic_name":' || coalesce(to_json(r."clinic_name")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'phone') THEN '"phone":' || coalesce(to_json(r."phone")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'phone_number') THEN '"phone_number":' || coalesce(to_json(r."phone_number")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'phoneUnformatted') THEN '"phoneUnformatted":' || coalesce(to_json(r."phoneUnformatted")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'mainPhone') THEN '"mainPhone":' || coalesce(to_json(r."mainPhone")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'phoneE164') THEN '"phoneE164":' || coalesce(to_json(r."phoneE164")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'clinic_phone') THEN '"clinic_phone":' || coalesce(to_json(r."clinic_phone")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'website') THEN '"website":' || coalesce(to_json(r."website")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'domain') THEN '"domain":' || coalesce(to_json(r."domain")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'website_url') THEN '"website_url":' || coalesce(to_json(r."website_url")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'main_website') THEN '"main_website":' || coalesce(to_json(r."main_website")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'email') THEN '"email":' || coalesce(to_json(r."email")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'clinic_email') THEN '"clinic_email":' || coalesce(to_json(r."clinic_email")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'business_email') THEN '"business_email":' || coalesce(to_json(r."business_email")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'category') THEN '"category":' || coalesce(to_json(r."category")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'industry') THEN '"industry":' || coalesce(to_json(r."industry")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'vertical') THEN '"vertical":' || coalesce(to_json(r."vertical")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'categoryName') THEN '"categoryName":' || coalesce(to_json(r."categoryName")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'city') THEN '"city":' || coalesce(to_json(r."city")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'state') THEN '"state":' || coalesce(to_json(r."state")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'region') THEN '"region":' || coalesce(to_json(r."region")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'province') THEN '"province":' || coalesce(to_json(r."province")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'services') THEN '"services":' || coalesce(to_json(r."services")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'keywords') THEN '"keywords":' || coalesce(to_json(r."keywords")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'tags') THEN '"tags":' || coalesce(to_json(r."tags")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'categories') THEN '"categories":' || coalesce(to_json(r."categories")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'pain_signals') THEN '"pain_signals":' || coalesce(to_json(r."pain_signals")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'notes') THEN '"notes":' || coalesce(to_json(r."notes")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'review_snippets') THEN '"review_snippets":' || coalesce(to_json(r."review_snippets")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'problems') THEN '"problems":' || coalesce(to_json(r."problems")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'objections') THEN '"objections":' || coalesce(to_json(r."objections")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'employee_count') THEN '"employee_count":' || coalesce(to_json(r."employee_count")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'staff_count') THEN '"staff_count":' || coalesce(to_json(r."staff_count")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'annual_revenue') THEN '"annual_revenue":' || coalesce(to_json(r."annual_revenue")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'revenue') THEN '"revenue":' || coalesce(to_json(r."revenue")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'reviews_count') THEN '"reviews_count":' || coalesce(to_json(r."reviews_count")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'google_reviews') THEN '"google_reviews":' || coalesce(to_json(r."google_reviews")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'reviewsCount') THEN '"reviewsCount":' || coalesce(to_json(r."reviewsCount")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'locations_count') THEN '"locations_count":' || coalesce(to_json(r."locations_count")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'num_locations') THEN '"num_locations":' || coalesce(to_json(r."num_locations")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'rating') THEN '"rating":' || coalesce(to_json(r."rating")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'totalScore') THEN '"totalScore":' || coalesce(to_json(r."totalScore")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'ad_active') THEN '"ad_active":' || coalesce(to_json(r."ad_active")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'google_ads_active') THEN '"google_ads_active":' || coalesce(to_json(r."google_ads_active")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'meta_ads_active') THEN '"meta_ads_active":' || coalesce(to_json(r."meta_ads_active")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'facebook_ads_active') THEN '"facebook_ads_active":' || coalesce(to_json(r."facebook_ads_active")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'ads_running') THEN '"ads_running":' || coalesce(to_json(r."ads_running")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'ad_spend_monthly') THEN '"ad_spend_monthly":' || coalesce(to_json(r."ad_spend_monthly")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'google_ads_monthly') THEN '"google_ads_monthly":' || coalesce(to_json(r."google_ads_monthly")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'meta_ads_monthly') THEN '"meta_ads_monthly":' || coalesce(to_json(r."meta_ads_monthly")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'placeId') THEN '"placeId":' || coalesce(to_json(r."placeId")::VARCHAR, 'null') END,
        CASE WHEN list_contains(h.columns, 'place_id') THEN '"place_id":' || coalesce(to_json(r."place_id")::VARCHAR, 'null') END,
        nullif(substr(to_json(r.other)::VARCHAR, 2, length(to_json(r.other)::VARCHAR) - 2), '')
    ) || '}')::JSON AS record,
    r.ingested_at
FROM raw.lead_file_rows AS r
LEFT JOIN raw.lead_file_headers AS h USING (source_file);
CREATE VIEW IF NOT EXISTS raw.lead_records AS
SELECT source, source_file, record_no, record, ingested_at FROM raw.lead_json_records
UNION ALL
SELECT source, source_file, record_no, record, ingested_at FROM raw.lead_file_records;
