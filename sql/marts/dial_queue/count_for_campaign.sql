-- Leads of one campaign ($campaign) in marts.dial_queue (make demo's progress line).
SELECT count(*) FROM marts.dial_queue WHERE campaign = $campaign;
