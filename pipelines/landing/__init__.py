"""The call landing zone: find new landing files and load them into the raw call tables.

* `files`  — scan `$DATA_DIR/landing/{retell_calls,retell_webhooks,brain_calls}` and diff against
  the raw.landing_files ledger (path + size + mtime), so a rerun reads only new or changed files;
* `retell` — load Retell JSONL batches and webhook events into raw.retell_calls (set-based DuckDB);
* `brain`  — validate brain call records against their JSON Schema into raw.brain_calls.

Bad records never fail a load: they go to raw.call_rejects with the reason. Layout and contract:
docs/call-data.md.
"""
