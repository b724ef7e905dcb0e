"""Planning pass of the synthetic calls: who is called, when, in which campaign and prompt version.

Call *k* draws its campaign, prompt version, local day, time-of-day fraction and preferred lead
from its own generator; scenarios come from exact per-mille quotas shuffled by the seed. Plans are
walked in local time order to assign leads: a lead that asked not to be called is never called
again (its later calls go to the next lead) and attempts are counted per lead. Because one lead's
calls are all in its own timezone, local order is also true time order for that lead.

Calls fall in local business hours (09:00–17:00, no Sundays) on the ``days`` days before
``as_of``, and every call starts at least 30 minutes before ``as_of`` midnight UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pipelines.synthetic.clinics import Clinic
from pipelines.synthetic.config import SyntheticConfig
from pipelines.synthetic.rng import derive_seed, entity_rng
from pipelines.synthetic.scenarios import DNC_SCENARIOS, SCENARIOS

CAMPAIGNS: tuple[str, ...] = ("syn-campaign-a", "syn-campaign-b")
PROMPT_VERSIONS: tuple[str, ...] = ("syn-v1", "syn-v2")
BUSINESS_HOURS = (9, 17)


@dataclass(slots=True)
class CallPlan:
    index: int  # k: the call's position in the unshuffled plan (names its generators)
    call_id: str
    scenario: str
    campaign: str
    prompt_version: str
    day: dt.date  # local calendar day of the call
    fraction: float  # position within that day's business hours
    lead: int  # 0-based clinic index
    attempt: int = 0  # 1-based attempt number for this lead
    start_ms: int = 0  # epoch ms


def scenario_quotas(n_calls: int, n_clinics: int) -> dict[str, int]:
    """Exact scenario counts for ``n_calls``: largest remainders of the per-mille rates, at least
    one of each when there are enough calls, and never more do-not-call calls than leads - 1 (a
    lead that said "stop calling" is not called again, so someone must be left to call)."""
    names = list(SCENARIOS)
    total_rate = sum(rate for rate, _ in SCENARIOS.values())
    raw = {name: n_calls * SCENARIOS[name][0] / total_rate for name in names}
    counts = {name: int(raw[name]) for name in names}
    remainder = n_calls - sum(counts.values())
    for name in sorted(names, key=lambda nm: (-(raw[nm] - counts[nm]), names.index(nm)))[:remainder]:
        counts[name] += 1
    if n_calls >= len(names):
        for name in names:
            while counts[name] == 0:
                donor = max(names, key=lambda nm: (counts[nm], -names.index(nm)))
                counts[donor] -= 1
                counts[name] += 1
    dnc_cap = max(0, n_clinics - 1)
    for name in ("dnc_after_email", "dnc"):
        others = sum(counts[d] for d in DNC_SCENARIOS if d != name)
        moved = min(counts[name], max(0, counts[name] + others - dnc_cap))
        counts[name] -= moved
        counts["not_interested"] += moved
    return counts


def eligible_days(config: SyntheticConfig) -> list[dt.date]:
    days = [config.as_of - dt.timedelta(days=offset) for offset in range(config.days, 0, -1)]
    weekdays = [d for d in days if d.weekday() != 6]  # nobody dials clinics on Sundays
    return weekdays or days


class _Clock:
    """Local business hours → epoch ms, capped so every call starts before as_of (UTC) - 30 min."""

    def __init__(self, config: SyntheticConfig):
        self.cap_ms = config.as_of_epoch_ms - 30 * 60 * 1000
        self._zones: dict[str, ZoneInfo] = {}
        self._windows: dict[tuple[dt.date, str], tuple[int, int]] = {}

    def start_ms(self, day: dt.date, timezone: str, fraction: float) -> int:
        window = self._windows.get((day, timezone))
        if window is None:
            zone = self._zones.setdefault(timezone, ZoneInfo(timezone))
            opens = dt.datetime(day.year, day.month, day.day, BUSINESS_HOURS[0], tzinfo=zone)
            closes = dt.datetime(day.year, day.month, day.day, BUSINESS_HOURS[1], tzinfo=zone)
            lo = int(opens.timestamp()) * 1000
            hi = min(int(closes.timestamp()) * 1000, self.cap_ms)
            window = self._windows[(day, timezone)] = (lo, max(lo, hi))
        lo, hi = window
        return lo + int((hi - lo) * fraction)


def plan_calls(config: SyntheticConfig, clinics: list[Clinic]) -> list[CallPlan]:
    """Every call's plan, sorted by (start_ms, call_id) — the order calls are written in."""
    quotas = scenario_quotas(config.n_calls, config.n_clinics)
    scenarios = [name for name in SCENARIOS for _ in range(quotas[name])]
    entity_rng(config.seed, config.as_of_text, "scenario-order").shuffle(scenarios)
    days = eligible_days(config)
    plans = []
    for k, scenario in enumerate(scenarios):
        rng = entity_rng(config.seed, config.as_of_text, "plan", k)
        day_pos = rng.randrange(len(days))
        share_v2 = 0.2 + 0.6 * (day_pos / max(1, len(days) - 1))  # gradual rollout of syn-v2
        plans.append(
            CallPlan(
                index=k,
                call_id="call_" + format(derive_seed(config.seed, config.as_of_text, "call-id", k), "032x"),
                scenario=scenario,
                campaign=CAMPAIGNS[0] if rng.random() < 0.55 else CAMPAIGNS[1],
                prompt_version=PROMPT_VERSIONS[1] if rng.random() < share_v2 else PROMPT_VERSIONS[0],
                day=days[day_pos],
                fraction=rng.random(),
                lead=rng.randrange(config.n_clinics),
            )
        )
    plans.sort(key=lambda p: (p.day, p.fraction, p.index))
    suppressed: set[int] = set()
    attempts: dict[int, int] = {}
    clock = _Clock(config)
    for plan in plans:
        lead = plan.lead
        while lead in suppressed:
            lead = (lead + 1) % config.n_clinics
        plan.lead = lead
        attempts[lead] = attempts.get(lead, 0) + 1
        plan.attempt = attempts[lead]
        if plan.scenario in DNC_SCENARIOS:
            suppressed.add(lead)
        plan.start_ms = clock.start_ms(plan.day, clinics[lead].timezone, plan.fraction)
    plans.sort(key=lambda p: (p.start_ms, p.call_id))
    return plans
