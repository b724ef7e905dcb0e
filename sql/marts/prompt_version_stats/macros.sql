-- Wilson score interval bounds (95 %) for k successes in n trials, as DuckDB macros used by
-- marts/prompt_version_stats.sql; the same formula as pipelines/prompts/intervals.py.
CREATE OR REPLACE TEMP MACRO eve_wilson_low(k, n) AS
    CASE WHEN n = 0 THEN 0.0 ELSE greatest(0.0,
        ((CAST(k AS DOUBLE) / n) + 3.841458820694124 / (2.0 * n)
         - 1.959963984540054 * sqrt((CAST(k AS DOUBLE) / n) * (1 - CAST(k AS DOUBLE) / n) / n
                                    + 3.841458820694124 / (4.0 * n * n)))
        / (1 + 3.841458820694124 / n)) END;
CREATE OR REPLACE TEMP MACRO eve_wilson_high(k, n) AS
    CASE WHEN n = 0 THEN 1.0 ELSE least(1.0,
        ((CAST(k AS DOUBLE) / n) + 3.841458820694124 / (2.0 * n)
         + 1.959963984540054 * sqrt((CAST(k AS DOUBLE) / n) * (1 - CAST(k AS DOUBLE) / n) / n
                                    + 3.841458820694124 / (4.0 * n * n)))
        / (1 + 3.841458820694124 / n)) END;
-- Two-proportion z statistic (pooled) of k1/n1 against k2/n2: positive when the first rate is higher;
-- NULL when either side has no trials or the pooled rate is 0 or 1 (no variance to test). The same
-- formula as pipelines/prompts/intervals.py `two_proportion_z`.
CREATE OR REPLACE TEMP MACRO eve_two_proportion_z(k1, n1, k2, n2) AS
    CASE WHEN n1 = 0 OR n2 = 0 OR k1 + k2 = 0 OR k1 + k2 = n1 + n2 THEN NULL ELSE
        (CAST(k1 AS DOUBLE) / n1 - CAST(k2 AS DOUBLE) / n2)
        / sqrt((CAST(k1 + k2 AS DOUBLE) / (n1 + n2)) * (1 - CAST(k1 + k2 AS DOUBLE) / (n1 + n2))
               * (1.0 / n1 + 1.0 / n2)) END;
