-- Journeys per outcome (asset metadata).
SELECT outcome, count(*) FROM marts.customer_journeys GROUP BY outcome ORDER BY outcome;
