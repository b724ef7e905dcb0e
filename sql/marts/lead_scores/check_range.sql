-- Check: scores missing or outside 0..100 (expected 0).
SELECT count(*) FROM marts.lead_scores WHERE score IS NULL OR score < 0 OR score > 100;
