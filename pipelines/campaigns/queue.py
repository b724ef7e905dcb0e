"""Build `marts.dial_queue` and `marts.dial_exclusions` in a warehouse connection, and hand the
queue to the dispatcher as files.

The set logic is SQL (`sql/marts/dial_queue/candidates.sql`, `sql/marts/dial_queue.sql`, `sql/marts/dial_exclusions.sql`);
the clock rules come from `rules.py`, evaluated once per (campaign, time zone) — zones are few,
leads are many. With a `state_dir`, the build also writes the dispatcher's snapshot
(`sql/marts/dial_queue/snapshot.sql`) and the suppression list as Parquet (atomic rename), so the
dispatcher never opens the warehouse.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pipelines.campaigns.config import Campaign
from pipelines.campaigns.ledger import Ledger
from pipelines.campaigns.rules import blocked_reason, local_day
from pipelines.platform.sql import read_sql, run_sql_file
from vocabulary.phones import FICTIONAL_NATIONAL_PATTERN

FICTIONAL_E164_RE = r"\+1" + FICTIONAL_NATIONAL_PATTERN
QUEUE_FILE = "dial_queue.parquet"
SUPPRESSION_FILE = "suppression.parquet"


@dataclass(frozen=True)
class QueueCounts:
    queued: dict[str, int]
    excluded: dict[str, dict[str, int]]  # campaign → reason → leads


def _campaign_frame(campaigns: list[Campaign]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "campaign": [c.name for c in campaigns],
            "states": [list(c.states) for c in campaigns],
            "verticals": [list(c.verticals) for c in campaigns],
            "sources": [list(c.sources) for c in campaigns],
            "timezones": [list(c.timezones) for c in campaigns],
            "min_score": [float(c.min_score) for c in campaigns],
            "calling_codes": [c.country_calling_codes for c in campaigns],
            "max_attempts": [c.max_attempts for c in campaigns],
            "min_gap_hours": [float(c.min_hours_between_attempts) for c in campaigns],
            "daily_cap": [c.daily_cap for c in campaigns],
        }
    )


def _zone_clock(zones: list[str], campaigns: list[Campaign], now: datetime) -> pd.DataFrame:
    rows = []
    for campaign in campaigns:
        start, end = campaign.effective_window
        for name in zones:
            reason = blocked_reason(now, name, campaign.iso_weekdays, start, end)
            day = None if reason in ("timezone_unknown", "timezone_invalid") else local_day(now, name)
            rows.append((campaign.name, name, reason, day))
    frame = pd.DataFrame(rows, columns=["campaign", "timezone", "blocked_reason", "local_day"])
    frame["local_day"] = pd.to_datetime(frame["local_day"]).dt.date
    return frame


def _register(conn, name: str, frame: pd.DataFrame, sql_types: dict[str, str]) -> None:
    """A temp table from a frame, with explicit types (an empty frame keeps its schema)."""
    conn.register("_frame", frame)
    try:
        cols = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in sql_types.items())
        conn.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {cols} FROM _frame")
    finally:
        conn.unregister("_frame")


def copy_ledger(conn, ledger: Ledger) -> int:
    """Replace the warehouse's `raw.call_attempts` with the ledger's rows (append-only upstream)."""
    with ledger.locked() as lconn:
        rows = lconn.execute("SELECT * FROM raw.call_attempts ORDER BY seq").fetch_df()
    run_sql_file(conn, "raw/call_attempts.sql")
    conn.register("_ledger_rows", rows)
    try:
        conn.execute("DELETE FROM raw.call_attempts")
        conn.execute("INSERT INTO raw.call_attempts BY NAME SELECT * FROM _ledger_rows")
    finally:
        conn.unregister("_ledger_rows")
    return len(rows)


def register_campaigns(conn, campaigns: list[Campaign]) -> None:
    """The loaded campaign files as the temp table `dial_campaigns` (what the SQL reads of them)."""
    _register(
        conn,
        "dial_campaigns",
        _campaign_frame(campaigns),
        {
            "campaign": "VARCHAR",
            "states": "VARCHAR[]",
            "verticals": "VARCHAR[]",
            "sources": "VARCHAR[]",
            "timezones": "VARCHAR[]",
            "min_score": "DOUBLE",
            "calling_codes": "VARCHAR[]",
            "max_attempts": "INTEGER",
            "min_gap_hours": "DOUBLE",
            "daily_cap": "INTEGER",
        },
    )


def build_campaign_daily(conn, campaigns: list[Campaign]) -> int:
    """(Re)build marts.campaign_daily (campaign figures of revenue ops); its row count."""
    run_sql_file(conn, "raw/call_attempts.sql")
    run_sql_file(conn, "marts/campaign_daily/ensure.sql")
    register_campaigns(conn, campaigns)
    try:
        run_sql_file(conn, "marts/campaign_daily.sql")
    finally:
        conn.execute("DROP TABLE IF EXISTS dial_campaigns")
    return conn.execute("SELECT count(*) FROM marts.campaign_daily").fetchone()[0]


def _copy_atomic(conn, query: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    conn.execute(f"COPY ({query.strip().rstrip(';')}) TO '{str(tmp).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
    os.replace(tmp, target)


def build_dial_queue(
    conn, campaigns: list[Campaign], now: datetime | None = None, *, state_dir: Path | None = None
) -> QueueCounts:
    """(Re)build marts.dial_queue and marts.dial_exclusions for `campaigns` at `now` (UTC); with
    `state_dir`, also hand the dispatcher its snapshot and the suppression list (Parquet)."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    naive_now = now.replace(tzinfo=None)
    run_sql_file(conn, "marts/suppression_list/ensure.sql")
    run_sql_file(conn, "marts/dial_queue/ensure_inputs.sql")
    run_sql_file(conn, "raw/call_attempts.sql")
    zones = [
        r[0]
        for r in conn.execute("SELECT DISTINCT timezone FROM marts.call_queue WHERE timezone IS NOT NULL").fetchall()
    ]
    register_campaigns(conn, campaigns)
    _register(
        conn,
        "dial_zone_clock",
        _zone_clock(zones, campaigns, now),
        {"campaign": "VARCHAR", "timezone": "VARCHAR", "blocked_reason": "VARCHAR", "local_day": "DATE"},
    )
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE dial_cap_used AS SELECT campaign, local_day, count(*) AS used "
        "FROM raw.call_attempts_current WHERE NOT dry_run AND status IN ('planned', 'dispatched', 'unknown') "
        "GROUP BY campaign, local_day"
    )
    run_sql_file(conn, "marts/dial_queue/leads.sql", {"fictional_re": FICTIONAL_E164_RE})
    run_sql_file(conn, "marts/dial_queue/candidates.sql", {"now": naive_now})
    run_sql_file(conn, "marts/dial_queue.sql", {"now": naive_now})
    run_sql_file(conn, "marts/dial_exclusions.sql", {"now": naive_now})
    queued = dict(conn.execute("SELECT campaign, count(*) FROM marts.dial_queue GROUP BY campaign").fetchall())
    excluded: dict[str, dict[str, int]] = {}
    for campaign, reason, n in conn.execute(
        "SELECT campaign, reason, count(*) FROM marts.dial_exclusions GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        excluded.setdefault(campaign, {})[reason] = n
    if state_dir is not None:
        _copy_atomic(conn, read_sql("marts/dial_queue/snapshot.sql"), state_dir / QUEUE_FILE)
        _copy_atomic(conn, "SELECT DISTINCT phone_e164 FROM marts.suppression_list", state_dir / SUPPRESSION_FILE)
    for table in ("dial_leads", "dial_candidates", "dial_ranked", "dial_campaigns", "dial_zone_clock", "dial_cap_used"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    return QueueCounts({c.name: queued.get(c.name, 0) for c in campaigns}, excluded)


def snapshot_zones(state_dir: Path, campaign: str) -> list[str]:
    """Time zones of the campaign's leads in the dispatcher's queue snapshot (empty when none)."""
    import duckdb

    path = state_dir / QUEUE_FILE
    if not path.exists():
        return []
    with duckdb.connect() as conn:
        query = "SELECT DISTINCT timezone FROM read_parquet(?) WHERE campaign = ? AND timezone IS NOT NULL"
        return [r[0] for r in conn.execute(query, [str(path), campaign]).fetchall()]
