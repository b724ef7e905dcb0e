"""The serving copy's temporary files: how they are named and how stale ones are removed.

A publish writes `.<serving name>.<pid>.<random>.tmp` (plus DuckDB's `.wal` next to it) and renames
it over the serving file. A publish killed half-way (kill -9, OOM, reboot) leaves that file and its
WAL behind — tens of MB each time. The next publish calls `remove_stale_temporaries`, which deletes
every temporary of the same serving file whose writer process is gone (or whose name predates the
pid in the name). A temporary of a live process is left alone: it may be a publish in progress.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

_TMP_RE = re.compile(r"\.(?P<name>.+?)\.(?:(?P<pid>\d+)\.)?(?P<token>[0-9a-f]{32})\.tmp(?:\.wal)?")


def temporary_path(serving_path: Path) -> Path:
    """A fresh temporary next to ``serving_path``, carrying this process's pid."""
    return serving_path.with_name(f".{serving_path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def remove_stale_temporaries(serving_path: Path) -> list[Path]:
    """Delete the temporaries (and WALs) of ``serving_path`` left by dead publishes; returns them."""
    removed: list[Path] = []
    folder = serving_path.parent
    if not folder.is_dir():
        return removed
    for candidate in folder.glob(f".{serving_path.name}.*.tmp*"):
        match = _TMP_RE.fullmatch(candidate.name)
        if not match or match["name"] != serving_path.name:
            continue
        pid = match["pid"]
        if pid is not None and _process_alive(int(pid)):
            continue
        try:
            candidate.unlink()
        except FileNotFoundError:
            continue
        removed.append(candidate)
    return removed
