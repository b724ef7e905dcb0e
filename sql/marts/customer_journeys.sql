-- marts.customer_journeys: one row per call of staging.calls.
--   * lead: joined by the lead_id of the call's metadata when staging.leads knows it, else by the
--     E.164 number of the other party (the number we dialled, or the caller of an inbound call);
--   * outcome: every signal the call carries becomes a candidate and the candidate ranked highest in
--     $precedence (vocabulary.outcomes.OUTCOME_PRECEDENCE, highest first) wins:
--       dnc            a caller line asking not to be called, the brain's mark_dnc tool or dnc outcome,
--                      or Retell's post-call analysis saying so;
--       email_captured an address in a caller line (direct or generic), or the brain's captured email;
--       callback       a caller line asking to be called back / bad time, or the brain's callback outcome;
--       not_interested a caller line saying so, or the brain's not_interested outcome;
--       voicemail      Retell's call_analysis.in_voicemail or a voicemail disconnection reason —
--                      never words in the transcript (the agent itself says "voicemail");
--       no_answer      no caller line at all, not connected, or a dial failure / no-answer reason;
--       other          always a candidate, so every call has an outcome.
--   * outcome_ts: the call's end time (else start + duration, else start) — never the clock.
-- `eve_is_generic_email(address)` is a UDF registered by the asset (vocabulary.emails).
CREATE OR REPLACE TABLE marts.customer_journeys AS
WITH user_turns AS (
    SELECT call_id, count(*) AS user_turns
    FROM staging.transcript_lines
    WHERE role = 'user'
    GROUP BY call_id
),
said AS (
    SELECT call_id,
           bool_or(is_dnc) AS said_dnc,
           bool_or(email IS NOT NULL) AS said_email,
           arg_min(email, idx) FILTER (WHERE email IS NOT NULL AND NOT email_is_generic) AS first_direct_email,
           arg_min(email, idx) FILTER (WHERE email IS NOT NULL) AS first_email,
           bool_or(list_contains(objections, 'bad_time')) AS asked_callback,
           bool_or(list_contains(objections, 'not_interested')) AS said_not_interested,
           list_sort(list_distinct(flatten(list(objections)))) AS objections
    FROM marts.line_signals
    GROUP BY call_id
),
tools AS (
    SELECT call_id,
           bool_or(name = 'mark_dnc') AS tool_dnc,
           list_sort(list_distinct(list(name))) AS tool_names
    FROM staging.tool_events
    GROUP BY call_id
),
leads AS (
    SELECT lead_id, any_value(phone_e164) AS phone_e164, any_value(business_name) AS business_name,
           any_value(vertical) AS vertical, any_value(state) AS state
    FROM staging.leads
    WHERE lead_id IS NOT NULL
    GROUP BY lead_id
),
lead_by_phone AS (
    SELECT phone_e164, min(lead_id) AS lead_id
    FROM leads
    WHERE phone_e164 IS NOT NULL
    GROUP BY phone_e164
),
calls AS (
    SELECT c.*,
           CASE WHEN c.direction = 'inbound' THEN coalesce(c.from_number_e164, c.to_number_e164)
                ELSE coalesce(c.to_number_e164, c.from_number_e164) END AS contact_number_e164
    FROM staging.calls AS c
),
signals AS (
    SELECT c.*,
           coalesce(u.user_turns, 0) AS user_turns,
           s.first_direct_email,
           s.first_email,
           coalesce(s.objections, []::VARCHAR[]) AS objections,
           coalesce(t.tool_names, []::VARCHAR[]) AS tool_names,
           coalesce(s.said_dnc, false) OR coalesce(t.tool_dnc, false) OR coalesce(c.brain_outcome = 'dnc', false)
               OR lower(coalesce(c.analysis_outcome, '')) IN ('dnc', 'do_not_call', 'compliant_dnc', 'dnc_marked')
               AS dnc_signal,
           coalesce(s.said_email, false)
               OR coalesce(c.brain_outcome = 'email_captured' AND c.brain_email IS NOT NULL, false) AS email_signal,
           coalesce(s.asked_callback, false) OR coalesce(c.brain_outcome = 'callback', false) AS callback_signal,
           coalesce(s.said_not_interested, false) OR coalesce(c.brain_outcome = 'not_interested', false) AS not_interested_signal,
           coalesce(c.in_voicemail, false)
               OR coalesce(c.disconnection_reason IN ('voicemail_reached', 'machine_detected'), false) AS voicemail_signal,
           coalesce(u.user_turns, 0) = 0
               OR coalesce(c.call_status = 'not_connected', false)
               OR coalesce(c.disconnection_reason IN ('dial_no_answer', 'dial_busy', 'dial_failed',
                                                      'error_user_not_joined', 'registered_call_timeout'), false)
               AS no_answer_signal
    FROM calls AS c
    LEFT JOIN user_turns AS u USING (call_id)
    LEFT JOIN said AS s USING (call_id)
    LEFT JOIN tools AS t USING (call_id)
),
resolved AS (
    SELECT s.*,
           list_filter([
               CASE WHEN dnc_signal THEN 'dnc' END,
               CASE WHEN email_signal THEN 'email_captured' END,
               CASE WHEN callback_signal THEN 'callback' END,
               CASE WHEN not_interested_signal THEN 'not_interested' END,
               CASE WHEN voicemail_signal THEN 'voicemail' END,
               CASE WHEN no_answer_signal THEN 'no_answer' END,
               'other'
           ], lambda x: x IS NOT NULL) AS outcome_candidates
    FROM signals AS s
)
SELECT r.call_id,
       r.sources,
       r.is_synthetic,
       r.campaign_id,
       r.prompt_version,
       r.agent_id,
       r.direction,
       r.contact_number_e164,
       coalesce(by_id.lead_id, by_phone.lead_id) AS lead_id,
       CASE WHEN by_id.lead_id IS NOT NULL THEN 'lead_id'
            WHEN by_phone.lead_id IS NOT NULL THEN 'phone' END AS lead_match,
       r.lead_id AS metadata_lead_id,
       l.business_name,
       l.vertical,
       l.state,
       r.call_status,
       r.start_ts,
       r.end_ts,
       coalesce(r.end_ts, r.start_ts + to_microseconds(CAST(r.duration_s * 1e6 AS BIGINT)), r.start_ts) AS outcome_ts,
       r.duration_s,
       $precedence[list_min([list_position($precedence, x) FOR x IN r.outcome_candidates])] AS outcome,
       r.outcome_candidates,
       coalesce(r.first_direct_email, r.first_email, r.brain_email) AS captured_email,
       CASE WHEN r.first_direct_email IS NOT NULL THEN false
            WHEN r.first_email IS NOT NULL THEN true
            WHEN r.brain_email IS NOT NULL THEN eve_is_generic_email(r.brain_email) END AS captured_email_is_generic,
       r.objections,
       len(r.objections) AS objection_count,
       r.user_turns,
       r.in_voicemail,
       r.disconnection_reason,
       r.user_sentiment,
       r.tool_names,
       NOT r.dnc_signal AS follow_up_allowed
FROM resolved AS r
LEFT JOIN leads AS by_id ON by_id.lead_id = r.lead_id
LEFT JOIN lead_by_phone AS by_phone ON by_id.lead_id IS NULL AND by_phone.phone_e164 = r.contact_number_e164
LEFT JOIN leads AS l ON l.lead_id = coalesce(by_id.lead_id, by_phone.lead_id)
ORDER BY r.call_id;
