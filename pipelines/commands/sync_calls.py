"""`make sync-calls` / `python -m pipelines.commands.sync_calls`: run one call sync with the environment's settings, print its report.

The API key comes only from RETELL_API_KEY (env or .env), never from the command line.
"""

from __future__ import annotations

import json
import sys

from pipelines.platform.settings import PipelineSettings
from pipelines.retell.config import SyncConfig
from pipelines.retell.sync import sync_calls


def main() -> int:
    try:
        config = SyncConfig.from_settings(PipelineSettings())
    except ValueError as exc:
        print(f"retell sync: {exc}", file=sys.stderr)
        return 2
    report = sync_calls(config)
    print(json.dumps(report.as_dict(), default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
