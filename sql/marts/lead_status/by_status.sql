-- Leads per status (asset metadata and the statuses_in_vocabulary check).
SELECT status, count(*) FROM marts.lead_status GROUP BY status ORDER BY status;
