-- Analyst view (serving copy): the lead funnel per vertical — scored → qualified → queued.
CREATE OR REPLACE VIEW main.lead_funnel AS
SELECT s.vertical,
       count(*) AS scored,
       count(*) FILTER (WHERE q.lead_id IS NOT NULL) AS qualified,
       count(*) FILTER (WHERE c.lead_id IS NOT NULL) AS queued,
       round(avg(s.score), 1) AS avg_score
FROM marts.lead_scores AS s
LEFT JOIN marts.qualified_leads AS q USING (lead_id)
LEFT JOIN marts.call_queue AS c USING (lead_id)
GROUP BY s.vertical;
