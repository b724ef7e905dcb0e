-- Temp table of the landing files one load reads (path, kind, source, size, mtime); the loader
-- fills it, the raw/retell_calls/* and raw/brain_calls/* statements join it, raw/landing_files/record.sql
-- records it in the ledger.
CREATE OR REPLACE TEMP TABLE landing_batch_files (
    path        VARCHAR PRIMARY KEY,
    kind        VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    size_bytes  BIGINT  NOT NULL,
    mtime_ns    BIGINT  NOT NULL
);
CREATE OR REPLACE TEMP TABLE landing_file_counts (
    path           VARCHAR PRIMARY KEY,
    rows_loaded    INTEGER NOT NULL,
    rows_rejected  INTEGER NOT NULL
);
CREATE OR REPLACE TEMP TABLE retell_landing_docs (source_file VARCHAR NOT NULL, doc VARCHAR);
