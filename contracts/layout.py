"""The `$DATA_DIR` layout both halves read and write: every shared path is spelled here once.

```
$DATA_DIR/
  landing/brain_calls/<yyyy-mm-dd>/<call_id>.json          brain → pipelines (call records)
  brain/journal/<instance>/<call_id>.<started_ms>.jsonl    brain only: live calls' journals (crash recovery)
  brain/journal/<instance>/.owner.lock                     held (flock) by the brain instance that owns them
  landing/retell_webhooks/<yyyy-mm-dd>/<call>.<event>.<digest>.json   Retell → brain → pipelines
  landing/retell_calls/<source>/<yyyy-mm-dd>/*.jsonl       API sync (`api`), synthetic world (`synthetic`)
  prompts/active.json                                      pipelines → brain (byte copy of the active version)
  prompts/versions/<version>.json                          every published version (rollback reads these)
  prompts/candidates/<version>.json                        candidates built by the prompt lineage
  prompts/candidates/evals/<version>.json                  a candidate's eval-gate result
  prompts/history.jsonl                                    one line per publish / rollback
  campaigns/STOP                                           operator → dispatcher (stop switch; /ops shows it)
  inbox/leads/*, inbox/dnc/*                               operator → pipelines (lead and DNC files)
  warehouse.duckdb, serving.duckdb                         pipelines only (live warehouse, analysts' copy)
  state/retell_sync.json                                   pipelines only (Retell sync cursor)
  revenue_ops/latest.{json,md,png}, leads/call_queue.csv   pipelines → operator (reports)
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9._\-]")


def safe_file_stem(identifier: str) -> str:
    """An id usable as a file name (Retell ids are already safe; anything else is escaped)."""
    stem = re.sub(r"\.{2,}", "_", _UNSAFE_ID.sub("_", identifier))[:200].strip(".")
    return stem or "call"


def utc_day(epoch_seconds: float) -> str:
    """`yyyy-mm-dd` of an epoch in UTC: the day folder of a landing file."""
    return datetime.fromtimestamp(epoch_seconds, tz=UTC).strftime("%Y-%m-%d")


@dataclass(frozen=True, slots=True)
class DataLayout:
    """Paths under one `$DATA_DIR` (nothing is created or read here)."""

    data_dir: Path

    @property
    def landing(self) -> Path:
        return self.data_dir / "landing"

    @property
    def brain_calls(self) -> Path:
        return self.landing / "brain_calls"

    def brain_call_record(self, call_id: str, started_at_epoch: float) -> Path:
        return self.brain_calls / utc_day(started_at_epoch) / f"{safe_file_stem(call_id)}.json"

    def brain_journal(self, instance: str) -> Path:
        """Journals of one brain instance's live calls (brain-private; nothing else reads them)."""
        return self.data_dir / "brain" / "journal" / safe_file_stem(instance)

    def brain_call_journal(self, instance: str, call_id: str, started_at_epoch: float) -> Path:
        return self.brain_journal(instance) / f"{safe_file_stem(call_id)}.{int(started_at_epoch * 1000)}.jsonl"

    def brain_journal_lock(self, instance: str) -> Path:
        return self.brain_journal(instance) / ".owner.lock"

    @property
    def retell_webhooks(self) -> Path:
        return self.landing / "retell_webhooks"

    @property
    def retell_calls(self) -> Path:
        return self.landing / "retell_calls"

    @property
    def retell_api_calls(self) -> Path:
        return self.retell_calls / "api"

    @property
    def synthetic_calls(self) -> Path:
        return self.retell_calls / "synthetic"

    @property
    def prompts(self) -> Path:
        return self.data_dir / "prompts"

    @property
    def active_prompt(self) -> Path:
        return self.prompts / "active.json"

    @property
    def prompt_versions(self) -> Path:
        return self.prompts / "versions"

    def prompt_version(self, version: str) -> Path:
        return self.prompt_versions / f"{safe_file_stem(version)}.json"

    @property
    def prompt_candidates(self) -> Path:
        return self.prompts / "candidates"

    def prompt_candidate(self, version: str) -> Path:
        return self.prompt_candidates / f"{safe_file_stem(version)}.json"

    def prompt_candidate_eval(self, version: str) -> Path:
        return self.prompt_candidates / "evals" / f"{safe_file_stem(version)}.json"

    @property
    def prompt_history(self) -> Path:
        return self.prompts / "history.jsonl"

    @property
    def campaigns(self) -> Path:
        return self.data_dir / "campaigns"

    @property
    def campaign_stop(self) -> Path:
        """The campaign stop switch: while this file exists no campaign dials."""
        return self.campaigns / "STOP"

    @property
    def inbox(self) -> Path:
        return self.data_dir / "inbox"

    @property
    def lead_inbox(self) -> Path:
        return self.inbox / "leads"

    @property
    def dnc_inbox(self) -> Path:
        return self.inbox / "dnc"

    @property
    def warehouse(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def serving(self) -> Path:
        return self.data_dir / "serving.duckdb"

    @property
    def retell_sync_state(self) -> Path:
        return self.data_dir / "state" / "retell_sync.json"

    @property
    def revenue_ops_reports(self) -> Path:
        return self.data_dir / "revenue_ops"

    @property
    def lead_queue_csv(self) -> Path:
        return self.data_dir / "leads" / "call_queue.csv"
