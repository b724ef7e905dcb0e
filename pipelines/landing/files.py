"""Landing files of the call domain and the ledger diff (what is new or changed since last load)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contracts.layout import DataLayout
from pipelines.platform.sql import run_sql_file

RETELL_JSONL = "retell_jsonl"  # landing/retell_calls/<source>/<yyyy-mm-dd>/*.jsonl
RETELL_WEBHOOK = "retell_webhook"  # landing/retell_webhooks/<yyyy-mm-dd>/*.json
BRAIN_CALL = "brain_call"  # landing/brain_calls/<yyyy-mm-dd>/<call_id>.json


@dataclass(frozen=True)
class LandingFile:
    path: str
    kind: str
    source: str  # api | synthetic | webhook | brain (| other folder names under retell_calls/)
    size_bytes: int
    mtime_ns: int


def _walk(root: Path, suffix: str) -> list[tuple[str, os.stat_result]]:
    found: list[tuple[str, os.stat_result]] = []
    if not root.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(suffix) and not name.startswith("."):
                path = os.path.join(dirpath, name)
                try:
                    found.append((os.path.abspath(path), os.stat(path)))
                except FileNotFoundError:  # vanished between listing and stat
                    continue
    return found


def scan(landing_dir: Path, kinds: tuple[str, ...] = (RETELL_JSONL, RETELL_WEBHOOK, BRAIN_CALL)) -> list[LandingFile]:
    """Every landing file of the given kinds (temp files and dot-files excluded)."""
    files: list[LandingFile] = []
    layout = DataLayout(landing_dir.parent)
    if RETELL_JSONL in kinds:
        root = os.path.abspath(layout.retell_calls)
        for path, st in _walk(Path(root), ".jsonl"):
            parts = Path(os.path.relpath(path, root)).parts
            source = parts[0] if len(parts) > 1 else "api"  # retell_calls/<source>/<day>/<file>.jsonl
            files.append(LandingFile(path, RETELL_JSONL, source, st.st_size, st.st_mtime_ns))
    if RETELL_WEBHOOK in kinds:
        for path, st in _walk(layout.retell_webhooks, ".json"):
            files.append(LandingFile(path, RETELL_WEBHOOK, "webhook", st.st_size, st.st_mtime_ns))
    if BRAIN_CALL in kinds:
        for path, st in _walk(layout.brain_calls, ".json"):
            files.append(LandingFile(path, BRAIN_CALL, "brain", st.st_size, st.st_mtime_ns))
    return files


def ledger_snapshot(conn: Any) -> dict[str, tuple[int, int]]:
    """path → (size, mtime_ns) of every file already loaded."""
    rows = run_sql_file(conn, "raw/landing_files/snapshot.sql").fetchall()
    return {path: (size, mtime) for path, size, mtime in rows}


def new_or_changed(files: list[LandingFile], ledger: dict[str, tuple[int, int]]) -> list[LandingFile]:
    return [f for f in files if ledger.get(f.path) != (f.size_bytes, f.mtime_ns)]


def listing_digest(files: list[LandingFile]) -> str:
    """A short digest of a listing (paths, sizes, mtimes): changes whenever any file does."""
    h = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.path):
        h.update(f"{f.path}\0{f.size_bytes}\0{f.mtime_ns}\n".encode())
    return h.hexdigest()[:32]
