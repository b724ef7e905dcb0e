"""`make synthetic` / `python -m pipelines.commands.synthetic` — land the synthetic calls in $DATA_DIR without Dagster.

Writes only the landing zone (`landing/retell_calls/synthetic/<day>/calls.jsonl`); the clinics and
lead tables are written by the `synthetic_world` asset. Defaults come from the SYNTHETIC_* settings.
Prints one JSON summary line; exit code 2 on a malformed setting.
"""

from __future__ import annotations

import argparse
import json
import sys

from pipelines.platform.settings import PipelineSettings
from pipelines.synthetic.config import SyntheticConfig, SyntheticConfigError
from pipelines.synthetic.world import land_calls


def main(argv: list[str] | None = None) -> int:
    settings = PipelineSettings()
    parser = argparse.ArgumentParser(prog="python -m pipelines.commands.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", default=settings.synthetic_seed)
    parser.add_argument("--as-of", default=settings.synthetic_as_of, help="YYYY-MM-DD")
    parser.add_argument("--clinics", default=settings.synthetic_clinics)
    parser.add_argument("--calls", default=settings.synthetic_calls)
    parser.add_argument("--days", default=settings.synthetic_days)
    args = parser.parse_args(argv)
    try:
        config = SyntheticConfig.build(
            seed=args.seed, as_of=args.as_of, n_clinics=args.clinics, n_calls=args.calls, days=args.days
        )
    except SyntheticConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    landed = land_calls(config, settings.data_dir)
    print(
        json.dumps(
            {
                "landing_dir": str(landed.report.root),
                "calls": landed.report.calls,
                "day_files": len(landed.report.files),
                "files_written": landed.report.files_written,
                "stale_days_removed": landed.report.removed_days,
                "by_expected_outcome": dict(sorted(landed.outcomes.items())),
            },
            sort_keys=True,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
