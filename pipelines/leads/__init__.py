"""The lead factory's library: everything the `leads` assets call that is not SQL.

* `files`       — read lead files (CSV, TSV, JSON, JSONL) and DNC lists into raw tables, with rejects;
* `http_source` — fetch lead JSON from configured HTTP sources;
* `records`     — the record shapes every source shares (JSON containers, Apify detection);
* `geography`   — US states and IANA time zones (state, city overrides);
* `phones_bulk` — set-based E.164 normalisation in DuckDB (fast path + `vocabulary.phones` fallback);
* `icp`         — the ICP keyword lists and the bound parameters of the scoring SQL;
* `n8n`         — delivery of the call queue to n8n with retries and a ledger;
* `serving`     — atomic publication of the analysts' serving copy.
"""
