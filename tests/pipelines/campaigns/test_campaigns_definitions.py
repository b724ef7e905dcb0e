"""The campaigns domain in Dagster: assets really materialized, the dispatch run against the fake
Retell, the per-campaign sensor's decisions. The tests that build the dial queue in the warehouse run
on both backends (`warehouse_backend`: the embedded file and DuckLake)."""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg
import pytest

from assets.campaigns.assets import call_attempts, campaign_daily, dial_queue, dispatch
from assets.campaigns.automation import dispatch_run_config, evaluate_campaign_sensor
from pipelines.campaigns.ledger import Ledger
from pipelines.definitions import build_definitions
from pipelines.platform.resources import build_resources
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import open_warehouse
from pipelines.reports.sections import campaign_section, render_campaigns
from tests.fakes.fake_retell import FakeRetell
from tests.support.campaigns import lead, make_warehouse, write_campaign_file, zone_inside_window_now

ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@pytest.fixture
def fake(monkeypatch):
    with FakeRetell() as server:
        monkeypatch.setenv("RETELL_API_KEY", server.api_key)
        monkeypatch.setenv("RETELL_BASE_URL", server.base_url)
        yield server


def _campaign_file(data_dir, name="spring", **fields):
    base = {
        "enabled": True,
        "agent_id": "agent_test",
        "from_numbers": ["+14155550000"],
        "weekdays": ALL_DAYS,
        "window_start": "08:00",
        "window_end": "21:00",
        "calls_per_minute": 600,
        "daily_cap": 2,
    }
    return write_campaign_file(data_dir, name, **{**base, **fields})


def test_dispatch_run_dials_through_dagster_and_a_bad_file_is_reported(tmp_path, fake, warehouse_backend):
    settings = PipelineSettings()
    _campaign_file(settings.data_dir)
    (settings.campaigns_dir / "broken.toml").write_text("daily_cap = -1\n")
    warehouse = settings.model_copy(update={"warehouse_path": tmp_path / "w.duckdb"})
    make_warehouse(warehouse, [lead(i, timezone=zone_inside_window_now()) for i in range(4)])
    resources = build_resources(warehouse)
    result = dg.materialize(
        [call_attempts, dial_queue, dispatch], resources=resources, run_config=dispatch_run_config("spring")
    )
    assert result.success
    queue_meta = result.asset_materializations_for_node("dial_queue")[0].metadata
    assert queue_meta["campaigns"].value == ["spring"]
    assert "broken.toml" in queue_meta["rejected_files"].value[0]
    meta = result.asset_materializations_for_node("campaigns__dispatch")[0].metadata
    assert meta["dispatched"].value == 2 and meta["dry_run"].value is False
    assert len(fake.created) == 2
    # the next queue build sees the ledger: the cap is used up for today
    again = dg.materialize([call_attempts, dial_queue], resources=resources)
    assert again.success
    with open_warehouse(warehouse, read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM marts.dial_queue").fetchone()[0] == 0
        reasons = dict(conn.execute("SELECT reason, count(*) FROM marts.dial_exclusions GROUP BY ALL").fetchall())
        statuses = conn.execute("SELECT DISTINCT status FROM raw.call_attempts_current").fetchall()
    assert reasons == {"attempted_too_recently": 2, "daily_cap_reached": 2}
    assert statuses == [("dispatched",)]


def test_dispatch_of_an_invalid_campaign_fails_and_dials_nothing(tmp_path, fake):
    settings = PipelineSettings()
    (settings.campaigns_dir).mkdir(parents=True)
    (settings.campaigns_dir / "broken.toml").write_text('name = "broken"\nwindow_start = "22:00"\n')
    result = dg.materialize(
        [dispatch],
        resources=build_resources(settings),
        run_config=dispatch_run_config("broken"),
        raise_on_error=False,
    )
    assert not result.success
    assert fake.created == [] and Ledger(settings.data_dir / "state").read_all() == []


def test_campaign_sensor_skips_with_reasons_and_requests_a_run_when_open(tmp_path):
    settings = PipelineSettings()
    context = dg.build_sensor_context(instance=dg.DagsterInstance.ephemeral())
    assert "gone" in evaluate_campaign_sensor(settings, "spring", context).skip_message
    path = _campaign_file(settings.data_dir, enabled=False)
    assert "disabled" in evaluate_campaign_sensor(settings, "spring", context).skip_message
    _campaign_file(settings.data_dir)
    (settings.campaigns_dir / "STOP").write_text("")
    assert "stop switch" in evaluate_campaign_sensor(settings, "spring", context).skip_message
    (settings.campaigns_dir / "STOP").unlink()
    request = evaluate_campaign_sensor(settings, "spring", context, now=datetime(2026, 3, 4, 15, tzinfo=UTC))
    assert request.run_config == dispatch_run_config("spring") and request.tags == {"campaign": "spring"}
    path.write_text("not toml [")
    assert "unusable" in evaluate_campaign_sensor(settings, "spring", context).skip_message


def test_campaign_daily_counts_attempts_connects_and_captures(tmp_path, fake, warehouse_backend):
    settings = PipelineSettings()
    _campaign_file(settings.data_dir, daily_cap=3)
    warehouse = settings.model_copy(update={"warehouse_path": tmp_path / "w.duckdb"})
    make_warehouse(warehouse, [lead(i, timezone=zone_inside_window_now()) for i in range(5)])
    resources = build_resources(warehouse)
    assert dg.materialize(
        [call_attempts, dial_queue, dispatch], resources=resources, run_config=dispatch_run_config("spring")
    ).success
    call_ids = sorted(fake.calls)
    with open_warehouse(warehouse) as conn:  # what call sync + journeys will have found
        conn.execute(
            "CREATE TABLE marts.call_features AS SELECT * FROM (VALUES (?, true), (?, true), (?, false)) "
            "t(call_id, answered)",
            call_ids,
        )
        conn.execute(
            "CREATE TABLE marts.customer_journeys AS SELECT * FROM (VALUES (?, 'email_captured'), "
            "(?, 'dnc'), (?, 'no_answer')) t(call_id, outcome)",
            call_ids,
        )
    assert dg.materialize([call_attempts, campaign_daily], resources=resources).success
    with open_warehouse(warehouse, read_only=True) as conn:
        row = conn.execute(
            "SELECT attempts, dispatched, cap, cap_used, connected, connect_rate, email_captured, dnc, capture_rate "
            "FROM marts.campaign_daily WHERE campaign = 'spring'"
        ).fetchone()
    assert row == (3, 3, 3, 3, 2, 2 / 3, 1, 1, 0.5)
    # issue 10: the revenue-ops report's campaign section reads the same mart
    with open_warehouse(warehouse, read_only=True) as conn:
        [section] = campaign_section(conn)
    assert (section["campaign"], section["attempts"], section["connected"], section["connect_rate"]) == (
        "spring",
        3,
        2,
        round(2 / 3, 4),
    )
    assert (section["cap_used"], section["cap"], section["email_captured"], section["dnc"]) == (3, 3, 1, 1)
    assert section["capture_rate"] == 0.5
    markdown = "\n".join(render_campaigns([section]))
    assert "## Campaigns" in markdown and "| spring | 3 | 2 | 66.7% | 3 / 3 (" in markdown and "| 50.0% |" in markdown


def test_code_location_loads_with_one_stopped_sensor_per_campaign_file(tmp_path):
    """A campaign file present at load time gets its sensor; names never clash with assets/jobs."""
    settings = PipelineSettings()
    _campaign_file(settings.data_dir, "spring")
    defs = build_definitions(settings)
    repo = defs.get_repository_def()  # raises on conflicting names
    sensor = repo.get_sensor_def("campaign_spring")
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    assert {"campaign_dispatch", "dial_queue_build"} <= {j.name for j in repo.get_all_jobs()}
    assert {s.name for s in repo.schedule_defs} >= {"dial_queue_refresh", "campaigns_end_of_day"}
    # the end-of-day schedule targets a job that exists in the same code location
    assert repo.get_schedule_def("campaigns_end_of_day").job_name in {j.name for j in repo.get_all_jobs()}
