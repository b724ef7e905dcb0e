"""The brain: the Retell Custom-LLM websocket server that speaks on every live call.

* `app` / `__main__` / `server` — the ASGI app, ``python -m brain_service`` and its uvicorn setup;
* `transport/`    — the socket: sessions, turns, the frame writer, the call registry, the wire format;
* `conversation_contract` — the one contract between the transport and the conversation;
* `conversation/`, `llm/`, `speech/`, `prompts` — what is said (playbook, Gemini phrasing, sentences);
* `call_record`, `webhooks` — the call records and Retell webhooks handed to the data platform;
* `settings`, `security`, `metrics`, `logs`, `runtime` — configuration, handshake gates, Prometheus,
  JSON log lines, the per-app shared objects.

It never imports the data platform (Dagster, DuckDB); shared words come from `vocabulary`, the
DATA_DIR layout and schemas from `contracts`.
"""
