"""Helpers shared by the lead-factory tests (`tests.support.leads`)."""

from __future__ import annotations

import csv
import json
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pytest

from pipelines.platform.resources import build_resources
from pipelines.platform.settings import PipelineSettings

QUIET = {"console": {"config": {"log_level": "ERROR"}}}


def lead_assets(include_push: bool = False) -> list:
    import assets.leads.assets as leads

    chosen = [
        leads.lead_records,
        leads.dnc_entries,
        leads.staged_leads,
        leads.suppression_list,
        leads.lead_scores,
        leads.qualified_leads,
        leads.call_queue,
        leads.lead_summary,
    ]
    return chosen + ([leads.n8n_lead_deliveries] if include_push else [])


def materialize_leads(
    settings, *, paths=None, dnc_paths=None, min_score=None, top_k=None, include_push=False, raise_on_error=True
):
    queue = {"min_score": min_score, "top_k": top_k}
    run_config = {
        "ops": {
            "lead_records": {"config": {"paths": None if paths is None else [str(p) for p in paths]}},
            "raw__dnc_entries": {"config": {"paths": None if dnc_paths is None else [str(p) for p in dnc_paths]}},
            "marts__qualified_leads": {"config": queue},
            "marts__call_queue": {"config": queue},
            "marts__lead_summary": {"config": queue},
        },
        "loggers": QUIET,
    }
    return dg.materialize(
        lead_assets(include_push),
        resources=build_resources(settings),
        run_config=run_config,
        raise_on_error=raise_on_error,
    )


def lead_row(**overrides) -> dict:
    """A lead that scores nothing by default; override fields to switch components on."""
    row = {"business_name": "Plain Business", "city": "Dallas", "state": "TX"}
    row.update(overrides)
    return row


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[dict]) -> Path:
    fields: list[str] = []
    for row in rows:
        fields += [k for k in row if k not in fields]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def check_results(result) -> dict[str, bool]:
    return {e.check_name: e.passed for e in result.get_asset_check_evaluations()}


@contextmanager
def lead_environment(base: Path):
    """DATA_DIR/WAREHOUSE_PATH/SERVING_PATH under ``base``; settings re-read; inboxes created."""
    data = base / "data"
    (data / "inbox" / "leads").mkdir(parents=True)
    (data / "inbox" / "dnc").mkdir(parents=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATA_DIR", str(data))
        patch.setenv("WAREHOUSE_PATH", str(data / "warehouse.duckdb"))
        patch.setenv("SERVING_PATH", str(data / "serving.duckdb"))
        for name in ("N8N_LEAD_WEBHOOK_URL", "LEAD_SOURCE_URLS", "LEAD_MIN_SCORE", "LEAD_TOP_K", "LEAD_MAX_FILE_BYTES"):
            patch.delenv(name, raising=False)
        yield PipelineSettings()


WAREHOUSE_ENV = ("WAREHOUSE_URL", "WAREHOUSE_DATA_PATH", "WAREHOUSE_METADATA_SCHEMA")


@contextmanager
def embedded_lead_environment(base: Path):
    """`lead_environment` on the embedded file only, for tests of what exists only there (the file
    lock, the serving copy) or of no warehouse at all (sensors, selections): no DuckLake twin."""
    with pytest.MonkeyPatch.context() as patch:
        for name in WAREHOUSE_ENV:
            patch.delenv(name, raising=False)
        with lead_environment(base) as settings:
            yield settings


FIXTURES = Path(__file__).resolve().parents[1] / "pipelines" / "leads" / "fixtures"
