-- Small helpers for the lead staging SQL (temp macros, this connection only).
CREATE OR REPLACE TEMP MACRO lead_text(v) AS nullif(trim(v), '');
-- plain numbers cast directly; only the rest pay for stripping "$", "," and spaces
CREATE OR REPLACE TEMP MACRO lead_number(v) AS
    coalesce(try_cast(v AS DOUBLE), try_cast(regexp_replace(v, '[$,\s]', '', 'g') AS DOUBLE));
-- staging tables are rebuilt whole; row order inside them carries no meaning (saves memory)
SET preserve_insertion_order = false;
-- bound the staging step's memory (DuckDB spills to disk beyond it): with it `make leads` on 1M lead
-- records peaks at ~1.4 GiB RSS (docs/benchmarks.md, Lead factory)
SET memory_limit = '1GB';
