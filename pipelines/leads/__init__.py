"""The lead factory's library: everything the `leads` assets call that is not SQL.

* `files`       — read lead files (CSV, TSV, JSON, JSONL) into `raw.lead_records`, with rejects;
* `encoding`    — which encoding a CSV/TSV is in (Excel's cp1252, Latin-1, UTF-16) and a UTF-8 copy;
* `dnc`         — read do-not-call files into `raw.dnc_entries`;
* `http_source` — fetch lead JSON from configured HTTP sources;
* `records`     — record shapes every source shares (JSON containers, Apify detection);
* `fields`      — which source field names mean what (aliases; identity and numeric fields);
* `geography`   — US states and IANA time zones (state, city overrides, area codes);
* `phones_bulk` — set-based E.164 normalisation in DuckDB (fast path + `vocabulary.phones` fallback);
* `icp`         — the ICP keyword lists and the bound parameters of the scoring SQL;
* `checks`      — the invariants behind the asset checks;
* `n8n`         — delivery of the call queue to n8n with retries and a ledger;
* `run_outcome` — what one `make leads` produced: usable records, warnings, why nothing was queued.
"""
