-- ont_call_outcomes (PostgreSQL / Supabase): one row per call of marts.customer_journeys — what the
-- call meant for its lead. Applied idempotently before every export; the outcome vocabulary check
-- is added by pipelines/exports/schema.py from vocabulary/outcomes.py (the one source).
-- A dnc row never carries the captured email (follow_up_allowed = false).
CREATE TABLE IF NOT EXISTS ont_call_outcomes (
    call_id                   text        PRIMARY KEY,
    lead_id                   text,
    outcome                   text        NOT NULL,
    outcome_ts                timestamptz,
    captured_email            text,
    captured_email_is_generic boolean,
    objections                text[]      NOT NULL DEFAULT '{}',
    follow_up_allowed         boolean     NOT NULL,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    CHECK (follow_up_allowed OR captured_email IS NULL)
);
CREATE INDEX IF NOT EXISTS ont_call_outcomes_lead_id_idx ON ont_call_outcomes (lead_id);
CREATE INDEX IF NOT EXISTS ont_call_outcomes_outcome_idx ON ont_call_outcomes (outcome);
CREATE INDEX IF NOT EXISTS ont_call_outcomes_outcome_ts_idx ON ont_call_outcomes (outcome_ts);
CREATE INDEX IF NOT EXISTS ont_call_outcomes_updated_at_idx ON ont_call_outcomes (updated_at);
