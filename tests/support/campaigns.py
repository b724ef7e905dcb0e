"""Shared builders for the campaign tests: campaigns, a warehouse with a call queue, a queue snapshot."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.campaigns.config import Campaign
from pipelines.campaigns.ledger import Ledger
from pipelines.campaigns.queue import build_dial_queue, copy_ledger
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import open_warehouse

# A Wednesday, 15:00 UTC = 10:00 in Chicago, 11:00 in New York, 08:00 in Los Angeles.
WEDNESDAY_15_UTC = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)

QUEUE_COLUMNS = (
    "queue_position BIGINT, lead_id VARCHAR, business_name VARCHAR, phone_e164 VARCHAR, email VARCHAR, "
    "website_domain VARCHAR, vertical VARCHAR, city VARCHAR, state VARCHAR, timezone VARCHAR, score DOUBLE, "
    "reasons VARCHAR[], is_synthetic BOOLEAN, source VARCHAR"
)


def campaign(**overrides: Any) -> Campaign:
    fields = {
        "name": "spring",
        "enabled": True,
        "agent_id": "agent_test",
        "from_numbers": ["+14155550000"],
        "daily_cap": 100,
        "calls_per_minute": 600,
        "max_concurrent_calls": 100,
        "prompt_version": "v1",
    }
    fields.update(overrides)
    return Campaign.model_validate(fields)


def real_phone(i: int) -> str:
    """A valid, non-fictional US number (Chicago 312, exchange 2xx)."""
    return f"+1312{200 + i // 10000:03d}{i % 10000:04d}"


def lead(i: int, **overrides: Any) -> dict[str, Any]:
    row = {
        "queue_position": i + 1,
        "lead_id": f"L{i:05d}",
        "business_name": f"Clinic {i}",
        "phone_e164": real_phone(i),
        "email": None,
        "website_domain": None,
        "vertical": "med spa",
        "city": "Chicago",
        "state": "IL",
        "timezone": "America/Chicago",
        "score": 100.0 - i * 0.01,
        "reasons": [],
        "is_synthetic": False,
        "source": "file",
    }
    row.update(overrides)
    return row


def _connect(target: Path | PipelineSettings) -> duckdb.DuckDBPyConnection:
    """A DuckDB file by path, or the warehouse settings name (the embedded file or the test's lake)."""
    return duckdb.connect(str(target)) if isinstance(target, Path) else open_warehouse(target)


def make_warehouse(
    target: Path | PipelineSettings,
    leads: list[dict[str, Any]],
    *,
    status: list[tuple] = (),
    suppressed: list[str] = (),
) -> None:
    """A warehouse (a file path, or settings) holding marts.call_queue (+ lead_status, suppression_list rows)."""
    with _connect(target) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS marts")
        conn.execute(f"CREATE OR REPLACE TABLE marts.call_queue ({QUEUE_COLUMNS})")
        cols = [c.split()[0] for c in QUEUE_COLUMNS.split(", ")]
        conn.executemany(
            f"INSERT INTO marts.call_queue VALUES ({', '.join('?' * len(cols))})",
            [[row[c] for c in cols] for row in leads],
        )
        conn.execute(
            "CREATE OR REPLACE TABLE marts.lead_status (lead_id VARCHAR, phone_e164 VARCHAR, business_name VARCHAR, "
            "is_synthetic BOOLEAN, status VARCHAR, attempts BIGINT, last_call_ts TIMESTAMP, last_outcome VARCHAR, "
            "captured_email VARCHAR)"
        )
        for lead_id, st, last in status:
            conn.execute(
                "INSERT INTO marts.lead_status (lead_id, status, attempts, last_call_ts) VALUES (?, ?, 1, ?)",
                [lead_id, st, last],
            )
        conn.execute(
            "CREATE OR REPLACE TABLE marts.suppression_list "
            "(phone_e164 VARCHAR, reason VARCHAR, source VARCHAR, added_at TIMESTAMP)"
        )
        for phone in suppressed:
            conn.execute("INSERT INTO marts.suppression_list VALUES (?, 'dnc_list', 'test', now())", [phone])


def build_and_export(warehouse: Path | PipelineSettings, data_dir: Path, campaigns: list[Campaign], now: datetime):
    """What the dial_queue asset does: copy the ledger in, build the queue, hand it to the dispatcher."""
    with _connect(warehouse) as conn:
        copy_ledger(conn, Ledger(data_dir / "state"))
        counts = build_dial_queue(conn, campaigns, now, state_dir=data_dir / "state")
    return counts


def zone_inside_window_now(now: datetime | None = None) -> str:
    """An `Etc/GMT±N` zone whose local time is 10:00-15:59 right now (for tests on the real clock)."""
    now = now or datetime.now(UTC)
    for offset in range(-12, 15):
        local_hour = (now.hour + offset) % 24
        if 10 <= local_hour < 16:
            return f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"  # Etc signs are inverted
    raise AssertionError("unreachable")


def write_campaign_file(data_dir: Path, name: str, **fields: Any) -> Path:
    """A campaign TOML file as an operator would write it."""
    lines = [f'name = "{name}"']
    for key, value in fields.items():
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, str):
            lines.append(f'{key} = "{value}"')
        elif isinstance(value, list):
            lines.append(f"{key} = [{', '.join(repr(v).replace(chr(39), chr(34)) for v in value)}]")
        else:
            lines.append(f"{key} = {value}")
    path = data_dir / "campaigns" / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path
