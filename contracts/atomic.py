"""Atomic file writes: the one rule for every file one process hands to another.

The halves talk through files (call records, webhook events, sync batches, synthetic calls, the
active prompt, reports), so every writer uses this one rule: write a temp file in the target's own
folder (leading dot, so loaders skip it), fsync, then `os.replace` — a reader sees the whole file
or nothing, and a crash leaves at most a dot-file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes, *, fsync: bool = True, skip_if_exists: bool = False) -> bool:
    """Write ``data`` to ``path`` atomically; False (nothing written) when ``skip_if_exists`` and it exists."""
    if skip_if_exists and path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def atomic_write_text(path: Path, text: str, *, fsync: bool = True) -> None:
    """`atomic_write_bytes` for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"), fsync=fsync)
