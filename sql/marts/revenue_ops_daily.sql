-- marts.revenue_ops_daily: the scorecard per UTC day of call start — overall (grain 'day') and per
-- campaign and prompt version (grain 'day_campaign_prompt'). Definitions: marts/macros/revenue_ops_metrics.sql.
CREATE OR REPLACE TABLE marts.revenue_ops_daily AS
SELECT *
FROM marts.revenue_ops_metrics
WHERE grain IN ('day', 'day_campaign_prompt')
ORDER BY day, grain, campaign_id NULLS FIRST, prompt_version NULLS FIRST;
