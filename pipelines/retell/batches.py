"""JSONL batch files of get-call JSON in the landing zone, written atomically.

`landing/retell_calls/api/<yyyy-mm-dd>/<first start ms>-<digest>.jsonl`: one call object per line,
the get-call body byte for byte (re-encoded compactly only when Retell's body spans several
lines), the date being the UTC day of the sync.
The name is derived from the content, so fetching the same calls twice rewrites the same file.
Temp file + fsync + `os.replace`: a reader sees the whole batch or nothing.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from contracts.atomic import atomic_write_bytes


def encode_line(call: dict[str, Any], body: bytes | None = None) -> bytes:
    """One JSONL line: the body exactly as Retell sent it when it is already one line, else the
    call re-encoded compactly with sorted keys (same values)."""
    if body is not None and b"\n" not in body and b"\r" not in body:
        return body.strip() + b"\n"
    return (json.dumps(call, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def write_batch(
    landing_dir: Path, calls: list[dict[str, Any]], *, bodies: list[bytes] | None = None, now: datetime | None = None
) -> Path | None:
    """Write one batch; returns its path (None for an empty batch)."""
    if not calls:
        return None
    data = b"".join(encode_line(c, bodies[i] if bodies else None) for i, c in enumerate(calls))
    day = (now or datetime.now(UTC)).strftime("%Y-%m-%d")
    first_ms = min(int(c.get("start_timestamp") or 0) for c in calls)
    name = f"{first_ms}-{hashlib.sha256(data).hexdigest()[:16]}.jsonl"
    target_dir = landing_dir / day
    target = target_dir / name
    atomic_write_bytes(target, data)
    return target


def remove_stale_temp_files(landing_dir: Path, older_than_s: float = 3600.0) -> int:
    """Delete temp files a killed sync left behind (only old ones: a live writer's are fresh)."""
    removed = 0
    if not landing_dir.is_dir():
        return removed
    cutoff = time.time() - older_than_s
    for tmp in landing_dir.rglob(".batch.*.tmp"):
        try:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
