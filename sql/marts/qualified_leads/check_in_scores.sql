-- Check: qualified leads that are not scored with the same score (expected 0).
SELECT count(*)
FROM marts.qualified_leads AS q
WHERE NOT EXISTS (SELECT 1 FROM marts.lead_scores AS s WHERE s.lead_id = q.lead_id AND s.score = q.score);
