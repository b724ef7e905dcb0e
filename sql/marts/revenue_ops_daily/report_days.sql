-- The revenue-ops report's trend: the overall scorecard of the last $days days that had calls, oldest first.
SELECT *
FROM (SELECT * FROM marts.revenue_ops_daily WHERE grain = 'day' ORDER BY day DESC LIMIT $days)
ORDER BY day;
