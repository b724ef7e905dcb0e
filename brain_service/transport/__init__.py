"""The brain's side of the Retell Custom-LLM websocket: everything between the socket and the conversation.

* `endpoint`      — ASGI middleware: path matching, handshake gates, admit → build → bind → run;
* `session`       — one socket: the reader, timers, lifecycle (composes the two below);
* `writer`        — the frame writer, the only code that writes to the socket (lanes, deadlines);
* `turn_runner`   — the turn logic: start, supersede, barge-in, terminal, turn log;
* `turn`, `frames` — a turn's state machine and the typed outbound frames (control vs speech lane);
* `registry`, `retained_call` — calls across sockets (reconnect, capacity, ticker, drain) and the
  small protocol the registry sees of a session;
* `protocol`      — Retell's wire format (inbound parsing, outbound builders); `wire_text` —
  inbound text sanitised once (lone surrogates, NaN / Infinity);
* `wire_close`    — closing with a code even when the peer stopped reading.

Imports point one way: endpoint → session → (turn_runner, writer) → frames → turn; the registry
sees sessions only through `retained_call.LiveSession`.
"""
