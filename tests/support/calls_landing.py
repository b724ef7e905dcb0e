"""Builders of landing-zone files for the call-data tests (brain records, JSONL, webhook events)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dagster as dg

from assets.calls import assets as call_assets
from pipelines.platform.resources import build_resources
from tests.fakes.retell_call_factory import make_call
from tests.support.warehouse import warehouse_settings


def brain_record(call_id: str, *, synthetic: bool = False, outcome: str = "email_captured") -> dict[str, Any]:
    return {
        "schema_version": "call_record.v1",
        "call_id": call_id,
        "started_at": "2026-01-02T15:00:00Z",
        "ended_at": "2026-01-02T15:01:30.500Z",
        "lead_id": "lead_brain_1",
        "campaign_id": "camp_b",
        "metadata": {"lead_id": "lead_brain_1"},
        "from_number": "(214) 555-0100",
        "to_number": "2145550177",
        "direction": "outbound",
        "synthetic": synthetic,
        "prompt_version": "pv-7",
        "persona": "eve",
        "company": "Eve",
        "llm": {"enabled": False, "model": None},
        "turns": [
            {"role": "agent", "text": "Hi, this is Eve.", "response_id": 0, "ts": "2026-01-02T15:00:01Z"},
            {
                "role": "user",
                "text": "Send it to jane at glow spa dot com",
                "response_id": None,
                "ts": "2026-01-02T15:00:09.250Z",
            },
        ],
        "latencies": [],
        "tool_events": [
            {
                "tool_call_id": "t1",
                "name": "log_call_outcome",
                "arguments": {"outcome": outcome},
                "result": "ok",
                "successful": True,
                "ts": "2026-01-02T15:01:00Z",
            },
        ],
        "outcome": outcome,
        "email": "jane@glowspa.com",
        "email_is_generic": False,
        "email_confirmed": True,
        "callback_time": None,
        "decision_maker": None,
        "objections": [],
        "ai_disclosed": True,
        "close_reason": "agent_end_call",
        "reconnects": 0,
        "end_call_by_agent": True,
    }


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def jsonl(objs: list[Any]) -> str:
    return "".join((o if isinstance(o, str) else json.dumps(o, sort_keys=True)) + "\n" for o in objs)


def webhook_event(call: dict[str, Any], event: str) -> str:
    return json.dumps({"event": event, "call": call})


def retell_calls(*indexes: int, **kwargs: Any) -> list[dict[str, Any]]:
    return [make_call(i, **kwargs) for i in indexes]


ALL = [
    call_assets.retell_api_calls,
    call_assets.raw_retell_calls,
    call_assets.raw_brain_calls,
    call_assets.staging_calls,
    call_assets.staging_transcript_lines,
    call_assets.staging_tool_events,
]


def materialize(db: Path | None = None) -> dict[str, Any]:
    """Really materialize the call-data assets on the test's warehouse (the file ``db`` on the
    embedded backend, the lake of `warehouse_backend` on DuckLake): metadata per asset, check results."""
    result = dg.materialize(ALL, resources=build_resources(warehouse_settings(db)))
    assert result.success
    meta = {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    evaluations = result.get_asset_check_evaluations()
    meta["checks"] = {
        c.asset_key.to_user_string(): c.passed for c in evaluations if c.check_name == "landing_records_accepted"
    }
    meta["key_checks"] = {
        (c.asset_key.to_user_string(), c.check_name): c.passed
        for c in evaluations
        if c.check_name != "landing_records_accepted"
    }
    return meta
