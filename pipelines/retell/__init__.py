"""Retell call sync: list-calls + get-call through `retell-sdk` into the landing zone.

* `config`  — `SyncConfig`, the sync's knobs (built from `PipelineSettings`).
* `state`   — the sync cursor (watermark, calls awaiting analysis), saved atomically.
* `batches` — JSONL batch files of fetched get-call JSON, written atomically.
* `fetch`   — the SDK client and retried list/get requests.
* `sync`    — the resumable sync run itself (`run_sync`).

Design and guarantees: docs/call-data.md. Never imports dagster; the assets call into it.
"""
