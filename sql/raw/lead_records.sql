-- Raw lead records: one row per record exactly as its source delivered it (the lead file's own
-- field names, kept as JSON for audit). CONTRACT shared by the lead factory (raw.lead_records,
-- sources 'file' / 'http' / 'apify') and the synthetic world (raw.synthetic_leads, source
-- 'synthetic'): both tables have exactly these columns, and staging.leads reads their union.
-- Writers replace their own slice (DELETE WHERE source_file = ... then INSERT, one transaction).
-- Field names staging.leads understands inside `record` (first non-empty wins):
--   lead_id; business_name|name|title|company_name|clinic_name; phone|phone_number|mainPhone|
--   phoneE164|clinic_phone; website|domain|url_website|website_url; email|clinic_email|
--   business_email; category|industry|vertical|categoryName; city; state|region|province;
--   services|keywords|tags|categories; pain_signals|notes|review_snippets; employee_count|staff_count;
--   annual_revenue|revenue; reviews_count|google_reviews|reviewsCount; locations_count|num_locations;
--   rating|totalScore; ad_active|google_ads_active|meta_ads_active|facebook_ads_active|ads_running;
--   ad_spend_monthly|google_ads_monthly|meta_ads_monthly; placeId|place_id.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.lead_records (
    source       VARCHAR   NOT NULL,  -- 'file', 'http', 'apify' ('synthetic' in raw.synthetic_leads)
    source_file  VARCHAR   NOT NULL,  -- path or URL the record came from
    record_no    BIGINT    NOT NULL,  -- 1-based position of the record within source_file
    record       JSON      NOT NULL,  -- the raw record, the source's own field names, values as given
    ingested_at  TIMESTAMP NOT NULL   -- when this copy was loaded (UTC)
);
CREATE TABLE IF NOT EXISTS raw.synthetic_leads (
    source       VARCHAR   NOT NULL,  -- always 'synthetic'
    source_file  VARCHAR   NOT NULL,
    record_no    BIGINT    NOT NULL,
    record       JSON      NOT NULL,
    ingested_at  TIMESTAMP NOT NULL
);
