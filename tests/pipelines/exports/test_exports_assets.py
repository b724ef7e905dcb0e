"""The export assets really materialized (Dagster in process) against real DuckDB and PostgreSQL:
skip without SUPABASE_DB_URL, counts in metadata, asset checks, `make export`, never in bootstrap."""

from __future__ import annotations

import dagster as dg
import psycopg

from assets.exports.assets import EXPORT_ASSETS, EXPORT_CHECKS
from pipelines.commands import export as export_command
from pipelines.platform.conventions import SIDE_EFFECT_TAGS
from pipelines.platform.resources import build_resources
from pipelines.platform.settings import PipelineSettings
from tests.support.exports import write_marts


def _materialize(warehouse_path, selection=None) -> dg.ExecuteInProcessResult:
    settings = PipelineSettings(warehouse_path=warehouse_path)
    return dg.materialize(
        [*EXPORT_ASSETS, *EXPORT_CHECKS],
        resources=build_resources(settings),
        selection=selection,
        raise_on_error=False,
    )


def _configure(monkeypatch, warehouse_path, url: str | None) -> None:
    monkeypatch.setenv("WAREHOUSE_PATH", str(warehouse_path))
    if url:
        monkeypatch.setenv("SUPABASE_DB_URL", url)


def _metadata(result) -> dict[str, dict]:
    return {
        e.asset_key.path[-1]: {k: getattr(v, "value", v) for k, v in e.materialization.metadata.items()}
        for e in result.get_asset_materialization_events()
    }


def test_without_url_nothing_is_materialized(warehouse_path, monkeypatch, capsys):
    write_marts(warehouse_path, leads=3, calls=2)
    _configure(monkeypatch, warehouse_path, None)
    result = _materialize(warehouse_path)
    assert result.success
    assert result.get_asset_materialization_events() == []
    assert export_command.main([]) == 0
    assert "SUPABASE_DB_URL is not set" in capsys.readouterr().out


def test_materialize_exports_counts_and_checks(warehouse_path, pg_url, monkeypatch):
    write_marts(warehouse_path, leads=12, calls=8)
    _configure(monkeypatch, warehouse_path, pg_url)
    monkeypatch.setenv("EXPORT_BATCH_SIZE", "5")
    first = _materialize(warehouse_path)
    assert first.success
    meta = _metadata(first)
    assert {t: (m["inserted"], m["postgres_rows"], m["batches"]) for t, m in meta.items()} == {
        "ont_leads": (12, 12, 3),
        "ont_calls": (8, 8, 2),
        "ont_call_outcomes": (8, 8, 2),
    }
    assert "@" not in meta["ont_leads"]["target"]  # host:port/db only
    checks = first.get_asset_check_evaluations()
    assert len(checks) == 3 and all(c.passed for c in checks)

    second = _metadata(_materialize(warehouse_path))
    assert {t: (m["inserted"], m["updated"], m["unchanged"]) for t, m in second.items()} == {
        "ont_leads": (0, 0, 12),
        "ont_calls": (0, 0, 8),
        "ont_call_outcomes": (0, 0, 8),
    }

    # someone deletes and edits rows in PostgreSQL: the checks see it
    with psycopg.connect(pg_url) as pg:
        pg.execute("DELETE FROM ont_calls WHERE call_id = 'C00000003'")
        pg.execute("UPDATE ont_leads SET business_name = 'edited'")
    only_checks = _materialize(warehouse_path, selection=dg.AssetSelection.checks(*EXPORT_CHECKS))
    assert only_checks.get_asset_materialization_events() == []  # the checks ran alone
    evaluations = {c.asset_key.path[-1]: c for c in only_checks.get_asset_check_evaluations()}
    assert not evaluations["ont_calls"].passed and not evaluations["ont_leads"].passed
    assert evaluations["ont_call_outcomes"].passed


def test_make_export_prints_counts(warehouse_path, pg_url, monkeypatch, capsys):
    write_marts(warehouse_path, leads=4, calls=3)
    _configure(monkeypatch, warehouse_path, pg_url)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert export_command.main([]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith("ont_")}
    assert lines["ont_leads"][1:3] == ["4", "4"] and lines["ont_calls"][1:3] == ["3", "3"]
    assert out.count(": ok") == 3


def test_exports_are_side_effects_outside_bootstrap_and_report():
    from assets.journeys.automation import REFRESH_REVENUE_REPORT
    from pipelines.commands.launcher import bootstrap_selection
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {k for a in EXPORT_ASSETS for k in a.keys}
    assert all(SIDE_EFFECT_TAGS.items() <= a.tags_by_key[k].items() for a in EXPORT_ASSETS for k in a.keys)
    assert not keys & bootstrap_selection(PipelineSettings()).resolve(graph)
    assert not keys & REFRESH_REVENUE_REPORT.resolve(graph)
    assert keys <= dg.AssetSelection.groups("exports").resolve(defs.resolve_asset_graph())
