"""The dispatcher: one tick of one campaign dials the next leads of its queue through Retell.

Order of every call (each step is what makes a kill -9 anywhere harmless):

1. `reconcile()` first: every `planned` attempt whose dispatcher died is looked up in Retell's
   list-calls by `metadata.attempt_id` → `dispatched` (with its call_id) when found, else
   `unknown`. Neither is ever dialled again.
2. Per lead, right before the call: the stop switch, the safety refusals (synthetic, fictional,
   not valid E.164 for the campaign's countries), the newest DNC/closing evidence (queue snapshot +
   landing files), the lead-local window and weekday at this instant — then, under the ledger
   lock, the daily cap, max attempts, the minimum gap and the per-minute pace, and the `planned`
   row is appended before the lock is released.
3. `call.create_phone_call` (idempotency_key = attempt_id), then `dispatched` / `failed` is
   appended. A transport error is reconciled at once (it may have created the call).

Dry run (`dry_run_for`) appends `skipped`/`dry_run` rows that count against nothing and calls
nothing. The stop switch (STOP file or CAMPAIGNS_STOP) is checked before every call.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb

from pipelines.campaigns.config import Campaign
from pipelines.campaigns.dispatch_config import DispatchConfig, TickSummary
from pipelines.campaigns.fresh_evidence import FreshEvidence
from pipelines.campaigns.ledger import Attempt, Ledger, new_attempt_id
from pipelines.campaigns.queue import QUEUE_FILE, SUPPRESSION_FILE
from pipelines.campaigns.rules import blocked_reason, local_day, phone_refusal

RECORDED_REFUSALS = ("synthetic", "fictional_number", "invalid_number", "number_not_in_countries", "suppressed")
IN_FLIGHT_STATUSES = ("registered", "ongoing")
EXAMINE_FACTOR = 50  # a tick looks at most this many queue rows per call it may place


def _retell_client(config: DispatchConfig) -> Any:
    from retell import Retell

    return Retell(api_key=config.api_key, base_url=config.base_url, max_retries=0, timeout=config.timeout_s)


class Dispatcher:
    """Dispatch ticks for any campaign; one owner id (and owner lock) for the object's life."""

    def __init__(
        self,
        config: DispatchConfig,
        *,
        client: Any = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.config = config
        self.ledger = Ledger(config.state_dir)
        self.clock = clock
        self._client = client
        self._wake = threading.Event()
        self.owner, self._owner_handle = self.ledger.claim_owner()
        self.evidence = FreshEvidence(config.data_dir, since=self._snapshot_time())

    def close(self) -> None:
        self.ledger.release_owner(self.owner, self._owner_handle)

    def __enter__(self) -> Dispatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- switches --------------------------------------------------------------------------
    def stop_reason(self) -> str | None:
        if self.config.stop:
            return "CAMPAIGNS_STOP is set"
        if self.config.stop_file.exists():
            return f"stop file {self.config.stop_file} exists"
        return None

    def dry_run_for(self, campaign: Campaign) -> bool:
        if not self.config.api_key or not campaign.enabled:
            return True  # nothing dials without a key and an enabled campaign, whatever DRY_RUN says
        return bool(self.config.dry_run)  # DRY_RUN unset (None) = live for an enabled campaign with a key

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = _retell_client(self.config)
        return self._client

    # ---- reconcile -------------------------------------------------------------------------
    def reconcile(self) -> Counter:
        """Settle every `planned` attempt whose dispatcher is gone; never dials."""
        outcome: Counter = Counter()
        with self.ledger.locked() as conn:
            planned = Ledger.current(conn, "status = 'planned'")
        for attempt in planned:
            if attempt.owner == self.owner or self.ledger.owner_alive(attempt.owner):
                continue
            settled = self._settle(attempt)
            with self.ledger.locked() as conn:
                still = Ledger.current(conn, "attempt_id = ?", [attempt.attempt_id])
                if still and still[0].status == "planned":
                    Ledger.append(conn, settled)
                    outcome[settled.status] += 1
        return outcome

    def _settle(self, attempt: Attempt) -> Attempt:
        if not self.config.api_key:
            return attempt.moved("unknown", reason="reconcile_without_api_key")
        try:
            page = self.client.call.list(
                filter_criteria={
                    "metadata": [{"key": "attempt_id", "type": "string", "op": "eq", "value": attempt.attempt_id}]
                },
                limit=10,
            )
        except Exception as exc:  # any failure: undecidable → unknown, never redialled
            return attempt.moved("unknown", reason="reconcile_failed", error=_short(exc))
        for item in page.items or []:
            if (getattr(item, "metadata", None) or {}).get("attempt_id") == attempt.attempt_id:
                return attempt.moved("dispatched", reason="reconciled", call_id=item.call_id)
        return attempt.moved("unknown", reason="not_found_in_retell")

    # ---- the queue -------------------------------------------------------------------------
    def _snapshot_time(self) -> datetime:
        path = self.config.state_dir / QUEUE_FILE
        try:
            return datetime.fromtimestamp(path.stat().st_mtime, UTC) - timedelta(minutes=5)
        except FileNotFoundError:
            return datetime.now(UTC) - timedelta(days=2)

    def queue(self, campaign: Campaign, now: datetime) -> Iterator[dict[str, Any]]:
        """The campaign's snapshot rows, best first, only of zones whose window is open at `now`
        (read lazily: a tick that stops early reads little)."""
        path = self.config.state_dir / QUEUE_FILE
        if not path.exists():
            return
        start, end = campaign.effective_window
        with duckdb.connect() as conn:
            zones = [
                z
                for (z,) in conn.execute(
                    "SELECT DISTINCT timezone FROM read_parquet(?) WHERE campaign = ?", [str(path), campaign.name]
                ).fetchall()
                if blocked_reason(now, z, campaign.iso_weekdays, start, end) is None
            ]
            cursor = conn.execute(
                "SELECT * FROM read_parquet(?) WHERE campaign = ? AND list_contains(?, timezone) ORDER BY dial_rank",
                [str(path), campaign.name, zones],
            )
            names = [d[0] for d in cursor.description]
            while batch := cursor.fetchmany(256):
                for row in batch:
                    yield dict(zip(names, row, strict=True))

    def suppressed_phones(self) -> set[str]:
        path = self.config.state_dir / SUPPRESSION_FILE
        if not path.exists():
            return set()
        with duckdb.connect() as conn:
            return {r[0] for r in conn.execute("SELECT phone_e164 FROM read_parquet(?)", [str(path)]).fetchall()}

    def _in_flight(self, campaign: Campaign) -> int:
        since = int((self.clock() - timedelta(hours=2)).timestamp() * 1000)
        page = self.client.call.list(
            filter_criteria={
                "metadata": [{"key": "campaign", "type": "string", "op": "eq", "value": campaign.name}],
                "start_timestamp": {"type": "number", "op": "ge", "value": since},
            },
            limit=1000,
        )
        return sum(1 for item in page.items or [] if getattr(item, "call_status", None) in IN_FLIGHT_STATUSES)

    # ---- one tick --------------------------------------------------------------------------
    def tick(self, campaign: Campaign) -> TickSummary:
        dry = self.dry_run_for(campaign)
        summary = TickSummary(campaign.name, dry)
        if reason := self.stop_reason():
            summary.stopped_because = reason
            return summary
        summary.reconciled = self.reconcile()
        rows = self.queue(campaign, self.clock())
        suppressed = self.suppressed_phones()
        in_flight: int | None = 0 if dry else None  # asked of Retell before the first live call
        dry_used: Counter = Counter()
        full_days: set = set()  # lead-local days whose cap this tick found used up
        gap = timedelta(hours=campaign.min_hours_between_attempts)
        examined = 0
        spacing = 60.0 / campaign.calls_per_minute
        last_call = 0.0
        for row in rows:
            if not dry and last_call:  # pace first, so every check below sees the instant of the call
                self._wake.wait(max(0.0, last_call + spacing - time.monotonic()))
            if summary.dispatched + summary.would_dial >= self.config.max_calls_per_tick:
                summary.stopped_because = "max calls per tick"
                break
            if reason := self.stop_reason():
                summary.stopped_because = reason
                break
            examined += 1
            if examined > self.config.max_calls_per_tick * EXAMINE_FACTOR:
                summary.stopped_because = "examined enough queue rows for one tick"
                break
            if in_flight is None:
                try:
                    in_flight = self._in_flight(campaign)
                except Exception as exc:
                    summary.stopped_because = f"could not count live calls: {_short(exc)}"
                    break
            if not dry and in_flight >= campaign.max_concurrent_calls:
                summary.stopped_because = f"{in_flight} calls live (max_concurrent_calls)"
                break
            self.evidence.refresh()
            now = self.clock()
            refusal = self._refusal(campaign, row, now, suppressed)
            if refusal is not None:
                if refusal in RECORDED_REFUSALS:
                    self._record_skip(campaign, row, now, refusal, dry)
                summary.skipped[refusal] += 1
                continue
            day = self._local_day(row, now)
            if day in full_days:
                summary.skipped["daily_cap_reached"] += 1
                continue
            last = row.get("last_contact_at")
            if last is not None and last > now.astimezone(UTC).replace(tzinfo=None) - gap:
                summary.skipped["attempted_too_recently"] += 1  # known from the snapshot; no lock needed
                continue
            attempt, limit = self._plan(campaign, row, now, dry, dry_used)
            if attempt is None:
                summary.skipped[limit] += 1
                if limit == "daily_cap_reached":
                    full_days.add(day)
                if limit == "calls_per_minute":
                    summary.stopped_because = "calls_per_minute reached"
                    break
                continue
            if dry:
                summary.would_dial += 1
                continue
            last_call = time.monotonic()
            done = self._call(campaign, row, attempt)
            with self.ledger.locked() as conn:
                Ledger.append(conn, done)
            if done.status == "dispatched":
                summary.dispatched += 1
                in_flight += 1
            elif done.status == "failed":
                summary.failed += 1
                if done.error and done.error.startswith("429"):
                    summary.stopped_because = "Retell answered 429 (concurrency or rate limit)"
                    break
            else:
                summary.unknown += 1
        return summary

    def _refusal(self, campaign: Campaign, row: dict[str, Any], now: datetime, suppressed: set[str]) -> str | None:
        phone = row.get("phone_e164")
        if row.get("is_synthetic") or str(row.get("source") or "").lower() == "synthetic":
            return "synthetic"
        if refusal := phone_refusal(phone, campaign.countries):
            return refusal
        if phone in suppressed or phone in self.evidence.dnc_phones:
            return "suppressed"
        if closed := self.evidence.closed_leads.get(row["lead_id"]):
            return f"closed_{closed}"
        start, end = campaign.effective_window
        return blocked_reason(now, row.get("timezone"), campaign.iso_weekdays, start, end)

    @staticmethod
    def _local_day(row: dict[str, Any], now: datetime):
        zone = row.get("timezone")
        try:
            return local_day(now, zone) if zone else None
        except ValueError:
            return None

    def _attempt(self, campaign: Campaign, row: dict[str, Any], now: datetime, status: str, **extra) -> Attempt:
        day = self._local_day(row, now)
        return Attempt(
            attempt_id=new_attempt_id(),
            campaign=campaign.name,
            lead_id=row["lead_id"],
            phone_e164=row.get("phone_e164"),
            local_day=day,
            planned_at=now,
            status=status,
            prompt_version=campaign.prompt_for(row["lead_id"]),
            owner=self.owner,
            **extra,
        )

    def _record_skip(self, campaign: Campaign, row: dict[str, Any], now: datetime, reason: str, dry: bool) -> None:
        with self.ledger.locked() as conn:
            Ledger.append(conn, self._attempt(campaign, row, now, "skipped", reason=reason, dry_run=dry))

    def _plan(
        self, campaign: Campaign, row: dict[str, Any], now: datetime, dry: bool, dry_used: Counter
    ) -> tuple[Attempt | None, str]:
        """Under the ledger lock: check cap, attempts, gap and pace, then append the attempt."""
        attempt = self._attempt(campaign, row, now, "planned")
        if dry:
            attempt = attempt.moved("skipped", reason="dry_run", dry_run=True)
        with self.ledger.locked() as conn:
            usage = Ledger.usage(conn, campaign.name, row["lead_id"], attempt.local_day, now - timedelta(minutes=1))
            if usage.cap_used + dry_used[attempt.local_day] >= campaign.daily_cap:
                return None, "daily_cap_reached"
            if usage.lead_attempts >= campaign.max_attempts:
                return None, "attempts_exhausted"
            last = row.get("last_contact_at")
            candidates = [t for t in (usage.last_attempt_at, last) if t is not None]
            gap = timedelta(hours=campaign.min_hours_between_attempts)
            if candidates and max(candidates) > now.astimezone(UTC).replace(tzinfo=None) - gap:
                return None, "attempted_too_recently"
            if not dry and usage.last_minute >= campaign.calls_per_minute:
                return None, "calls_per_minute"
            Ledger.append(conn, attempt)
        if dry:
            dry_used[attempt.local_day] += 1
        return attempt, ""

    def _call(self, campaign: Campaign, row: dict[str, Any], attempt: Attempt) -> Attempt:
        import retell

        variables = {
            var: str(row[column]) for var, column in campaign.dynamic_variables.items() if row.get(column) is not None
        }
        metadata = {
            "lead_id": attempt.lead_id,
            "campaign": campaign.name,
            "campaign_id": campaign.name,  # the key staging.calls and the brain read
            "attempt_id": attempt.attempt_id,
            "prompt_version": attempt.prompt_version,
        }
        try:
            response = self.client.call.create_phone_call(
                from_number=campaign.from_number_for(attempt.lead_id),
                to_number=attempt.phone_e164,
                override_agent_id=campaign.agent_id,
                metadata=metadata,
                retell_llm_dynamic_variables=variables,
                idempotency_key=attempt.attempt_id,
            )
        except retell.APIStatusError as exc:
            return attempt.moved("failed", error=f"{exc.status_code}: {_short(exc)}")
        except Exception as exc:  # transport error: the call may exist — ask Retell now
            settled = self._settle(attempt)
            return settled if settled.status == "dispatched" else settled.moved("unknown", error=_short(exc))
        return attempt.moved("dispatched", call_id=response.call_id)


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]
