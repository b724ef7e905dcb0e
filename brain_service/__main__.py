"""``python -m brain_service``: run the brain on BRAIN_HOST:BRAIN_PORT (one process, drains on SIGTERM).

The brain keeps per-call state (reconnect resume, metrics) in its process, so it refuses to run
with several workers (``WEB_CONCURRENCY`` > 1); scale out with more instances instead.
"""

from __future__ import annotations

import os
import sys

from brain_service.app import create_app
from brain_service.logs import configure_logging
from brain_service.server import DrainingServer, uvicorn_config
from brain_service.settings import get_settings


def main() -> int:
    workers = os.environ.get("WEB_CONCURRENCY", "1").strip() or "1"
    if not workers.isdigit() or int(workers) != 1:
        print(
            f"brain_service runs as a single process (WEB_CONCURRENCY={workers!r}); per-call state and metrics are "
            "in-process. Run more instances behind the load balancer instead.",
            file=sys.stderr,
        )
        return 2
    settings = get_settings()
    configure_logging(settings.brain_log_level)
    app = create_app(settings)
    server = DrainingServer(uvicorn_config(app, settings), app.state.brain)
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
