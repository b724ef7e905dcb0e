-- Reject accounting: raw records = records represented by staging.leads (merged_records) + staging
-- rejects; and no reject without a reason.
SELECT
    (SELECT count(*) FROM raw.lead_records) + (SELECT count(*) FROM raw.synthetic_leads) AS raw_records,
    (SELECT coalesce(sum(merged_records), 0) FROM staging.leads) AS represented_by_leads,
    (SELECT count(*) FROM staging.lead_rejects WHERE stage = 'staging') AS rejected_in_staging,
    (SELECT count(*) FROM staging.lead_rejects WHERE coalesce(trim(reason), '') = '') AS rejects_without_reason;
