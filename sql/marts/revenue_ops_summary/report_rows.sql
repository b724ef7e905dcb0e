-- The revenue-ops report's headline rows: the overall scorecard, then per campaign and per prompt version.
SELECT *
FROM marts.revenue_ops_summary
WHERE grain IN ('all', 'campaign', 'prompt_version')
ORDER BY CASE grain WHEN 'all' THEN 0 WHEN 'campaign' THEN 1 ELSE 2 END,
         campaign_id NULLS FIRST, prompt_version NULLS FIRST;
