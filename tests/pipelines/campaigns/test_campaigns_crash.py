"""kill -9 of a dispatcher process between the ledger write and the API call, and two dispatchers
at once: real subprocesses (`python -m pipelines.commands.campaigns dispatch`), the fake Retell on loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.campaigns.config import load_campaign_file
from pipelines.campaigns.dispatch import Dispatcher
from pipelines.campaigns.dispatch_config import DispatchConfig
from pipelines.campaigns.ledger import Ledger
from tests.fakes.fake_retell import FakeRetell
from tests.support.campaigns import build_and_export, lead, make_warehouse, write_campaign_file, zone_inside_window_now

ROOT = Path(__file__).resolve().parents[3]
ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@pytest.fixture
def fake():
    with FakeRetell() as server:
        yield server


def _prepare(tmp_path: Path, *, leads: int, cap: int):
    data_dir = tmp_path / "data"
    path = write_campaign_file(
        data_dir,
        "spring",
        enabled=True,
        agent_id="agent_test",
        from_numbers=["+14155550000"],
        weekdays=ALL_DAYS,
        window_start="08:00",
        window_end="21:00",
        daily_cap=cap,
        calls_per_minute=600,
        max_concurrent_calls=100,
    )
    camp = load_campaign_file(path)
    zone = zone_inside_window_now()
    make_warehouse(tmp_path / "w.duckdb", [lead(i, timezone=zone) for i in range(leads)])
    build_and_export(tmp_path / "w.duckdb", data_dir, [camp], datetime.now(UTC))
    return data_dir, camp


def _spawn(data_dir: Path, fake: FakeRetell) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "RETELL_API_KEY": fake.api_key,
        "RETELL_BASE_URL": fake.base_url,
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DRY_RUN", None)
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.commands.campaigns", "dispatch", "--campaign", "spring"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _restart_and_tick(data_dir: Path, fake: FakeRetell, camp):
    config = DispatchConfig(data_dir=data_dir, api_key=fake.api_key, base_url=fake.base_url)
    with Dispatcher(config) as dispatcher:
        return dispatcher.tick(camp)


@pytest.mark.parametrize("call_reached_retell", [False, True])
def test_kill_9_between_ledger_write_and_api_call_never_dials_twice(tmp_path, fake, call_reached_retell):
    data_dir, camp = _prepare(tmp_path, leads=3, cap=10)
    hold = threading.Event()
    if call_reached_retell:
        fake.hold_after_record = hold
    else:
        fake.hold_before_record = hold
    proc = _spawn(data_dir, fake)
    try:
        assert fake.create_received.wait(60), proc.stderr.read() if proc.poll() is not None else "no request"
        if call_reached_retell:
            assert fake.create_recorded.wait(10)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        fake.discard_held = not call_reached_retell
        hold.set()
    before = Ledger(data_dir / "state").read_all()
    assert [(a.lead_id, a.status) for a in before] == [("L00000", "planned")]

    fake.hold_before_record = fake.hold_after_record = None
    summary = _restart_and_tick(data_dir, fake, camp)

    expected = "dispatched" if call_reached_retell else "unknown"
    assert summary.reconciled == Counter({expected: 1})
    first = next(a for a in Ledger(data_dir / "state").read_all() if a.attempt_id == before[0].attempt_id)
    assert first.status == expected
    if call_reached_retell:
        assert first.call_id in fake.calls
    dialled = Counter(body["metadata"]["lead_id"] for body in fake.created)
    assert dialled["L00000"] == (1 if call_reached_retell else 0)  # never a second time
    assert all(n == 1 for n in dialled.values())
    assert summary.dispatched == 2  # the other leads go ahead


def test_two_dispatcher_processes_never_exceed_the_daily_cap(tmp_path, fake):
    data_dir, _ = _prepare(tmp_path, leads=12, cap=4)
    procs = [_spawn(data_dir, fake), _spawn(data_dir, fake)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert len(fake.created) == 4
    leads = [b["metadata"]["lead_id"] for b in fake.created]
    assert len(set(leads)) == 4
    dispatched = [a for a in Ledger(data_dir / "state").read_all() if a.status == "dispatched"]
    assert len(dispatched) == 4
