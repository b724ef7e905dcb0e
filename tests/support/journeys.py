"""A builder of hand-made warehouse fixtures: the staging tables journeys and revenue ops read.

It writes `staging.calls`, `staging.transcript_lines`, `staging.tool_events` and `staging.leads`
with exactly the columns of the call-sync / lead-factory contract into the test's real warehouse
(the DuckDB file or the DuckLake of `warehouse_backend`), so the journeys and revenue-ops assets
can be materialized against it with `dg.materialize`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import dagster as dg

from pipelines.platform.resources import build_resources
from tests.support.warehouse import connect, insert_rows, query, warehouse_settings

__all__ = ["query"]

DDL = """
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE OR REPLACE TABLE staging.calls (
    call_id VARCHAR, sources VARCHAR, is_synthetic BOOLEAN, agent_id VARCHAR, call_type VARCHAR,
    direction VARCHAR, call_status VARCHAR, from_number_e164 VARCHAR, to_number_e164 VARCHAR,
    start_ts TIMESTAMP, end_ts TIMESTAMP, duration_s DOUBLE, disconnection_reason VARCHAR,
    in_voicemail BOOLEAN, user_sentiment VARCHAR, call_successful BOOLEAN, cost_usd DOUBLE,
    latency_e2e_p50_ms DOUBLE, latency_e2e_p95_ms DOUBLE, latency_llm_p50_ms DOUBLE,
    latency_llm_p95_ms DOUBLE, lead_id VARCHAR, campaign_id VARCHAR, prompt_version VARCHAR,
    analysis_outcome VARCHAR, brain_outcome VARCHAR, brain_email VARCHAR, close_reason VARCHAR
);
CREATE OR REPLACE TABLE staging.transcript_lines (
    call_id VARCHAR, idx INTEGER, role VARCHAR, text VARCHAR, start_s DOUBLE, end_s DOUBLE, source VARCHAR
);
CREATE OR REPLACE TABLE staging.tool_events (
    call_id VARCHAR, idx INTEGER, tool_call_id VARCHAR, name VARCHAR, arguments JSON, result VARCHAR,
    successful BOOLEAN, source VARCHAR
);
CREATE OR REPLACE TABLE staging.leads (
    lead_id VARCHAR, business_name VARCHAR, phone_e164 VARCHAR, email VARCHAR, vertical VARCHAR,
    city VARCHAR, state VARCHAR, timezone VARCHAR, is_synthetic BOOLEAN
);
"""

BASE_START = datetime(2026, 11, 20, 15, 0, 0)


@dataclass
class Line:
    role: str
    text: str
    start_s: float | None = None
    end_s: float | None = None


def agent(text: str, start_s: float | None = None, end_s: float | None = None) -> Line:
    return Line("agent", text, start_s, end_s)


def user(text: str, start_s: float | None = None, end_s: float | None = None) -> Line:
    return Line("user", text, start_s, end_s)


@dataclass
class Call:
    call_id: str
    lines: list[Line] = field(default_factory=list)
    start: datetime = BASE_START
    duration_s: float | None = 60.0
    end: datetime | None = None  # default start + duration
    status: str = "ended"
    direction: str = "outbound"
    to_number: str | None = "+12145550101"
    from_number: str | None = "+14155550100"
    lead_id: str | None = None
    campaign_id: str | None = "camp-a"
    prompt_version: str | None = "v1"
    in_voicemail: bool | None = False
    disconnection_reason: str | None = "user_hangup"
    e2e_p50: float | None = None
    llm_p50: float | None = None
    brain_outcome: str | None = None
    brain_email: str | None = None
    analysis_outcome: str | None = None
    tools: list[str] = field(default_factory=list)
    is_synthetic: bool = True

    def row(self) -> tuple:
        end = self.end
        if end is None and self.duration_s is not None and self.status == "ended":
            end = self.start + timedelta(seconds=self.duration_s)
        return (
            self.call_id,
            "retell",
            self.is_synthetic,
            "agent-1",
            "phone_call",
            self.direction,
            self.status,
            self.from_number,
            self.to_number,
            self.start,
            end,
            self.duration_s,
            self.disconnection_reason,
            self.in_voicemail,
            "Neutral",
            None,
            0.1,
            self.e2e_p50,
            None,
            self.llm_p50,
            None,
            self.lead_id,
            self.campaign_id,
            self.prompt_version,
            self.analysis_outcome,
            self.brain_outcome,
            self.brain_email,
            None,
        )


@dataclass
class Lead:
    lead_id: str
    phone_e164: str | None
    business_name: str = "Glow Spa"
    is_synthetic: bool = True

    def row(self) -> tuple:
        return (
            self.lead_id,
            self.business_name,
            self.phone_e164,
            None,
            "med_spa",
            "Dallas",
            "TX",
            "America/Chicago",
            self.is_synthetic,
        )


def write_fixture(path: Path, calls: list[Call], leads: list[Lead] | None = None) -> Path:
    """Create the staging tables in the test's warehouse (the file at ``path`` on the embedded
    backend, the lake on DuckLake) holding ``calls`` and ``leads``."""
    with connect(path) as conn:
        conn.execute(DDL)
        insert_rows(conn, "staging.calls", [c.row() for c in calls])
        insert_rows(
            conn,
            "staging.transcript_lines",
            [
                (c.call_id, i, ln.role, ln.text, ln.start_s, ln.end_s, "retell")
                for c in calls
                for i, ln in enumerate(c.lines)
            ],
        )
        insert_rows(
            conn,
            "staging.tool_events",
            [
                (c.call_id, i, f"{c.call_id}-t{i}", name, json.dumps({}), "ok", True, "brain")
                for c in calls
                for i, name in enumerate(c.tools)
            ],
        )
        insert_rows(conn, "staging.leads", [lead.row() for lead in (leads or [])])
    return path


def materialize(path: Path, assets: list, selection=None) -> dg.ExecuteInProcessResult:
    """Really materialize ``assets`` against the test's warehouse (upstream staging tables as fixtures)."""
    result = dg.materialize(assets, resources=build_resources(warehouse_settings(path)), selection=selection)
    assert result.success
    return result
