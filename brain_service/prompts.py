"""The active prompt version(s): `$DATA_DIR/prompts/active.json`, with `builtin-v1` as the default.

The prompt lineage publishes a version (`contracts/schemas/prompt_version.v1.schema.json`) with an
atomic replace of `active.json`. The brain reads it when a call starts (`PromptStore.current()`),
validates it with `vocabulary.prompt_versions` (schema + speech guards: the same code the pipelines
use), and pins one `PromptVersion` on the call (`ActivePrompt.for_call`). The file is re-read only
when its mtime/size/inode change (one `os.stat` per call start). A missing file means `builtin-v1`;
a malformed or guard-violating file never reaches a call: the last good version stays active and
the problem is logged once (WARNING) per broken file.

A/B: when the active version names `ab.weights`, every named version other than the active one is
read from `prompts/versions/<v>.json` (validated the same way; one that is missing or invalid gets
no calls, logged once) and a call is assigned by `contracts.prompt_assignment.assign_version` — a
stable hash of the call id, so a reconnect with the same call id lands on the same version.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contracts.layout import DataLayout
from contracts.prompt_assignment import assign_version
from vocabulary.prompt_versions import (
    BUILTIN_VERSION,
    PromptVersionError,
    builtin_version,
    parse_version,
)

logger = logging.getLogger("brain.prompts")

__all__ = [
    "BUILTIN_PROMPT",
    "BUILTIN_SYSTEM_PROMPT",
    "BUILTIN_VERSION",
    "ActivePrompt",
    "PromptError",
    "PromptStore",
    "PromptVersion",
    "parse_prompt_file",
]


class PromptError(ValueError):
    """A prompt version file is malformed or violates a guard (the message says how)."""


@dataclass(frozen=True, slots=True)
class PromptVersion:
    """One validated version document, with the Gemini system prompt at hand."""

    version: str
    system_prompt: str
    source: str  # "builtin" | path of the file
    document: Mapping[str, Any] = field(repr=False, compare=False)

    def render(self, *, persona: str, company: str, business: str | None, contact: str | None) -> str:
        values = {
            "persona": persona,
            "company": company,
            "business": business or "the clinic",
            "contact": contact or "the person who answers",
        }
        try:
            return self.system_prompt.format(**values)
        except (KeyError, IndexError, ValueError):
            # unknown placeholders or stray braces in a published prompt: use it literally
            text = self.system_prompt
            for key, value in values.items():
                text = text.replace("{" + key + "}", value)
            return text


def _from_document(doc: dict[str, Any], source: str) -> PromptVersion:
    return PromptVersion(str(doc["version"]), str(doc["system_prompt"]), source, doc)


BUILTIN_PROMPT = _from_document(builtin_version(), "builtin")
BUILTIN_SYSTEM_PROMPT = BUILTIN_PROMPT.system_prompt


def parse_prompt_file(raw: bytes, source: str) -> PromptVersion:
    """A version file's bytes as a `PromptVersion`; `PromptError` with every problem otherwise."""
    try:
        doc = parse_version(raw, source)
    except PromptVersionError as exc:
        raise PromptError(str(exc)) from exc
    return _from_document(doc, source)


@dataclass(frozen=True, slots=True)
class ActivePrompt:
    """What `active.json` says: the active version and, for A/B, the versions sharing the calls."""

    primary: PromptVersion
    weights: Mapping[str, float] = field(default_factory=dict)
    versions: Mapping[str, PromptVersion] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.primary.version

    def for_call(self, call_id: str) -> PromptVersion:
        """The version a call is pinned to (stable per call id)."""
        if not self.weights:
            return self.primary
        return self.versions.get(assign_version(call_id, self.weights), self.primary)


BUILTIN_ACTIVE = ActivePrompt(BUILTIN_PROMPT)


class PromptStore:
    """Cheap access to the active prompt; safe to call at every call start."""

    def __init__(self, data_dir: Path) -> None:
        self.layout = DataLayout(Path(data_dir))
        self.path = self.layout.active_prompt
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._current: ActivePrompt = BUILTIN_ACTIVE
        self.last_error: str | None = None

    def current(self) -> ActivePrompt:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            with self._lock:
                if self._stamp is not None:
                    logger.info("active prompt %s removed; using %s", self.path, BUILTIN_VERSION)
                self._stamp, self._current = None, BUILTIN_ACTIVE
            return BUILTIN_ACTIVE
        except OSError as exc:
            self.last_error = str(exc)
            return self._current
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        if stamp == self._stamp:
            return self._current
        with self._lock:
            if stamp == self._stamp:
                return self._current
            try:
                active = self._load(self.path.read_bytes())
            except (OSError, PromptError) as exc:
                self.last_error = str(exc)
                logger.warning("active prompt not loaded, keeping %s: %s", self._current.version, exc)
                self._stamp = stamp  # do not re-parse (or re-log) the same broken file on every call
                return self._current
            self._stamp, self._current, self.last_error = stamp, active, None
            shares = ", ".join(f"{v}={w:g}" for v, w in sorted(active.weights.items()))
            logger.info("active prompt version %s loaded%s", active.version, f" (A/B: {shares})" if shares else "")
            return active

    def _load(self, raw: bytes) -> ActivePrompt:
        primary = parse_prompt_file(raw, str(self.path))
        ab = primary.document.get("ab") or {}
        weights = {str(k): float(v) for k, v in (ab.get("weights") or {}).items() if float(v) > 0}
        if not weights or set(weights) == {primary.version}:
            return ActivePrompt(primary)
        versions = {primary.version: primary}
        for name in sorted(weights):
            if name in versions:
                continue
            loaded = self._load_version(name)
            if loaded is None:
                del weights[name]  # a version that cannot be read gets no calls
            else:
                versions[name] = loaded
        if not weights:
            return ActivePrompt(primary)
        return ActivePrompt(primary, weights, versions)

    def _load_version(self, name: str) -> PromptVersion | None:
        if name == BUILTIN_VERSION and not self.layout.prompt_version(name).exists():
            return BUILTIN_PROMPT
        path = self.layout.prompt_version(name)
        try:
            version = parse_prompt_file(path.read_bytes(), str(path))
        except (OSError, PromptError) as exc:
            logger.warning("A/B version %s gets no calls: %s", name, exc)
            return None
        if version.version != name:
            logger.warning("A/B version %s gets no calls: %s names version %s", name, path, version.version)
            return None
        return version
