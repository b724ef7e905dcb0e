-- ont_leads (PostgreSQL / Supabase): one row per lead of marts.lead_status — where the conversation
-- with it stands. Applied idempotently before every export; the status / last_outcome vocabulary
-- checks are added by pipelines/exports/schema.py from vocabulary/outcomes.py (the one source).
CREATE TABLE IF NOT EXISTS ont_leads (
    lead_id        text        PRIMARY KEY,
    phone_e164     text,
    business_name  text        NOT NULL,
    is_synthetic   boolean     NOT NULL,
    status         text        NOT NULL,
    attempts       integer     NOT NULL CHECK (attempts >= 0),
    last_call_ts   timestamptz,
    last_outcome   text,
    captured_email text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS ont_leads_phone_e164_idx ON ont_leads (phone_e164);
CREATE INDEX IF NOT EXISTS ont_leads_status_idx ON ont_leads (status);
CREATE INDEX IF NOT EXISTS ont_leads_updated_at_idx ON ont_leads (updated_at);
