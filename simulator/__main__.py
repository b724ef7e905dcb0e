"""``python -m simulator`` (``make simulator``): run the simulated Retell until Ctrl-C / SIGTERM.

Settings come from ``SIM_*`` variables (or `.env`). Prints the base URL and the key clients use
(the key only when it is the built-in offline one — a key you set yourself is never printed), then
a one-line summary at exit. Point the brain at it with ``RETELL_API_KEY`` = ``SIM_API_KEY`` so the
signed webhooks verify, and point retell-sdk clients at the URL (``RETELL_BASE_URL``).
"""

from __future__ import annotations

import json
import signal
import sys
import threading

from simulator.server import RetellSimulator
from simulator.settings import SimulatorSettings

DEFAULT_KEY = SimulatorSettings.model_fields["api_key"].default.get_secret_value()


def main() -> int:
    settings = SimulatorSettings()
    sim = RetellSimulator(settings).start()
    key = sim.api_key if sim.api_key == DEFAULT_KEY else "(SIM_API_KEY from your environment)"
    print(f"simulated Retell on {sim.base_url}", flush=True)
    print(f"  api key:     {key}", flush=True)
    print(f"  brain:       {settings.brain_ws_url}/<call_id>", flush=True)
    print(f"  webhooks:    {settings.webhook_url or '(none)'}", flush=True)
    print(f"  concurrency: {settings.concurrency_limit} · time scale ×{settings.time_scale:g} · seed {settings.seed}")
    print("Ctrl-C stops it.", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    stats = sim.stats()
    sim.stop()
    print("summary: " + json.dumps({k: stats[k] for k in ("created", "finished", "call_errors", "webhooks_failed")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
