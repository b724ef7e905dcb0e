"""What /ops shows, from real calls through the real brain: live rows, latency, outcomes from call
records, prompt versions and the stop switch — and never a word of a transcript or a contact detail.
Hostile files in DATA_DIR (broken records, a broken active prompt, an unreadable switch folder) are
shown as such and never break the page."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from contracts.layout import DataLayout, utc_day
from tests.support.brain import RunningBrain
from tests.support.call_records import version_doc
from tests.support.ops import OPS_TOKEN
from tests.support.retell_caller import RetellCall

HEADERS = {"X-Ops-Token": OPS_TOKEN}
SECRET_LINE = "My cousin Zebulon's secret line is purple-giraffe-4471"
DNC_LINE = "Please stop calling us and put us on your do not call list."


async def fetch(brain: RunningBrain) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{brain.port}", timeout=10) as http:
        response = await http.get("/ops/api/snapshot", headers=HEADERS)
        assert response.status_code == 200
        return dict(response.json())


async def wait_for(
    brain: RunningBrain, predicate: Callable[[dict[str, Any]], bool], timeout: float = 15.0
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body = await fetch(brain)
        if predicate(body):
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"/ops never showed the expected state; last: {json.dumps(body['snapshot'])[:2000]}")
        await asyncio.sleep(0.2)


def live_ids(body: dict[str, Any]) -> set[str]:
    return {row["call_id"] for row in body["snapshot"]["live_calls"]}


async def test_live_calls_appear_with_numbers_only_and_leave_as_outcomes(ops_brain: RunningBrain) -> None:
    calls = [
        await RetellCall.open(
            ops_brain.ws_base,
            f"call_snap_{i}",
            {"metadata": {"business_name": "Glow Med Spa", "contact_name": "Dana Secretname"}},
        )
        for i in range(3)
    ]
    for call in calls:
        await call.say(SECRET_LINE)
    body = await wait_for(ops_brain, lambda b: live_ids(b) >= {c.call_id for c in calls})
    snap = body["snapshot"]
    assert snap["live_count"] == 3
    for row in snap["live_calls"]:
        assert set(row) == {
            "call_id",
            "stage",
            "duration_s",
            "last_turn_latency_ms",
            "turns",
            "connected",
            "reconnects",
            "prompt_version",
        }
        assert row["stage"] and row["connected"] is True and row["turns"] >= 2
        assert isinstance(row["last_turn_latency_ms"], float) and row["last_turn_latency_ms"] >= 0
        assert row["prompt_version"] == "builtin-v1"
    assert snap["prompts"]["pinned_on_live_calls"] == {"builtin-v1": 3}
    assert snap["latency"]["total"] >= 6  # three greetings and three replies
    assert sum(snap["latency"]["counts_by_kind"]["begin"]) >= 3

    raw = json.dumps(body)
    for needle in ("Zebulon", "purple-giraffe", "Secretname", "+15550002222", "Glow Med Spa"):
        assert needle not in raw

    ended = await calls[0].say(DNC_LINE)
    assert ended.end_call
    await calls[0].close()
    await calls[1].close()  # dropped: leaves after the reconnect grace
    body = await wait_for(
        ops_brain,
        lambda b: (
            live_ids(b) == {calls[2].call_id}
            and {r["call_id"] for r in b["snapshot"]["outcomes"]["recent"]} >= {calls[0].call_id, calls[1].call_id}
        ),
    )
    outcomes = body["snapshot"]["outcomes"]
    assert outcomes["counts"].get("dnc") == 1
    recent = {r["call_id"]: r for r in outcomes["recent"]}
    assert recent[calls[0].call_id]["outcome"] == "dnc"
    assert recent[calls[0].call_id]["first_response_ms"] is not None
    assert body["snapshot"]["calls_finished_by_reason"].get("agent_end_call") == 1
    for needle in ("Zebulon", "purple-giraffe", "Secretname", "do not call list"):
        assert needle not in json.dumps(body)
    await calls[2].close()
    await wait_for(ops_brain, lambda b: not b["snapshot"]["live_calls"])


async def test_stop_switch_and_published_prompt_follow_the_files(ops_brain: RunningBrain, tmp_path: Path) -> None:
    layout = DataLayout(tmp_path / "data")
    body = await fetch(ops_brain)
    assert body["snapshot"]["stop_switch"]["set"] is False
    assert body["snapshot"]["stop_switch"]["path"] == str(layout.campaign_stop)
    layout.campaigns.mkdir(parents=True)
    layout.campaign_stop.write_text("")
    layout.prompts.mkdir(parents=True)
    active = version_doc("p-ops-test", ab={"p-ops-test": 0.25, "p-older": 0.75})
    layout.active_prompt.write_text(json.dumps(active))
    body = await wait_for(ops_brain, lambda b: b["snapshot"]["stop_switch"]["set"] is True)
    assert 'data-stop="set"' in body["panels"]["panel-summary"]
    prompts = body["snapshot"]["prompts"]
    assert prompts["published_version"] == "p-ops-test"
    assert prompts["ab_weights"] == {"p-ops-test": 0.25, "p-older": 0.75}
    assert "p-older</code> 75%" in body["panels"]["panel-prompts"]
    layout.active_prompt.write_text("{not json")
    body = await wait_for(ops_brain, lambda b: b["snapshot"]["prompts"]["published_error"] is not None)
    assert body["snapshot"]["prompts"]["published_version"] == "unknown"
    layout.campaign_stop.unlink()
    await wait_for(ops_brain, lambda b: b["snapshot"]["stop_switch"]["set"] is False)


async def test_hostile_call_records_are_counted_not_shown(ops_brain: RunningBrain, tmp_path: Path) -> None:
    day = DataLayout(tmp_path / "data").brain_calls / utc_day(time.time())
    day.mkdir(parents=True)
    (day / "broken.json").write_bytes(b"{half a record")
    (day / "list.json").write_text("[1, 2, 3]")
    (day / "binary.json").write_bytes(b"\xff\xfe\x00\x00")
    (day / "notes.txt").write_text("not a record")
    (day / "weird.json").write_text(
        json.dumps(
            {
                "call_id": "<script>alert(1)</script>",
                "outcome": "<img src=x onerror=alert(1)>",
                "started_at": "yesterday",
                "ended_at": None,
                "latencies": [{"first_chunk_ms": "fast"}, {"first_chunk_ms": -4}, "x"],
                "turns": "lots",
                "email": "owner@clinic.example",
            }
        )
    )
    body = await wait_for(ops_brain, lambda b: b["snapshot"]["outcomes"]["files_seen"] == 4)
    outcomes = body["snapshot"]["outcomes"]
    assert outcomes["unreadable"] == 3
    (row,) = outcomes["recent"]
    assert row["duration_s"] is None and row["first_response_ms"] is None and row["agent_turns"] == 0
    html = body["panels"]["panel-outcomes"]
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert "owner@clinic.example" not in json.dumps(body)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{ops_brain.port}", timeout=10) as http:
        page = await http.get("/ops", headers=HEADERS)
        assert page.status_code == 200 and "<script>alert" not in page.text
