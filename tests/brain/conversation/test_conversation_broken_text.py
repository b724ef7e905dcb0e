"""One bad character or number never silences a call or loses its record (the real conversation)."""

from __future__ import annotations

import json
from pathlib import Path

from brain_service.call_record import record_path, write_call_record


def _strict_json(path: Path) -> dict:
    def refuse(token: str) -> None:
        raise AssertionError(f"{token} is not JSON")

    return json.loads(path.read_bytes().decode("utf-8"), parse_constant=refuse)


async def test_a_lone_surrogate_in_call_details_still_gets_the_greeting_and_the_record(
    brain, dial, data_dir, record_of
) -> None:
    call = await dial(brain, "call_surrogate", {"retell_llm_dynamic_variables": {"business_name": "Glow\ud800 Spa"}})
    assert "Glow\ufffd Spa" in call.replies[0].text  # greeted, with the broken character repaired
    reply = await call.say("Sure, what is this about?")
    assert reply.text
    await call.close()
    record = record_of(data_dir, "call_surrogate")
    assert record["business_name"] == "Glow\ufffd Spa"


async def test_a_lone_surrogate_in_a_caller_line_keeps_the_record(brain, dial, data_dir, record_of) -> None:
    call = await dial(brain, "call_surrogate_line")
    reply = await call.say("We are not \udc00 interested, thanks")
    assert reply.text
    await call.close()
    record = record_of(data_dir, "call_surrogate_line")
    assert any("\ufffd" in line["text"] for line in record["turns"] if line.get("role") == "user")


async def test_nan_and_infinity_in_call_metadata_are_never_written_to_the_record(
    brain, dial, data_dir, record_of
) -> None:
    call = await dial(brain, "call_nan", {"metadata": {"lead_id": "L9", "score": float("nan"), "budget": float("inf")}})
    await call.close()
    record = record_of(data_dir, "call_nan")
    assert record["metadata"]["score"] is None and record["metadata"]["budget"] is None
    path = next((data_dir / "landing" / "brain_calls").glob("*/call_nan.json"))
    _strict_json(path)


def test_the_record_writer_repairs_what_json_cannot_hold_and_says_so(tmp_path, caplog) -> None:
    record = {"call_id": "c_repair", "latency": float("nan"), "lines": ["ok", "bad \ud800"], "n": float("-inf")}
    path = write_call_record(tmp_path, record, 1767225600.0)
    assert path == record_path(tmp_path, "c_repair", 1767225600.0)
    written = _strict_json(path)
    assert written == {"call_id": "c_repair", "latency": None, "lines": ["ok", "bad \ufffd"], "n": None}
    assert any("$.latency" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)
    from brain_service.call_record import valid_json_value

    repaired: list[str] = []
    assert valid_json_value({"fine": [1, 2.5, "x"]}, repaired) == {"fine": [1, 2.5, "x"]} and repaired == []
