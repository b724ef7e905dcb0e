-- marts.n8n_lead_deliveries: the ledger of leads delivered to the n8n lead webhook, one row per
-- lead per delivered batch. A lead in this table is never sent again, so a rerun never repeats a batch.
CREATE SCHEMA IF NOT EXISTS marts;
CREATE TABLE IF NOT EXISTS marts.n8n_lead_deliveries (
    batch_id      VARCHAR   NOT NULL,
    lead_id       VARCHAR   NOT NULL,
    phone_e164    VARCHAR,
    http_status   INTEGER   NOT NULL,
    attempts      INTEGER   NOT NULL,
    delivered_at  TIMESTAMP NOT NULL
);
