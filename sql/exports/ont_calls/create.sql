-- ont_calls (PostgreSQL / Supabase): one row per call of staging.calls (Retell API, webhooks, brain).
-- Applied idempotently before every export. No foreign key to ont_leads: a call may match no lead.
CREATE TABLE IF NOT EXISTS ont_calls (
    call_id              text             PRIMARY KEY,
    lead_id              text,
    campaign_id          text,
    prompt_version       text,
    is_synthetic         boolean          NOT NULL,
    direction            text,
    call_status          text,
    from_number_e164     text,
    to_number_e164       text,
    start_ts             timestamptz,
    end_ts               timestamptz,
    duration_s           double precision CHECK (duration_s IS NULL OR duration_s >= 0),
    disconnection_reason text,
    cost_usd             double precision,
    created_at           timestamptz      NOT NULL DEFAULT now(),
    updated_at           timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS ont_calls_lead_id_idx ON ont_calls (lead_id);
CREATE INDEX IF NOT EXISTS ont_calls_start_ts_idx ON ont_calls (start_ts);
CREATE INDEX IF NOT EXISTS ont_calls_campaign_id_idx ON ont_calls (campaign_id);
CREATE INDEX IF NOT EXISTS ont_calls_updated_at_idx ON ont_calls (updated_at);
