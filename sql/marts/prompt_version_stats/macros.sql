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
