"""The one brain harness, shared by every test folder and by `bench/`.

* `servers`      — start a uvicorn server on loopback in a thread and wait for it (the one loop);
* `brain`        — `start_brain(settings, factory=None)`: the real app under the production server
  class on an ephemeral port, `RunningBrain` (URLs, `/metrics` samples, stop);
* `retell_caller` — `RetellCall`, a Retell-shaped caller over the real websocket;
* `call_records` — brain settings for tests, call records read back and schema-checked;
* `waiting`      — poll a condition against a deadline (sync and async).
"""
