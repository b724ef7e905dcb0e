-- Answered calls (asset metadata).
SELECT count(*) FROM marts.call_features WHERE answered;
