"""`make report` (alias `make money`): call sync + journeys + revenue ops + the revenue report.

Materializes the `refresh_revenue_report` selection (`assets/journeys/automation.py`; without the
synthetic world when SYNTHETIC_BOOTSTRAP=false, i.e. where real calls flow) in-process, publishes
the serving copy and prints where the report went (`pipelines/commands/materialize.py`). Like
`make leads` it takes the embedded warehouse first (`pipelines/platform/warehouse_lock.py`: `waiting
for the warehouse (held by …)`, at most `--wait` seconds). On DuckLake (`WAREHOUSE_URL`) there is no
lock to take and no serving copy to publish: writers of different tables run at once and analysts
read the lake itself. Exit status 0 on success, 1 when any step failed or the warehouse stayed busy.

    python -m pipelines.commands.report      # prints .../revenue_ops/latest.md
"""

from __future__ import annotations

import argparse
import sys

import dagster as dg

from assets.journeys.automation import REFRESH_REVENUE_REPORT
from pipelines.commands.materialize import RunOutcome, materialize_and_publish, recording_instance
from pipelines.platform.catalog import SYNTHETIC
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse_lock import WarehouseBusy, hold_warehouse


def report_selection(settings: PipelineSettings) -> dg.AssetSelection:
    if settings.synthetic_bootstrap:
        return REFRESH_REVENUE_REPORT
    # real calls flow here (SYNTHETIC_BOOTSTRAP=false): never regenerate the synthetic world
    return (REFRESH_REVENUE_REPORT - dg.AssetSelection.groups(SYNTHETIC)).required_multi_asset_neighbors()


def refresh_revenue_report(settings: PipelineSettings) -> RunOutcome:
    return materialize_and_publish(
        settings, report_selection(settings), instance=recording_instance(), publish=settings.lake is None
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make report", description=__doc__.splitlines()[0])
    parser.add_argument("--wait", type=float, default=600.0, help="seconds to wait for a busy warehouse (0 = none)")
    args = parser.parse_args(argv)
    settings = PipelineSettings()
    try:
        if settings.lake is not None:
            outcome = refresh_revenue_report(settings)
        else:
            settings.warehouse_file.parent.mkdir(parents=True, exist_ok=True)
            with hold_warehouse(settings.warehouse_file, purpose="make report", wait_seconds=args.wait):
                outcome = refresh_revenue_report(settings)
    except WarehouseBusy as exc:
        print(f"report: not run: {exc}", file=sys.stderr)
        return 1
    if not outcome.success:
        failures = outcome.failures()
        print(f"report: FAILED steps: {', '.join(step for step, _ in failures) or 'unknown'}", file=sys.stderr)
        for step, reason in failures:
            print(f"  {step}: {reason}", file=sys.stderr)
        return 1
    if settings.lake is not None:
        print(f"warehouse: {settings.lake.describe()}")
    else:
        print(f"warehouse: {settings.warehouse_file}")
        print(f"serving copy: {settings.serving_file}")
    print(f"report: {settings.revenue_ops_dir / 'latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
