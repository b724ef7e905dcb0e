"""The Supabase export domain (pure Python, no Dagster): `ont_leads`, `ont_calls`,
`ont_call_outcomes` on any PostgreSQL, upserted from the DuckDB marts.

* `connection` — the export settings object and a safe PostgreSQL connection (URL never echoed);
* `tables`     — what each table is: source SQL, key, vocabulary checks;
* `schema`     — the DDL in `sql/exports/<table>/create.sql`, applied idempotently;
* `upsert`     — batches: COPY into a temp table, one INSERT … ON CONFLICT … DO UPDATE … WHERE
  changed, one transaction per batch; returns inserted / updated / unchanged counts;
* `verify`     — row counts and a key sample compared between the mart and PostgreSQL.
"""
