-- marts.revenue_ops_metrics (view): the revenue-ops scorecard of marts.call_features at every grain;
-- marts.revenue_ops_daily and marts.revenue_ops_summary are materialised slices of it.
--   grain: day (all campaigns), day_campaign_prompt, all, campaign, prompt_version, campaign_prompt.
-- Definitions (A = answered calls: ended with at least one user line; every rate is over A, 0 if A is empty):
--   email_capture_rate = |A with an email| / |A|;  direct_email_capture_rate = |A with a direct email| / |A|
--   close_request_rate = |A with a close request| / |A|;  close_to_email_rate = successes / close requests
--   time_to_email_capture p50/p95, turns_to_capture p50/p95: over the email-captured calls of A;
--   first_response_latency p50 (untrimmed) / p95: over A.
--   Quantiles interpolate linearly at (n-1)q; except the first-response p50, values are trimmed first:
--   drop = floor(0.08 n) from each end (if 2 drop >= n: max(0, n div 2 - 1)).
--   objective_score (0-100) with Beta(2,8)-smoothed rates b(s,n) = (2+s)/(10+n), 0 when n = 0:
--     100 [0.30 b(email,A) + 0.20 b(direct,A) + 0.20 b(close successes, close requests)
--          + 0.10 b(close requests, A) + 0.10 (1 - min(1, fr_p95/2500)) + 0.05 (1 - min(1, turns_p50/12))
--          + 0.05 (1 - min(1, tcap_p50/120))]
--     a missing quantile takes the penalty default (fr 4000 ms, turns 12, tcap 120 s); a true 0 is kept.
--   first_response_latency_band from the p95: <700 excellent, <1000 good, <1500 warning, else poor.
CREATE OR REPLACE VIEW marts.revenue_ops_metrics AS
WITH grains AS (
    SELECT g.grain,
           CASE WHEN g.by_day THEN f.day END AS day,
           CASE WHEN g.by_campaign THEN f.campaign_id END AS campaign_id,
           CASE WHEN g.by_prompt THEN f.prompt_version END AS prompt_version,
           f.* EXCLUDE (day, campaign_id, prompt_version)
    FROM marts.call_features AS f
    CROSS JOIN (VALUES ('day', true, false, false),
                       ('day_campaign_prompt', true, true, true),
                       ('all', false, false, false),
                       ('campaign', false, true, false),
                       ('prompt_version', false, false, true),
                       ('campaign_prompt', false, true, true)) AS g(grain, by_day, by_campaign, by_prompt)
),
counts AS (
    SELECT grain, day, campaign_id, prompt_version,
           count(*) AS calls,
           count(*) FILTER (WHERE ended) AS ended_calls,
           count(*) FILTER (WHERE answered) AS answered_calls,
           count(*) FILTER (WHERE answered AND email_captured) AS email_captures,
           count(*) FILTER (WHERE answered AND direct_email_captured) AS direct_email_captures,
           count(*) FILTER (WHERE answered AND close_requested) AS close_requests,
           count(*) FILTER (WHERE answered AND close_to_email_success) AS close_successes,
           median(CAST(latency_e2e_p50_ms AS DOUBLE)) FILTER (WHERE answered) AS retell_e2e_p50_ms,
           median(CAST(latency_llm_p50_ms AS DOUBLE)) FILTER (WHERE answered) AS retell_llm_p50_ms
    FROM grains
    GROUP BY ALL
),
objection_hits AS (
    SELECT grain, day, campaign_id, prompt_version, objection, count(*) AS n
    FROM (SELECT grain, day, campaign_id, prompt_version, unnest(objections) AS objection
          FROM grains WHERE answered)
    GROUP BY ALL
),
objection_maps AS (
    SELECT grain, day, campaign_id, prompt_version,
           map_from_entries(list({'key': objection, 'value': n} ORDER BY objection)) AS objection_counts
    FROM objection_hits
    GROUP BY ALL
),
metric_values AS (
    SELECT grain, day, campaign_id, prompt_version, 'tcap' AS metric, time_to_email_capture_s AS v
    FROM grains WHERE answered AND email_captured AND time_to_email_capture_s >= 0
    UNION ALL
    SELECT grain, day, campaign_id, prompt_version, 'turns', CAST(turns_to_capture AS DOUBLE)
    FROM grains WHERE answered AND email_captured AND turns_to_capture IS NOT NULL
    UNION ALL
    SELECT grain, day, campaign_id, prompt_version, 'fr', first_response_latency_ms
    FROM grains WHERE answered AND first_response_latency_ms >= 0
),
ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY grain, day, campaign_id, prompt_version, metric ORDER BY v) AS rn,
           count(*) OVER (PARTITION BY grain, day, campaign_id, prompt_version, metric) AS n
    FROM metric_values
),
trimmed AS (
    SELECT *,
           rn > drop_n AND rn <= n - drop_n AS kept
    FROM (SELECT *,
                 CASE WHEN 2 * floor(n * 0.08) >= n THEN greatest(0, n // 2 - 1)
                      ELSE floor(n * 0.08) END AS drop_n
          FROM ranked)
),
quantiles AS (
    SELECT grain, day, campaign_id, prompt_version,
           quantile_cont(v, 0.5) FILTER (WHERE metric = 'tcap' AND kept) AS time_to_email_capture_p50_s,
           quantile_cont(v, 0.95) FILTER (WHERE metric = 'tcap' AND kept) AS time_to_email_capture_p95_s,
           quantile_cont(v, 0.5) FILTER (WHERE metric = 'turns' AND kept) AS turns_to_capture_p50,
           quantile_cont(v, 0.95) FILTER (WHERE metric = 'turns' AND kept) AS turns_to_capture_p95,
           quantile_cont(v, 0.5) FILTER (WHERE metric = 'fr') AS first_response_latency_p50_ms,
           quantile_cont(v, 0.95) FILTER (WHERE metric = 'fr' AND kept) AS first_response_latency_p95_ms
    FROM trimmed
    GROUP BY ALL
),
joined AS (
    SELECT c.*,
           q.time_to_email_capture_p50_s, q.time_to_email_capture_p95_s,
           q.turns_to_capture_p50, q.turns_to_capture_p95,
           q.first_response_latency_p50_ms, q.first_response_latency_p95_ms,
           coalesce(o.objection_counts, MAP {}::MAP(VARCHAR, BIGINT)) AS objection_counts
    FROM counts AS c
    LEFT JOIN quantiles AS q
      ON q.grain = c.grain AND q.day IS NOT DISTINCT FROM c.day
     AND q.campaign_id IS NOT DISTINCT FROM c.campaign_id AND q.prompt_version IS NOT DISTINCT FROM c.prompt_version
    LEFT JOIN objection_maps AS o
      ON o.grain = c.grain AND o.day IS NOT DISTINCT FROM c.day
     AND o.campaign_id IS NOT DISTINCT FROM c.campaign_id AND o.prompt_version IS NOT DISTINCT FROM c.prompt_version
),
scored AS (
    SELECT *,
           CASE WHEN answered_calls = 0 THEN 0.0 ELSE (2.0 + email_captures) / (10.0 + answered_calls) END AS b_email,
           CASE WHEN answered_calls = 0 THEN 0.0 ELSE (2.0 + direct_email_captures) / (10.0 + answered_calls) END AS b_direct,
           CASE WHEN close_requests = 0 THEN 0.0 ELSE (2.0 + close_successes) / (10.0 + close_requests) END AS b_close_success,
           CASE WHEN answered_calls = 0 THEN 0.0 ELSE (2.0 + close_requests) / (10.0 + answered_calls) END AS b_close_request,
           least(1.0, coalesce(first_response_latency_p95_ms, 4000.0) / 2500.0) AS fr_pen,
           least(1.0, coalesce(turns_to_capture_p50, 12.0) / 12.0) AS turns_pen,
           least(1.0, coalesce(time_to_email_capture_p50_s, 120.0) / 120.0) AS tcap_pen
    FROM joined
)
SELECT grain, day, campaign_id, prompt_version,
       calls, ended_calls, answered_calls,
       email_captures, direct_email_captures, email_captures - direct_email_captures AS generic_email_captures,
       CASE WHEN answered_calls = 0 THEN 0.0 ELSE round(email_captures / answered_calls, 4) END AS email_capture_rate,
       CASE WHEN answered_calls = 0 THEN 0.0 ELSE round(direct_email_captures / answered_calls, 4) END AS direct_email_capture_rate,
       close_requests, close_successes,
       CASE WHEN answered_calls = 0 THEN 0.0 ELSE round(close_requests / answered_calls, 4) END AS close_request_rate,
       CASE WHEN close_requests = 0 THEN 0.0 ELSE round(close_successes / close_requests, 4) END AS close_to_email_rate,
       round(time_to_email_capture_p50_s, 3) AS time_to_email_capture_p50_s,
       round(time_to_email_capture_p95_s, 3) AS time_to_email_capture_p95_s,
       turns_to_capture_p50, turns_to_capture_p95,
       round(first_response_latency_p50_ms, 1) AS first_response_latency_p50_ms,
       round(first_response_latency_p95_ms, 1) AS first_response_latency_p95_ms,
       CASE WHEN first_response_latency_p95_ms IS NULL THEN 'unknown'
            WHEN first_response_latency_p95_ms < 700 THEN 'excellent'
            WHEN first_response_latency_p95_ms < 1000 THEN 'good'
            WHEN first_response_latency_p95_ms < 1500 THEN 'warning'
            ELSE 'poor' END AS first_response_latency_band,
       round(retell_e2e_p50_ms, 1) AS retell_e2e_p50_ms,
       round(retell_llm_p50_ms, 1) AS retell_llm_p50_ms,
       objection_counts,
       round(100.0 * (0.30 * b_email + 0.20 * b_direct + 0.20 * b_close_success + 0.10 * b_close_request
                      + 0.10 * (1.0 - fr_pen) + 0.05 * (1.0 - turns_pen) + 0.05 * (1.0 - tcap_pen)), 2)
           AS objective_score
FROM scored;
