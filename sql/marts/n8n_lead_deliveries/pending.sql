-- The call-queue leads not yet delivered to n8n (synthetic leads are never pushed), queue order.
SELECT q.queue_position, q.lead_id, q.business_name, q.phone_e164, q.email, q.website_domain, q.vertical,
       q.city, q.state, q.timezone, q.score, q.reasons, q.source
FROM marts.call_queue AS q
WHERE NOT q.is_synthetic
  AND NOT EXISTS (SELECT 1 FROM marts.n8n_lead_deliveries AS d WHERE d.lead_id = q.lead_id)
ORDER BY q.queue_position;
