-- marts.revenue_ops_summary: the scorecard over all days — overall (grain 'all'), per campaign, per
-- prompt version and per campaign x prompt version. Definitions: marts/macros/revenue_ops_metrics.sql.
CREATE OR REPLACE TABLE marts.revenue_ops_summary AS
SELECT * EXCLUDE (day)
FROM marts.revenue_ops_metrics
WHERE grain IN ('all', 'campaign', 'prompt_version', 'campaign_prompt')
ORDER BY CASE grain WHEN 'all' THEN 0 WHEN 'campaign' THEN 1 WHEN 'prompt_version' THEN 2 ELSE 3 END,
         campaign_id NULLS FIRST, prompt_version NULLS FIRST;
