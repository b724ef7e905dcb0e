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
-- file_rowid: the row's rowid in raw.lead_file_rows (staging fetches records by it).
CREATE VIEW IF NOT EXISTS raw.lead_file_records AS
SELECT file_rowid, source, source_file, record_no,
       to_json(map_from_entries(list_transform(columns, c -> {'key': c, 'value': cells[c]})))::JSON AS record,
       ingested_at
FROM (
    SELECT r.rowid AS file_rowid, r.source, r.source_file, r.record_no, r.ingested_at, h.columns,
        map_concat(map([
            'lead_id', 'business_name', 'name', 'title', 'company_name', 'clinic_name', 'phone',
            'phone_number', 'phoneUnformatted', 'mainPhone', 'phoneE164', 'clinic_phone', 'website',
            'domain', 'website_url', 'main_website', 'email', 'clinic_email', 'business_email',
            'category', 'industry', 'vertical', 'categoryName', 'city', 'state', 'region', 'province',
            'services', 'keywords', 'tags', 'categories', 'pain_signals', 'notes', 'review_snippets',
            'problems', 'objections', 'employee_count', 'staff_count', 'annual_revenue', 'revenue',
            'reviews_count', 'google_reviews', 'reviewsCount', 'locations_count', 'num_locations',
            'rating', 'totalScore', 'ad_active', 'google_ads_active', 'meta_ads_active',
            'facebook_ads_active', 'ads_running', 'ad_spend_monthly', 'google_ads_monthly',
            'meta_ads_monthly', 'placeId', 'place_id'
        ], [
            r."lead_id", r."business_name", r."name", r."title", r."company_name", r."clinic_name",
            r."phone", r."phone_number", r."phoneUnformatted", r."mainPhone", r."phoneE164",
            r."clinic_phone", r."website", r."domain", r."website_url", r."main_website", r."email",
            r."clinic_email", r."business_email", r."category", r."industry", r."vertical",
            r."categoryName", r."city", r."state", r."region", r."province", r."services",
            r."keywords", r."tags", r."categories", r."pain_signals", r."notes", r."review_snippets",
            r."problems", r."objections", r."employee_count", r."staff_count", r."annual_revenue",
            r."revenue", r."reviews_count", r."google_reviews", r."reviewsCount", r."locations_count",
            r."num_locations", r."rating", r."totalScore", r."ad_active", r."google_ads_active",
            r."meta_ads_active", r."facebook_ads_active", r."ads_running", r."ad_spend_monthly",
            r."google_ads_monthly", r."meta_ads_monthly", r."placeId", r."place_id"
        ]), coalesce(r.other, map()::MAP(VARCHAR, VARCHAR))) AS cells
    FROM raw.lead_file_rows AS r
    LEFT JOIN raw.lead_file_headers AS h USING (source_file)
);
CREATE VIEW IF NOT EXISTS raw.lead_records AS
SELECT source, source_file, record_no, record, ingested_at FROM raw.lead_json_records
UNION ALL
SELECT source, source_file, record_no, record, ingested_at FROM raw.lead_file_records;
