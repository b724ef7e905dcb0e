-- Journey rows not yet delivered to the n8n outcome webhook, oldest outcome first.
SELECT j.call_id, j.is_synthetic, j.campaign_id, j.prompt_version, j.lead_id, j.lead_match,
       j.contact_number_e164, j.outcome, j.captured_email, j.captured_email_is_generic,
       j.objections, j.follow_up_allowed, j.call_status, j.duration_s,
       strftime(j.start_ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS start_ts,
       strftime(j.outcome_ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS outcome_ts
FROM marts.customer_journeys AS j
ANTI JOIN marts.journey_outcome_deliveries AS d ON d.call_id = j.call_id
ORDER BY j.outcome_ts, j.call_id;
