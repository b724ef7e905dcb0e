-- raw.dnc_entries: every number read from the do-not-call files in $DATA_DIR/inbox/dnc, normalised
-- to E.164. Each file is an idempotent slice; files that disappear keep their entries (a number
-- once suppressed stays suppressed until someone deletes it here on purpose).
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.dnc_entries (
    source_file  VARCHAR   NOT NULL,
    line_no      BIGINT    NOT NULL,
    phone_raw    VARCHAR   NOT NULL,
    phone_e164   VARCHAR   NOT NULL,
    ingested_at  TIMESTAMP NOT NULL
);
