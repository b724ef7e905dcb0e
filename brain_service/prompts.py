"""The active prompt version: `$DATA_DIR/prompts/active.json`, with a built-in default.

The prompt-refinement lineage publishes the active prompt with an atomic replace. The brain reads
it when a call starts (`PromptStore.current()`), pins the returned `PromptVersion` on that call and
records its version in the call record. The file is re-read only when its mtime/size/inode change
(one `os.stat` per call start); a missing or malformed file falls back to the last good version, or
to the built-in default, and never fails a call.

File format (JSON object)::

    {"version": "p-2026-11-20-a", "system_prompt": "You are {persona} ...", "notes": "..."}

`system_prompt` may use the placeholders {persona}, {company}, {business}, {contact}.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from contracts.layout import DataLayout

logger = logging.getLogger("brain.prompts")

BUILTIN_VERSION = "builtin-v1"
BUILTIN_SYSTEM_PROMPT = """You are {persona}, an AI assistant calling for {company}. You are on a live phone call with the \
front desk of {business}, a clinic. {company} helps clinics answer every new lead in under a minute, even after hours.
Your one goal: get the manager's (decision maker's) email so you can send a short summary. Second best: a good time \
to call back, or the manager's name.
Rules:
- Speak like a friendly person on the phone: one or two short sentences, plain words a 12 year old knows.
- No lists, no markdown, no emoji, no stage directions, no brackets. Never explain your reasoning.
- If asked, always say truthfully that you are an AI assistant.
- Never invent prices, numbers, dates, names or facts. If asked about price, offer to send it by email.
- Stay polite. Always steer back to the manager's email.
- Follow the instruction for this reply exactly."""

MAX_PROMPT_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class PromptVersion:
    version: str
    system_prompt: str
    source: str  # "builtin" | path of the file

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


BUILTIN_PROMPT = PromptVersion(BUILTIN_VERSION, BUILTIN_SYSTEM_PROMPT, "builtin")


class PromptError(ValueError):
    """The active prompt file is malformed (the message says how)."""


def parse_prompt_file(raw: bytes, source: str) -> PromptVersion:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PromptError(f"{source}: not valid UTF-8 JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise PromptError(f"{source}: expected a JSON object, got {type(data).__name__}")
    version = data.get("version")
    prompt = data.get("system_prompt", data.get("prompt"))
    if not isinstance(version, str) or not version.strip() or len(version) > 200:
        raise PromptError(f"{source}: 'version' must be a non-empty string (≤ 200 chars)")
    if not isinstance(prompt, str) or not prompt.strip():
        raise PromptError(f"{source}: 'system_prompt' must be a non-empty string")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise PromptError(f"{source}: 'system_prompt' longer than {MAX_PROMPT_CHARS} characters")
    return PromptVersion(version.strip(), prompt, source)


class PromptStore:
    """Cheap access to the active prompt; safe to call at every call start."""

    def __init__(self, data_dir: Path) -> None:
        self.path = DataLayout(Path(data_dir)).active_prompt
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._current: PromptVersion = BUILTIN_PROMPT
        self.last_error: str | None = None

    def current(self) -> PromptVersion:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            with self._lock:
                if self._stamp is not None:
                    logger.info("active prompt %s removed; using the built-in prompt", self.path)
                self._stamp, self._current = None, BUILTIN_PROMPT
            return BUILTIN_PROMPT
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
                prompt = parse_prompt_file(self.path.read_bytes(), str(self.path))
            except (OSError, PromptError) as exc:
                self.last_error = str(exc)
                logger.warning("active prompt not loaded, keeping %s: %s", self._current.version, exc)
                self._stamp = stamp  # do not re-parse the same broken file on every call
                return self._current
            self._stamp, self._current, self.last_error = stamp, prompt, None
            logger.info("active prompt version %s loaded", prompt.version)
            return prompt
