-- marts.qualified_leads: the ICP gate — ad-active AND high-ticket AND can pay 5k-10k/mo AND
-- score >= $min_score (pain is not required). Order by score DESC, lead_id when reading.
CREATE SCHEMA IF NOT EXISTS marts;
CREATE OR REPLACE TABLE marts.qualified_leads AS
SELECT *
FROM marts.lead_scores
WHERE ad_active AND high_ticket AND can_pay_5k_10k AND score >= $min_score;
