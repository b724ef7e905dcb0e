-- Did every staged row find its raw record by row_id? (winners without a staging.leads row,
-- staging-stage rejects without a staging.lead_rejects row). Both 0 unless the raw tables changed
-- while staging read them (another writer on DuckLake): then the step fails and a rerun converges.
SELECT
    (SELECT count(*) FROM lead_winners) - (SELECT count(*) FROM staging.leads) AS leads_missing,
    (SELECT count(*) FROM lead_fields WHERE reject_reason IS NOT NULL)
      - (SELECT count(*) FROM staging.lead_rejects WHERE stage = 'staging') AS rejects_missing;
