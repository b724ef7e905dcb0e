"""An `interrupted` call record — written by a real brain for a call its crashed predecessor was
serving — lands in raw.brain_calls and staging.calls like any other (email and do-not-call kept)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.support.brain_process import BrainProcess
from tests.support.call_records import wait_record
from tests.support.calls_landing import materialize
from tests.support.retell_caller import RetellCall
from tests.support.warehouse import query

# real, parseable numbers (the harness default +15550001111 trips issue 14 item 13 in staging.calls)
NUMBERS = {"from_number": "+12145550100", "to_number": "+12145550177"}


async def _call_then_crash(data_dir: Path) -> None:
    brain = BrainProcess.start(data_dir, brain_reconnect_grace_s="30")
    try:
        email = await RetellCall.open(brain.ws_base, "call_int_email", {**NUMBERS, "metadata": {"lead_id": "lead_x"}})
        await email.say("jane at glowspa dot com")
        await email.say("yes")
        dnc = await RetellCall.open(brain.ws_base, "call_int_dnc", NUMBERS)
        await dnc.say("Stop calling me.")
    finally:
        brain.kill9()
    await email.close()
    await dnc.close()


def test_interrupted_records_load_into_staging(data_dir: Path, tmp_path: Path, warehouse_backend) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(_call_then_crash(data_dir))
    after = BrainProcess.start(data_dir, brain_reconnect_grace_s="0")
    try:
        assert wait_record(data_dir, "call_int_email", timeout=15)["close_reason"] == "interrupted"
        assert wait_record(data_dir, "call_int_dnc", timeout=15)["close_reason"] == "interrupted"
    finally:
        after.stop()
    db = tmp_path / "wh.duckdb"
    meta = materialize(db)
    assert meta["checks"]["raw/brain_calls"] is True  # nothing rejected
    rows = query(db, "SELECT call_id, brain_outcome, brain_email, close_reason FROM staging.calls ORDER BY call_id")
    assert rows == [
        ("call_int_dnc", "dnc", None, "interrupted"),
        ("call_int_email", "email_captured", "jane@glowspa.com", "interrupted"),
    ]
