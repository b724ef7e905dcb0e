"""`make money`: call sync + journeys + revenue ops + the report, in one command.

Materializes the `money` selection (`pipelines/automation/journeys.py`; without the synthetic world
when SYNTHETIC_BOOTSTRAP=false, i.e. where real calls flow) with the code location's own assets and
resources, on the warehouse of WAREHOUSE_PATH / DATA_DIR, then prints where the
report went. With DAGSTER_HOME set the run is recorded in that instance (visible in the UI);
otherwise it runs on an ephemeral instance. Like `make leads` it takes the warehouse first
(`pipelines/warehouse_lock.py`: `waiting for the warehouse (held by …)`, at most `--wait` seconds).
Exit status 0 on success, 1 when any step failed or the warehouse stayed busy.

    python -m pipelines.money            # prints .../revenue_ops/latest.md
"""

from __future__ import annotations

import argparse
import os
import sys

import dagster as dg


def run_money() -> dg.ExecuteInProcessResult:
    from pipelines.automation.journeys import MONEY
    from pipelines.definitions import defs
    from pipelines.resources import build_resources
    from pipelines.settings import get_settings

    settings = get_settings()
    selection = MONEY
    if not getattr(settings, "synthetic_bootstrap", True):
        # real calls flow here (SYNTHETIC_BOOTSTRAP=false): never regenerate the synthetic world
        selection = (MONEY - dg.AssetSelection.groups("synthetic")).required_multi_asset_neighbors()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.warehouse_file.parent.mkdir(parents=True, exist_ok=True)
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None
    return dg.materialize(
        [*defs.assets, *(defs.asset_checks or [])],
        selection=selection,
        resources=build_resources(settings),
        instance=instance,
        raise_on_error=False,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make money", description=__doc__.splitlines()[0])
    parser.add_argument("--wait", type=float, default=600.0, help="seconds to wait for a busy warehouse (0 = none)")
    args = parser.parse_args(argv)
    from pipelines.settings import get_settings
    from pipelines.warehouse_lock import WarehouseBusy, failure_reason, hold_warehouse

    settings = get_settings()
    try:
        with hold_warehouse(settings.warehouse_file, purpose="make money", wait_seconds=args.wait):
            result = run_money()
    except WarehouseBusy as exc:
        print(f"money: not run: {exc}", file=sys.stderr)
        return 1
    report = settings.revenue_ops_dir / "latest.md"
    if not result.success:
        failed = [e for e in result.all_events if e.is_step_failure]
        print(f"money: FAILED steps: {', '.join(e.step_key for e in failed) or 'unknown'}", file=sys.stderr)
        for event in failed:
            print(f"  {event.step_key}: {failure_reason(event.step_failure_data.error)}", file=sys.stderr)
        return 1
    print(f"warehouse: {settings.warehouse_file}")
    print(f"report: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
