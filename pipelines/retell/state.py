"""The sync cursor: what the next run lists from and which calls still need a fetch.

* `watermark_ms` — the highest `start_timestamp` of a list page whose calls are all landed; the
  next run lists from `watermark_ms - overlap`.
* `pending`      — call_id → start ms of calls landed before they were final (no
  `call_analysis` yet, or not ended): fetched again each run until complete or too old.
* `complete`     — call_id → start ms of complete calls inside the overlap window, so re-listing
  the window does not fetch them again (pruned as the watermark moves).

Saved with write-to-temp + `os.replace`, always *after* the batch file it describes, so a crash
between the two only causes a harmless re-fetch, never a gap.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from contracts.atomic import atomic_write_text


@dataclass
class SyncState:
    watermark_ms: int | None = None
    pending: dict[str, int] = field(default_factory=dict)
    complete: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> SyncState:
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                watermark_ms=None if data.get("watermark_ms") is None else int(data["watermark_ms"]),
                pending={str(k): int(v) for k, v in (data.get("pending") or {}).items()},
                complete={str(k): int(v) for k, v in (data.get("complete") or {}).items()},
            )
        except (ValueError, TypeError, AttributeError) as exc:
            raise ValueError(
                f"corrupt Retell sync state {path}: {exc}; delete it to re-list the lookback window"
            ) from exc

    def save(self, path: Path) -> None:
        payload = json.dumps(
            {"watermark_ms": self.watermark_ms, "pending": self.pending, "complete": self.complete}, sort_keys=True
        )
        atomic_write_text(path, payload)

    def prune_complete(self, overlap_ms: int) -> None:
        if self.watermark_ms is None:
            return
        floor = self.watermark_ms - overlap_ms
        self.complete = {cid: ms for cid, ms in self.complete.items() if ms >= floor}
