"""`make export`: run the Supabase export assets (group `exports`) and their checks once.

Materializes `exports/ont_leads`, `exports/ont_calls`, `exports/ont_call_outcomes` in process on
the warehouse of WAREHOUSE_PATH / DATA_DIR (progress per batch in the log), then prints one line
per table: rows read, inserted, updated, unchanged, rejected, rows now in PostgreSQL, and the
checks. With SUPABASE_DB_URL unset it says so and exits 0. Exit status 1 when a step or check failed.
Runs through `materialize_and_publish` (no serving copy: an export changes no mart).

    python -m pipelines.commands.export
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

import dagster as dg

from pipelines.commands.materialize import materialize_and_publish, recording_instance
from pipelines.platform.catalog import EXPORTS
from pipelines.platform.settings import PipelineSettings

COLUMNS = ("source_rows", "inserted", "updated", "unchanged", "duplicates", "rejected", "postgres_rows")


def run_export(settings: PipelineSettings) -> dg.ExecuteInProcessResult:
    outcome = materialize_and_publish(
        settings, dg.AssetSelection.groups(EXPORTS), instance=recording_instance(), publish=False
    )
    return outcome.result


def summarize(result: dg.ExecuteInProcessResult, out: TextIO | None = None) -> bool:
    """Print the per-table counts and checks; True when every step and check passed."""
    out = out or sys.stdout
    rows = []
    for event in result.get_asset_materialization_events():
        materialization = event.materialization
        meta = {k: getattr(v, "value", v) for k, v in materialization.metadata.items()}
        rows.append((materialization.asset_key.path[-1], *(str(meta.get(c, "")) for c in COLUMNS)))
    checks = result.get_asset_check_evaluations()
    if not rows:
        print("export: nothing exported (SUPABASE_DB_URL is not set, or a step failed — see the log)", file=out)
    else:
        header = ("table", *COLUMNS)
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        for line in [header, *rows]:
            cells = [str(line[0]).ljust(widths[0])] + [
                str(v).rjust(w) for v, w in zip(line[1:], widths[1:], strict=True)
            ]
            print("  ".join(cells), file=out)
    failed_checks = [c for c in checks if not c.passed]
    for check in checks:
        status = "ok" if check.passed else "FAILED"
        print(f"check {check.asset_key.to_user_string()}:{check.check_name}: {status}", file=out)
    failed_steps = [e.step_key for e in result.all_events if e.is_step_failure]
    if failed_steps:
        print(f"export: FAILED steps: {', '.join(failed_steps)}", file=out)
    return result.success and not failed_checks and not failed_steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make export", description=(__doc__ or "").splitlines()[0])
    parser.parse_args(argv)
    settings = PipelineSettings()
    if settings.supabase_db_url is None or not settings.supabase_db_url.get_secret_value().strip():
        print("export: SUPABASE_DB_URL is not set: nothing to export (see docs/exports.md)")
        return 0
    result = run_export(settings)
    return 0 if summarize(result) else 1


if __name__ == "__main__":
    sys.exit(main())
