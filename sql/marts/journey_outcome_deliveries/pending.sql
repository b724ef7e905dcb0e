-- Journey rows the n8n outcome webhook has not seen with their current outcome, oldest outcome
-- first: never delivered, or delivered with another outcome (a callback that later yielded an
-- email is sent again; previous_outcome tells n8n it is a correction).
SELECT j.call_id, j.is_synthetic, j.campaign_id, j.prompt_version, j.lead_id, j.lead_match,
       j.contact_number_e164, j.outcome, j.captured_email, j.captured_email_is_generic,
       j.objections, j.follow_up_allowed, j.call_status, j.duration_s,
       strftime(j.start_ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS start_ts,
       strftime(j.outcome_ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS outcome_ts,
       d.outcome AS previous_outcome
FROM marts.customer_journeys AS j
LEFT JOIN marts.journey_outcome_deliveries AS d ON d.call_id = j.call_id
WHERE d.call_id IS NULL OR d.outcome IS DISTINCT FROM j.outcome
ORDER BY j.outcome_ts, j.call_id;
