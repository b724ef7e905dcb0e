-- raw.call_attempts: the dialer's append-only ledger. One row per status change of an attempt
-- (planned → dispatched | failed | skipped | unknown); rows are never updated or deleted.
--   attempt_id   one dial attempt of one lead by one campaign (also Retell metadata.attempt_id
--                and the create-phone-call idempotency key)
--   local_day    the lead-local day the attempt counts against the campaign's daily cap
--   status       planned | dispatched | failed | skipped | unknown;  reason: why skipped/unknown
--   owner        the dispatcher process that planned it (a planned attempt whose owner is gone is
--                reconciled against Retell before anything else is dialled)
--   seq          the row's place in the ledger: max(seq) + 1, 2, … given by the appender under the
--                ledger lock (raw/call_attempts/next_seq.sql; no SEQUENCE: DuckLake has none)
-- raw.call_attempts_current: the newest row of every attempt.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.call_attempts (
    seq            BIGINT,
    attempt_id     VARCHAR NOT NULL,
    campaign       VARCHAR NOT NULL,
    lead_id        VARCHAR NOT NULL,
    phone_e164     VARCHAR,
    local_day      DATE,
    planned_at     TIMESTAMP NOT NULL,
    status         VARCHAR NOT NULL,
    reason         VARCHAR,
    call_id        VARCHAR,
    error          VARCHAR,
    prompt_version VARCHAR,
    dry_run        BOOLEAN NOT NULL DEFAULT false,
    owner          VARCHAR,
    recorded_at    TIMESTAMP NOT NULL
);
CREATE OR REPLACE VIEW raw.call_attempts_current AS
SELECT arg_max(COLUMNS(* EXCLUDE (attempt_id)), seq), attempt_id
FROM raw.call_attempts
GROUP BY attempt_id;
