"""The dispatcher against the fake Retell over loopback (real retell-sdk, real ledger file)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from pipelines.campaigns.dispatch import Dispatcher
from pipelines.campaigns.dispatch_config import DispatchConfig
from pipelines.campaigns.ledger import Ledger
from tests.fakes.fake_retell import FakeRetell
from tests.support.campaigns import WEDNESDAY_15_UTC, build_and_export, campaign, lead, make_warehouse, real_phone


@pytest.fixture
def fake():
    with FakeRetell() as server:
        yield server


def _config(tmp_path, fake, **overrides):
    fields = {"data_dir": tmp_path / "data", "api_key": fake.api_key, "base_url": fake.base_url}
    fields.update(overrides)
    return DispatchConfig(**fields)


def _setup(tmp_path, camp, leads, now=WEDNESDAY_15_UTC, **warehouse):
    make_warehouse(tmp_path / "w.duckdb", leads, **warehouse)
    return build_and_export(tmp_path / "w.duckdb", tmp_path / "data", [camp], now)


def test_live_tick_dials_the_queue_with_metadata_and_variables(tmp_path, fake):
    camp = campaign(daily_cap=3, prompt_weights={"v1": 1, "v2": 1}, prompt_version=None)
    _setup(tmp_path, camp, [lead(i) for i in range(5)])
    with Dispatcher(_config(tmp_path, fake), clock=lambda: WEDNESDAY_15_UTC) as dispatcher:
        summary = dispatcher.tick(camp)
    assert summary.dispatched == 3 and not summary.dry_run
    assert [b["to_number"] for b in fake.created] == [real_phone(0), real_phone(1), real_phone(2)]
    body = fake.created[0]
    assert body["override_agent_id"] == "agent_test" and body["from_number"] == "+14155550000"
    assert body["retell_llm_dynamic_variables"] == {"business_name": "Clinic 0", "city": "Chicago"}
    assert body["metadata"]["lead_id"] == "L00000" and body["metadata"]["campaign"] == "spring"
    assert body["metadata"]["prompt_version"] == camp.prompt_for("L00000")
    assert body["idempotency_key"] == body["metadata"]["attempt_id"]
    attempts = Ledger(tmp_path / "data" / "state").read_all()
    assert [a.status for a in attempts] == ["dispatched"] * 3
    assert {a.call_id for a in attempts} == set(fake.calls)


def test_second_tick_respects_the_running_cap_and_the_gap(tmp_path, fake):
    camp = campaign(daily_cap=3)
    _setup(tmp_path, camp, [lead(i) for i in range(5)])
    config = _config(tmp_path, fake)
    with Dispatcher(config, clock=lambda: WEDNESDAY_15_UTC) as first:
        assert first.tick(camp).dispatched == 3
    with Dispatcher(config, clock=lambda: WEDNESDAY_15_UTC + timedelta(hours=1)) as restarted:
        summary = restarted.tick(camp)
    assert summary.dispatched == 0 and summary.skipped["daily_cap_reached"] == 5
    assert len(fake.created) == 3


def test_dry_run_records_and_calls_nothing_and_uses_no_cap(tmp_path, fake):
    camp = campaign(daily_cap=2)
    _setup(tmp_path, camp, [lead(i) for i in range(4)])
    with Dispatcher(_config(tmp_path, fake, dry_run=True), clock=lambda: WEDNESDAY_15_UTC) as dispatcher:
        dry = dispatcher.tick(camp)
        again = dispatcher.tick(camp)
    assert dry.dry_run and dry.would_dial == 2 and again.would_dial == 2
    assert fake.created == []
    assert {(a.status, a.reason, a.dry_run) for a in Ledger(tmp_path / "data" / "state").read_all()} == {
        ("skipped", "dry_run", True)
    }
    with Dispatcher(_config(tmp_path, fake), clock=lambda: WEDNESDAY_15_UTC) as live:
        assert live.tick(camp).dispatched == 2  # the dry runs used none of the cap


def test_disabled_campaign_or_missing_key_is_always_dry(tmp_path, fake):
    camp = campaign(enabled=False)
    _setup(tmp_path, camp, [lead(0)])
    with Dispatcher(_config(tmp_path, fake, dry_run=False), clock=lambda: WEDNESDAY_15_UTC) as dispatcher:
        assert dispatcher.tick(camp).dry_run
    enabled = campaign()
    with Dispatcher(_config(tmp_path, fake, api_key=None), clock=lambda: WEDNESDAY_15_UTC) as dispatcher:
        assert dispatcher.tick(enabled).dry_run
    assert fake.created == []


def test_stop_file_halts_before_any_call(tmp_path, fake):
    camp = campaign()
    _setup(tmp_path, camp, [lead(i) for i in range(3)])
    config = _config(tmp_path, fake)
    config.stop_file.parent.mkdir(parents=True, exist_ok=True)
    config.stop_file.write_text("stop\n")
    with Dispatcher(config, clock=lambda: WEDNESDAY_15_UTC) as dispatcher:
        summary = dispatcher.tick(camp)
    assert summary.stopped_because and "stop file" in summary.stopped_because
    assert fake.created == []
    with Dispatcher(_config(tmp_path, fake, stop=True), clock=lambda: WEDNESDAY_15_UTC) as dispatcher:
        assert dispatcher.tick(camp).stopped_because == "CAMPAIGNS_STOP is set"


def test_fresh_dnc_from_a_brain_record_is_never_called(tmp_path, fake):
    """The queue was built before the caller said "stop calling"; the record landed since."""
    camp = campaign()
    _setup(tmp_path, camp, [lead(0), lead(1)])
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    folder = tmp_path / "data" / "landing" / "brain_calls" / day
    folder.mkdir(parents=True)
    (folder / "call_x.json").write_text(json.dumps({"call_id": "call_x", "to_number": real_phone(0), "outcome": "dnc"}))
    webhooks = tmp_path / "data" / "landing" / "retell_webhooks" / day
    webhooks.mkdir(parents=True)
    event = {
        "event": "call_ended",
        "call": {
            "to_number": real_phone(1),
            "transcript_object": [{"role": "user", "content": "please stop calling us"}],
        },
    }
    (webhooks / "call_y.call_ended.x.json").write_text(json.dumps(event))
    with Dispatcher(_config(tmp_path, fake), clock=lambda: WEDNESDAY_15_UTC) as dispatcher:
        summary = dispatcher.tick(camp)
    assert summary.dispatched == 0 and summary.skipped["suppressed"] == 2
    assert fake.created == []
    skipped = Ledger(tmp_path / "data" / "state").read_all()
    assert {(a.lead_id, a.status, a.reason) for a in skipped} == {
        ("L00000", "skipped", "suppressed"),
        ("L00001", "skipped", "suppressed"),
    }


def test_outside_the_window_at_dial_time_nothing_is_called(tmp_path, fake):
    camp = campaign()
    _setup(tmp_path, camp, [lead(0)])  # built at 10:00 Chicago: in the queue
    late = WEDNESDAY_15_UTC + timedelta(hours=8)  # 17:00 in Chicago: the window [09:00, 17:00) is over
    with Dispatcher(_config(tmp_path, fake), clock=lambda: late) as dispatcher:
        summary = dispatcher.tick(camp)
    assert summary.dispatched == 0 and fake.created == []
    assert Ledger(tmp_path / "data" / "state").read_all() == []


def test_retell_errors_fail_the_attempt_and_429_ends_the_tick(tmp_path, fake):
    camp = campaign()
    _setup(tmp_path, camp, [lead(i) for i in range(4)])
    fake.fail_next("create", [422, 429])
    with Dispatcher(_config(tmp_path, fake), clock=lambda: WEDNESDAY_15_UTC) as dispatcher:
        summary = dispatcher.tick(camp)
    assert summary.failed == 2 and summary.dispatched == 0
    assert "429" in summary.stopped_because
    statuses = sorted((a.status, a.error[:3]) for a in Ledger(tmp_path / "data" / "state").read_all())
    assert statuses == [("failed", "422"), ("failed", "429")]


def test_concurrency_limit_counts_live_calls_in_retell(tmp_path, fake):
    camp = campaign(max_concurrent_calls=2)
    _setup(tmp_path, camp, [lead(i) for i in range(5)])
    with Dispatcher(_config(tmp_path, fake), clock=lambda: datetime.now(UTC)) as dispatcher:
        clock_ok = WEDNESDAY_15_UTC
        dispatcher.clock = lambda: clock_ok
        first = dispatcher.tick(camp)
    assert first.dispatched == 2 and "max_concurrent_calls" in first.stopped_because


def test_a_morning_queue_serves_the_day_when_windows_open(tmp_path, fake):
    """Built at 07:00 Chicago (nobody callable yet), dialled at 10:00 without a rebuild."""
    camp = campaign()
    early = WEDNESDAY_15_UTC - timedelta(hours=3)
    counts = _setup(tmp_path, camp, [lead(0), lead(1, timezone="America/Los_Angeles")], now=early)
    assert counts.queued == {"spring": 0}
    with Dispatcher(_config(tmp_path, fake), clock=lambda: WEDNESDAY_15_UTC) as dispatcher:
        summary = dispatcher.tick(camp)
    assert summary.dispatched == 1  # Chicago is open at 10:00; Los Angeles (08:00) is not: [09:00, 17:00)
    assert [b["to_number"] for b in fake.created] == [real_phone(0)]
