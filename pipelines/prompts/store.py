"""The prompt files under `$DATA_DIR/prompts/` (paths from `contracts.layout`): read side and history.

Published versions (`versions/<v>.json`) are immutable once written; `active.json` is a byte copy of
one of them; candidates wait in `candidates/<v>.json`; `history.jsonl` holds one JSON line per
publish or rollback. Unreadable or invalid files are reported, never silently used.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contracts.layout import DataLayout
from vocabulary.prompt_versions import (
    BUILTIN_VERSION,
    PromptVersionError,
    builtin_version,
    builtin_version_bytes,
    parse_version,
)

logger = logging.getLogger("pipelines.prompts")


@dataclass(frozen=True, slots=True)
class PromptFiles:
    layout: DataLayout

    @classmethod
    def under(cls, data_dir: Path) -> PromptFiles:
        return cls(DataLayout(Path(data_dir)))

    def version_bytes(self, version: str) -> bytes | None:
        """A published version's bytes (`builtin-v1` from the package when never published)."""
        path = self.layout.prompt_version(version)
        if path.is_file():
            return path.read_bytes()
        return builtin_version_bytes() if version == BUILTIN_VERSION else None

    def published(self) -> dict[str, dict[str, Any]]:
        """Every valid published version by name (invalid files are logged and left out)."""
        return _valid_documents(self.layout.prompt_versions)

    def candidates(self) -> dict[str, dict[str, Any]]:
        return _valid_documents(self.layout.prompt_candidates)

    def active(self) -> dict[str, Any]:
        """The active version document (`builtin-v1` when nothing was published or the file is bad)."""
        path = self.layout.active_prompt
        if not path.is_file():
            return builtin_version()
        try:
            return parse_version(path.read_bytes(), str(path))
        except (OSError, PromptVersionError) as exc:
            logger.warning("active prompt unreadable, reporting builtin: %s", exc)
            return builtin_version()

    def active_problem(self) -> str | None:
        """Why `active.json` cannot be used (None: it is fine or absent)."""
        path = self.layout.active_prompt
        if not path.is_file():
            return None
        try:
            parse_version(path.read_bytes(), str(path))
        except (OSError, PromptVersionError) as exc:
            return str(exc).splitlines()[0]
        return None

    def known_versions(self) -> dict[str, dict[str, Any]]:
        """Every version a call can have been pinned to: built-in, published, candidates."""
        known = {BUILTIN_VERSION: builtin_version()}
        known.update(self.candidates())
        known.update(self.published())
        return known

    def history(self) -> list[dict[str, Any]]:
        path = self.layout.prompt_history
        if not path.is_file():
            return []
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a torn last line after a crash
        return out


def _valid_documents(folder: Path) -> dict[str, dict[str, Any]]:
    """Every valid version document in ``folder`` by name (invalid files are logged and left out)."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            doc = parse_version(path.read_bytes(), str(path))
        except (OSError, PromptVersionError) as exc:
            logger.warning("skipping %s: %s", path, exc)
            continue
        out[doc["version"]] = doc
    return out
