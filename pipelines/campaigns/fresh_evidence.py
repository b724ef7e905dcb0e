"""The newest DNC and closing evidence, read from the landing zone before the warehouse has it.

Right before each call the dispatcher asks `FreshEvidence` whether the number asked not to be
called or the lead already closed: brain call records (`outcome`) and Retell webhooks (a caller
line the shared vocabulary reads as a DNC request) that landed since the dial queue was built.
Only day folders from `since` (minus a day) on are scanned, and each file is read once per
dispatcher; `refresh()` is cheap enough to run before every call.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from contracts.layout import DataLayout
from vocabulary.intents import is_dnc_request
from vocabulary.phones import normalize_phone

CLOSED_OUTCOMES = ("dnc", "email_captured", "not_interested")


@dataclass
class FreshEvidence:
    data_dir: Path
    since: datetime
    dnc_phones: set[str] = field(default_factory=set)
    closed_leads: dict[str, str] = field(default_factory=dict)  # lead_id → outcome
    _seen: set[str] = field(default_factory=set)

    def _days(self, root: Path) -> list[Path]:
        first = (self.since.astimezone(UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
        try:
            return [root / e.name for e in os.scandir(root) if e.is_dir() and e.name >= first]
        except FileNotFoundError:
            return []

    def _new_files(self, root: Path) -> list[Path]:
        found = []
        for day in self._days(root):
            for entry in os.scandir(day):
                if entry.name.endswith(".json") and not entry.name.startswith(".") and entry.path not in self._seen:
                    found.append(Path(entry.path))
        return found

    def refresh(self) -> int:
        """Read landing files not seen yet; the number of new files read."""
        layout = DataLayout(self.data_dir)
        files = 0
        for path in self._new_files(layout.brain_calls):
            self._seen.add(str(path))
            files += 1
            record = _load(path)
            if record is not None:
                self._brain_record(record)
        for path in self._new_files(layout.retell_webhooks):
            self._seen.add(str(path))
            files += 1
            event = _load(path)
            if event is not None:
                self._webhook(event)
        return files

    def _brain_record(self, record: dict) -> None:
        outcome = record.get("outcome")
        if outcome == "dnc":
            self._add_phone(record.get("to_number"))
        lead_id = record.get("lead_id") or (record.get("metadata") or {}).get("lead_id")
        if outcome in CLOSED_OUTCOMES and isinstance(lead_id, str):
            self.closed_leads[lead_id] = outcome

    def _webhook(self, event: dict) -> None:
        call = event.get("call") if isinstance(event.get("call"), dict) else {}
        lines = call.get("transcript_object") or []
        said_stop = any(
            isinstance(line, dict) and line.get("role") == "user" and is_dnc_request(str(line.get("content") or ""))
            for line in lines
        )
        if said_stop:
            self._add_phone(call.get("to_number"))
            lead_id = (call.get("metadata") or {}).get("lead_id")
            if isinstance(lead_id, str):
                self.closed_leads[lead_id] = "dnc"

    def _add_phone(self, raw: object) -> None:
        phone = normalize_phone(raw)
        if phone:
            self.dnc_phones.add(phone)


def _load(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None  # unreadable or half-written by a foreign writer: the warehouse load reports it
    return data if isinstance(data, dict) else None
