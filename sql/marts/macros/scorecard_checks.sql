-- Checks of a revenue-ops scorecard table ($table: marts.revenue_ops_daily or _summary): rows whose
-- rates are not fractions, whose score is outside 0..100, whose counts do not nest (all expected 0).
SELECT
    count(*) FILTER (WHERE NOT (email_capture_rate BETWEEN 0 AND 1 AND close_request_rate BETWEEN 0 AND 1
        AND close_to_email_rate BETWEEN 0 AND 1 AND direct_email_capture_rate BETWEEN 0 AND email_capture_rate)),
    count(*) FILTER (WHERE NOT objective_score BETWEEN 0 AND 100),
    count(*) FILTER (WHERE NOT (answered_calls <= ended_calls AND ended_calls <= calls
        AND email_captures <= answered_calls))
FROM query_table($table);
