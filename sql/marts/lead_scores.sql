-- marts.lead_scores: the ICP score of every staged lead (seed-pipelines-notes §1 weights) with the
-- reasons, keywords matched as WHOLE words. Positive points are capped at 100 before the generic
-- email penalty so the penalty is never hidden; the result is clamped to 0..100, 2 decimals.
-- high_ticket = staging found a high-ticket keyword as a whole word (staging.leads.icp_keywords).
-- Binds: $pain_re.
CREATE SCHEMA IF NOT EXISTS marts;
CREATE OR REPLACE TABLE marts.lead_scores AS
WITH signals AS (
    SELECT
        l.*,
        coalesce(len(l.icp_keywords) > 0, false) AS high_ticket,
        coalesce(regexp_matches(lower(l.pain_text), $pain_re), false) AS pain_signal,
        (coalesce(l.employees >= 5, false)::INT + coalesce(l.annual_revenue >= 750000, false)::INT
         + coalesce(l.reviews_count >= 50, false)::INT + coalesce(l.locations_count >= 2, false)::INT
         + coalesce(l.ad_spend_monthly >= 2000, false)::INT + coalesce(l.rating >= 4.0, false)::INT) AS pay_signals,
        l.phone_e164 IS NOT NULL AS has_phone,
        l.website_domain IS NOT NULL AS has_website,
        l.email IS NOT NULL AS has_email
    FROM staging.leads AS l
),
points AS (
    SELECT *,
           pay_signals >= 2 AS can_pay_5k_10k,
           (CASE WHEN ad_active THEN 35 ELSE 0 END) + (CASE WHEN high_ticket THEN 30 ELSE 0 END)
             + (CASE WHEN pay_signals >= 2 THEN 20 ELSE 0 END) + (CASE WHEN pain_signal THEN 10 ELSE 0 END)
             + (CASE WHEN has_phone THEN 3 ELSE 0 END) + (CASE WHEN has_website THEN 2 ELSE 0 END)
             + (CASE WHEN has_email THEN 3 ELSE 0 END) AS positive_points,
           CASE WHEN email_is_generic THEN -2 ELSE 0 END AS penalty_points
    FROM signals
)
SELECT
    lead_id, business_name, phone_e164, website_domain, email, email_is_generic, vertical, city, state, timezone,
    ad_active, high_ticket, pain_signal, can_pay_5k_10k, pay_signals,
    round(greatest(0, least(100, least(100, positive_points) + penalty_points)), 2)::DOUBLE AS score,
    list_filter([
        CASE WHEN ad_active THEN 'ad_active' END,
        CASE WHEN high_ticket THEN 'high_ticket_vertical' END,
        CASE WHEN can_pay_5k_10k THEN 'can_pay_5k_10k' END,
        CASE WHEN pain_signal THEN 'pain_signal' END,
        CASE WHEN has_phone THEN 'has_phone' END,
        CASE WHEN has_website THEN 'has_website' END,
        CASE WHEN has_email THEN 'has_email' END,
        CASE WHEN email_is_generic THEN 'generic_email' END
    ], lambda r: r IS NOT NULL) AS reasons,
    is_synthetic, source, source_file
FROM points;
