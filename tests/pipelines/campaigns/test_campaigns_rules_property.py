"""Property tests (hypothesis): lead-local window and weekday at any instant (DST, midnight in the
lead's zone vs the server's), the SQL queue agreeing with the rules, and whole dispatch histories
never breaking the cap, the attempt limit or the minimum gap."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.campaigns.dispatch import Dispatcher
from pipelines.campaigns.dispatch_config import DispatchConfig
from pipelines.campaigns.ledger import Ledger
from pipelines.campaigns.rules import LEGAL_EARLIEST, LEGAL_LATEST, blocked_reason, local_day, local_time
from tests.fakes.fake_retell import FakeRetell
from tests.support.campaigns import build_and_export, campaign, lead, make_warehouse

ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
]
WEEKDAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC)
)
# instants within an hour of a US DST change, where a server-clock window would be wrong
dst_instants = st.sampled_from(
    [datetime(2026, 3, 8, 7, 0, tzinfo=UTC), datetime(2026, 11, 1, 6, 0, tzinfo=UTC)]
).flatmap(lambda t: st.integers(-7200, 7200).map(lambda s: t + timedelta(seconds=s)))
windows = st.tuples(st.integers(0, 1438), st.integers(1, 1439)).filter(lambda w: w[0] < w[1])
weekday_sets = st.sets(st.integers(1, 7), min_size=1)


def _t(minute: int) -> time:
    return time(minute // 60, minute % 60)


@settings(max_examples=400, deadline=None)
@given(now=st.one_of(instants, dst_instants), zone=st.sampled_from(ZONES), window=windows, days=weekday_sets)
def test_a_call_is_allowed_exactly_inside_the_clamped_lead_local_window(now, zone, window, days):
    start, end = _t(window[0]), _t(window[1])
    reason = blocked_reason(now, zone, frozenset(days), start, end)
    local = local_time(now, zone)
    wall = local.time().replace(tzinfo=None)
    inside = max(start, LEGAL_EARLIEST) <= wall < min(end, LEGAL_LATEST)
    assert (reason is None) == (inside and local.isoweekday() in days)
    if reason is None:
        assert LEGAL_EARLIEST <= wall < LEGAL_LATEST  # the federal rule, whatever the file says


@settings(max_examples=200, deadline=None)
@given(now=instants, zone=st.sampled_from(ZONES))
def test_the_cap_day_is_the_lead_local_day_not_the_servers(now, zone):
    assert local_day(now, zone) == now.astimezone(local_time(now, zone).tzinfo).date()


@pytest.mark.parametrize("zone", [None, "", "Mars/Base", "EST5EDT-nope", "UTC"])
def test_an_unknown_zone_is_never_dialled(zone):
    assert blocked_reason(datetime(2026, 3, 4, 15, tzinfo=UTC), zone, frozenset(range(1, 8)), time(0), time(23, 59))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    now=st.one_of(instants, dst_instants),
    zones=st.lists(st.sampled_from([*ZONES, None, "Mars/Base"]), min_size=1, max_size=12),
    window=windows,
    days=weekday_sets,
)
def test_the_sql_queue_follows_the_same_rules(tmp_path_factory, now, zones, window, days):
    tmp = tmp_path_factory.mktemp("q")
    camp = (
        campaign(
            window_start=f"{window[0] // 60:02d}:{window[0] % 60:02d}",
            window_end=f"{window[1] // 60:02d}:{window[1] % 60:02d}",
            weekdays=[WEEKDAY_NAMES[d - 1] for d in sorted(days)],
        )
        if _legal(window)
        else campaign(weekdays=[WEEKDAY_NAMES[d - 1] for d in sorted(days)])
    )
    leads = [lead(i, timezone=z) for i, z in enumerate(zones)]
    make_warehouse(tmp / "w.duckdb", leads)
    build_and_export(tmp / "w.duckdb", tmp / "data", [camp], now)
    with duckdb.connect(str(tmp / "w.duckdb")) as conn:
        queued = {r[0] for r in conn.execute("SELECT lead_id FROM marts.dial_queue").fetchall()}
        excluded = dict(conn.execute("SELECT lead_id, reason FROM marts.dial_exclusions").fetchall())
    start, end = camp.effective_window
    for row in leads:
        expected = blocked_reason(now, row["timezone"], camp.iso_weekdays, start, end)
        assert (row["lead_id"] in queued) == (expected is None)
        assert excluded.get(row["lead_id"]) == expected
    assert len(queued) + len(excluded) == len(leads)  # every lead: queued or a reason row


def _legal(window: tuple[int, int]) -> bool:
    return window[1] > 8 * 60 and window[0] < 21 * 60


@pytest.fixture(scope="module")
def shared_fake():
    with FakeRetell() as server:
        yield server


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cap=st.integers(1, 4),
    max_attempts=st.integers(1, 3),
    gap_hours=st.sampled_from([1, 6, 24, 48]),
    zones=st.lists(st.sampled_from(ZONES[:7]), min_size=1, max_size=6),
    ticks=st.lists(st.integers(0, 5 * 24 * 4), min_size=1, max_size=10, unique=True),
)
def test_dispatch_histories_never_break_cap_attempts_or_gap(
    tmp_path_factory, shared_fake, cap, max_attempts, gap_hours, zones, ticks
):
    """Ticks at random quarter-hours over five days (queue rebuilt before each, as the sensor does)."""
    tmp = tmp_path_factory.mktemp("d")
    camp = campaign(
        name=f"p{len(shared_fake.created)}",
        daily_cap=cap,
        max_attempts=max_attempts,
        min_hours_between_attempts=gap_hours,
        window_start="08:00",
        window_end="21:00",
    )
    leads = [
        lead(i, timezone=z, phone_e164=f"+1312{300 + len(shared_fake.created) % 600:03d}{i:04d}")
        for i, z in enumerate(zones)
    ]
    make_warehouse(tmp / "w.duckdb", leads)
    start = datetime(2026, 3, 6, 0, 0, tzinfo=UTC)  # across the US DST change of 2026-03-08
    config = DispatchConfig(data_dir=tmp / "data", api_key=shared_fake.api_key, base_url=shared_fake.base_url)
    for quarter in sorted(ticks):
        now = start + timedelta(minutes=15 * quarter)
        build_and_export(tmp / "w.duckdb", tmp / "data", [camp], now)
        with Dispatcher(config, clock=lambda now=now: now) as dispatcher:
            dispatcher.tick(camp)
    attempts = [a for a in Ledger(tmp / "data" / "state").read_all() if a.status == "dispatched"]
    zone_of = {row["lead_id"]: row["timezone"] for row in leads}
    per_day: Counter = Counter()
    per_lead: dict[str, list[datetime]] = defaultdict(list)
    for a in attempts:
        at = a.planned_at.replace(tzinfo=UTC)
        assert blocked_reason(at, zone_of[a.lead_id], camp.iso_weekdays, *camp.effective_window) is None
        assert a.local_day == local_day(at, zone_of[a.lead_id])
        per_day[a.local_day] += 1
        per_lead[a.lead_id].append(at)
    assert all(n <= cap for n in per_day.values())
    for times in per_lead.values():
        assert len(times) <= max_attempts
        times.sort()
        assert all(b - a >= timedelta(hours=gap_hours) for a, b in zip(times, times[1:], strict=False))
