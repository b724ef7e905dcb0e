"""`make report` (alias `make money`): call sync + journeys + revenue ops + the revenue report.

Materializes the `refresh_revenue_report` selection (`assets/journeys/automation.py`; without the
synthetic world when SYNTHETIC_BOOTSTRAP=false, i.e. where real calls flow) in-process, publishes
the serving copy and prints where the report went (`pipelines/commands/materialize.py`). Exit
status 0 on success, 1 when any step failed.

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


def report_selection(settings: PipelineSettings) -> dg.AssetSelection:
    if settings.synthetic_bootstrap:
        return REFRESH_REVENUE_REPORT
    # real calls flow here (SYNTHETIC_BOOTSTRAP=false): never regenerate the synthetic world
    return (REFRESH_REVENUE_REPORT - dg.AssetSelection.groups(SYNTHETIC)).required_multi_asset_neighbors()


def refresh_revenue_report(settings: PipelineSettings) -> RunOutcome:
    return materialize_and_publish(settings, report_selection(settings), instance=recording_instance())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make report", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    settings = PipelineSettings()
    outcome = refresh_revenue_report(settings)
    if not outcome.success:
        failed = [step for step, _ in outcome.failures()]
        print(f"report: FAILED steps: {', '.join(failed) or 'unknown'}", file=sys.stderr)
        return 1
    print(f"warehouse: {settings.warehouse_file}")
    print(f"serving copy: {settings.serving_file}")
    print(f"report: {settings.revenue_ops_dir / 'latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
