-- Leads of one campaign ($campaign) in marts.dial_exclusions, by reason (make demo's progress line).
SELECT reason, count(*) AS leads FROM marts.dial_exclusions WHERE campaign = $campaign GROUP BY reason ORDER BY reason;
