"""What `make demo` puts into its DATA_DIR and reads back: the demo leads, the demo campaign, the
simulated day, and the run's figures from the warehouse.

* `write_leads` — a deterministic lead file (`$DATA_DIR/inbox/leads/demo_leads.csv`) of Texas
  clinics with dialable (not 555-01xx) numbers and strong ICP signals, so the lead factory queues them;
* `write_campaign` — `$DATA_DIR/campaigns/demo.toml`: enabled, every weekday, 09:00-17:00 lead-local,
  a cap of one call per lead a day, 12 h between attempts (so the next demo day may redial), paced
  for the simulator;
* `demo_day` — the lead-local day a run plays: a week ago on the first run, then the day after the
  last demo day in the ledger, never today or later (landed day folders stay in the past);
* `run_figures` — dialled, connected, emails captured and DNC of one run's calls, read from the
  warehouse (`sql/marts/call_features/figures_for_calls.sql`), so the printed summary is the warehouse's.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pipelines.campaigns.ledger import Ledger
from pipelines.platform.sql import read_sql

CAMPAIGN = "demo"
ZONE = ZoneInfo("America/Chicago")  # every demo city is in Texas' Central time
WINDOW = (time(9, 0), time(17, 0))
FIRST_DAY_BACK = 7  # the first run plays the day a week ago; each further run the next day
LEAD_FILE = "demo_leads.csv"
_CITIES = ("Dallas", "Houston", "Austin", "San Antonio", "Fort Worth", "Plano", "Irving", "Arlington")
_NPAS = ("214", "713", "512", "210", "817", "469", "972", "832")
_KINDS = ("Dental clinic", "Plastic surgery", "Med spa", "Cosmetic dentistry")
_PAINS = ("Missed calls after hours", "voicemail full", "no answer on weekends", "front desk overwhelmed")


class DemoDaysUsedUp(RuntimeError):
    """Every past day up to yesterday has been played in this DATA_DIR."""


def write_leads(inbox: Path, count: int, seed: int) -> Path:
    """The demo's lead file (same count and seed → same bytes, so a rerun re-ingests nothing new)."""
    rng = random.Random(seed)
    inbox.mkdir(parents=True, exist_ok=True)
    path = inbox / LEAD_FILE
    tmp = path.with_name(f".{LEAD_FILE}.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "business_name",
                "website",
                "phone",
                "email",
                "city",
                "state",
                "category",
                "ad_active",
                "google_ads_monthly",
                "employee_count",
                "reviews_count",
                "pain_signals",
            ]
        )
        for i in range(count):
            city = _CITIES[i % len(_CITIES)]
            kind = _KINDS[rng.randrange(len(_KINDS))]
            name = f"{city} {kind.split()[0]} Studio {i + 1:03d}"
            slug = f"demo{i + 1:03d}"
            phone = f"+1 {_NPAS[i % len(_NPAS)]} 66{rng.randrange(2, 10)} {1000 + i:04d}"
            writer.writerow(
                [
                    name,
                    f"https://{slug}.example.com",
                    phone,
                    "",
                    city,
                    "TX",
                    kind,
                    "true",
                    rng.choice((2500, 4000, 6000)),
                    rng.randrange(6, 30),
                    rng.randrange(60, 400),
                    _PAINS[rng.randrange(len(_PAINS))],
                ]
            )
    tmp.replace(path)
    return path


def campaign_toml(*, leads: int, concurrency: int, from_number: str, agent_id: str) -> str:
    return f"""# Written by `make demo` (pipelines/commands/demo.py) on every run; edit the DEMO_* knobs instead.
name = "{CAMPAIGN}"
enabled = true
agent_id = "{agent_id}"
from_numbers = ["{from_number}"]
states = ["TX"]
weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
window_start = "{WINDOW[0]:%H:%M}"
window_end = "{WINDOW[1]:%H:%M}"
daily_cap = {leads}
max_attempts = 3
min_hours_between_attempts = 12
max_concurrent_calls = {concurrency}
calls_per_minute = 600
"""


def write_campaign(campaigns_dir: Path, **fields: int | str) -> Path:
    campaigns_dir.mkdir(parents=True, exist_ok=True)
    path = campaigns_dir / f"{CAMPAIGN}.toml"
    tmp = path.with_name(f".{CAMPAIGN}.toml.tmp")
    tmp.write_text(campaign_toml(**fields), encoding="utf-8")  # type: ignore[arg-type]
    tmp.replace(path)
    return path


def demo_day(ledger: Ledger, now: datetime | None = None) -> date:
    """The lead-local day this run plays (see the module docstring)."""
    today = (now or datetime.now(UTC)).astimezone(ZONE).date()
    played = [a.local_day for a in ledger.read_all() if a.campaign == CAMPAIGN and a.local_day is not None]
    day = max(played) + timedelta(days=1) if played else today - timedelta(days=FIRST_DAY_BACK)
    if day >= today:
        raise DemoDaysUsedUp(
            f"every day up to yesterday has been played in this DATA_DIR (last {max(played)}); "
            "start over with a fresh one (make demo DEMO_FRESH=1)"
        )
    return day


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The window of `day` in the demo's zone, as aware UTC instants."""
    start = datetime.combine(day, WINDOW[0], ZONE).astimezone(UTC)
    end = datetime.combine(day, WINDOW[1], ZONE).astimezone(UTC)
    return start, end


@dataclass(frozen=True)
class RunFigures:
    dialled: int
    connected: int
    emails_captured: int
    dnc: int
    suppressed_numbers: int

    def as_dict(self) -> dict[str, int]:
        return {
            "dialled": self.dialled,
            "connected": self.connected,
            "emails_captured": self.emails_captured,
            "dnc": self.dnc,
            "suppressed_numbers": self.suppressed_numbers,
        }


def run_figures(conn, call_ids: list[str]) -> RunFigures:
    """The figures of these calls as the warehouse has them (and the suppression list's size)."""
    row = conn.execute(read_sql("marts/call_features/figures_for_calls.sql"), {"call_ids": call_ids}).fetchone()
    return RunFigures(*(int(v or 0) for v in row))


def queue_counts(conn) -> tuple[int, dict[str, int]]:
    """The demo campaign's queued leads and its exclusions by reason (marts.dial_queue / dial_exclusions)."""
    params = {"campaign": CAMPAIGN}
    queued = conn.execute(read_sql("marts/dial_queue/count_for_campaign.sql"), params).fetchone()[0]
    reasons = conn.execute(read_sql("marts/dial_exclusions/reasons_for_campaign.sql"), params).fetchall()
    return int(queued), {r: int(n) for r, n in reasons}


def suppressed_phones(conn) -> set[str]:
    return {r[0] for r in conn.execute(read_sql("marts/suppression_list/phones.sql")).fetchall()}
