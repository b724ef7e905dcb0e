-- Temp tables of one load: the landing files it reads (path, kind, source, size, mtime; one row per
-- path, as scanned), the per-file counts its steps add (several rows per path possible: they are
-- summed) and the documents read. The loader fills them, the raw/retell_calls/* and
-- raw/brain_calls/* statements join them, raw/landing_files/record.sql records them in the ledger.
-- No keys: the same statements run on a DuckLake connection (docs/data-platform.md).
CREATE OR REPLACE TEMP TABLE landing_batch_files (
    path        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    size_bytes  BIGINT  NOT NULL,
    mtime_ns    BIGINT  NOT NULL
);
CREATE OR REPLACE TEMP TABLE landing_file_counts (
    path           VARCHAR NOT NULL,
    rows_loaded    INTEGER NOT NULL,
    rows_rejected  INTEGER NOT NULL
);
CREATE OR REPLACE TEMP TABLE retell_landing_docs (source_file VARCHAR NOT NULL, doc VARCHAR);
