"""What a `PlaybookConversation` puts in the call's journal, and how it is read back after a crash.

`journal_delta(conversation)` returns only what changed since the last delta (None when nothing
did): call details, the committed `CallState` (outcome, email, do-not-call, callback time and
window, objections…), the sticky do-not-call flag, caller lines, agent turn logs and tool events.
`journal_restore(conversation, delta)` applies one delta to a fresh conversation of the same call,
so the restored call either resumes (Retell reconnected) or writes its record as `interrupted`.
A delta that does not have the expected shape raises `ValueError` (the caller counts and skips it).
The transport side is `brain_service/transport/journal.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from itertools import islice
from pathlib import Path
from typing import Any

from brain_service.conversation.call_details import CallDetails
from brain_service.conversation.state import CallState, Stage
from brain_service.prompts import parse_prompt_file
from contracts.layout import DataLayout

logger = logging.getLogger("brain.conversation")

MAX_TEXT = 16_000  # a caller line longer than this is journalled cut (the record gets the whole line)

_STATE_FIELDS = {f.name: f for f in fields(CallState)}
_DETAIL_FIELDS = {f.name for f in fields(CallDetails)}
_LIVE_TURN_LOGS = 4  # only the newest turn logs can still change (older turns are over)
_TUPLE_OF_STR = ("objections", "tools_done")


@dataclass(slots=True)
class JournalMarks:
    """What the journal already holds for one call (so a delta carries only changes)."""

    opened: bool = False
    details: CallDetails | None = None
    state: CallState | None = None
    dnc: bool = False
    user_texts: list[str] = field(default_factory=list)
    turn_logs: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    tools: int = 0


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _shallow(obj: Any) -> dict[str, Any]:
    """A dataclass as a dict without ``asdict``'s deep copy (the journal line is JSON anyway)."""
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
    return {name: getattr(obj, name) for name in names}


def _turn_signature(log: Any) -> tuple[Any, ...]:
    return (log.spoken, log.cancelled, log.source, log.text, log.fallback_used, log.model_first_token_ms, log.action)


# ``conv`` below is a ``PlaybookConversation`` (typed Any: call.py imports this module, not the reverse).


def journal_delta(conv: Any) -> dict[str, Any] | None:
    marks = conv._journal
    delta: dict[str, Any] = {}
    if not marks.opened:
        marks.opened = True
        delta["started_wall"] = conv.started_wall
        delta["prompt_version"] = conv.prompt.version
    if conv.details is not marks.details:
        marks.details = conv.details
        delta["details"] = _shallow(conv.details)
    if conv.state != marks.state:
        marks.state = conv.state
        delta["state"] = _shallow(conv.state)
    if conv._dnc_sticky and not marks.dnc:
        marks.dnc = True
        delta["dnc"] = True
    lines = []
    for index, line in enumerate(conv._user_lines):
        if index >= len(marks.user_texts):
            marks.user_texts.append(line.text)
        elif marks.user_texts[index] == line.text:
            continue
        else:
            marks.user_texts[index] = line.text
        lines.append([index, line.role, line.text[:MAX_TEXT], line.seen_wall])
    if lines:
        delta["user_lines"] = lines
    turn_logs = []
    for rid, log in islice(reversed(conv._turn_logs.items()), _LIVE_TURN_LOGS):
        signature = _turn_signature(log)
        if marks.turn_logs.get(rid) != signature:
            marks.turn_logs[rid] = signature
            turn_logs.append(_shallow(log))
    if turn_logs:
        delta["turn_logs"] = turn_logs
    if len(conv._tools) > marks.tools:
        delta["tools"] = [_shallow(tool) for tool in conv._tools[marks.tools :]]
        delta["tool_keys"] = sorted(conv._tool_keys)
        marks.tools = len(conv._tools)
    return delta or None


def journal_restore(
    conv: Any,
    delta: dict[str, Any],
    *,
    turn_log: Callable[..., Any],
    user_line: Callable[..., Any],
    tool_log: Callable[..., Any],
) -> None:
    """Apply one delta; ``turn_log`` / ``user_line`` / ``tool_log`` build the conversation's log entries."""
    marks = conv._journal
    marks.opened = True
    if "started_wall" in delta:
        conv.started_wall = _number(delta["started_wall"])
    if isinstance(delta.get("prompt_version"), str) and delta["prompt_version"] != conv.prompt.version:
        _pin_prompt(conv, delta["prompt_version"])
    if "details" in delta:
        raw = _mapping(delta["details"])
        conv.details = CallDetails(**{k: v for k, v in raw.items() if k in _DETAIL_FIELDS})
        conv.ctx = conv.runtime.persona_context(conv.details)
        marks.details = conv.details
    if "state" in delta:
        conv.state = state_from_json(_mapping(delta["state"]))
        marks.state = conv.state
    if delta.get("dnc") is True:
        conv._dnc_sticky = marks.dnc = True
    for item in delta.get("user_lines") or ():
        index, role, text, wall = item
        if not (isinstance(index, int) and isinstance(role, str) and isinstance(text, str)):
            raise ValueError("user line")
        if not 0 <= index <= len(conv._user_lines):  # lines are journalled in order: never a gap
            raise ValueError("user line index")
        line = user_line(role, text, _number(wall))
        if index == len(conv._user_lines):
            conv._user_lines.append(line)
            marks.user_texts.append(text)
        else:
            conv._user_lines[index] = line
            marks.user_texts[index] = text
    for raw_log in delta.get("turn_logs") or ():
        log = turn_log(**_mapping(raw_log))
        if not isinstance(log.response_id, int) or isinstance(log.response_id, bool):
            raise ValueError("turn log response_id")
        log.started_wall = _number(log.started_wall)
        conv._turn_logs[log.response_id] = log
        marks.turn_logs[log.response_id] = _turn_signature(log)
    for raw_tool in delta.get("tools") or ():
        tool = tool_log(**_mapping(raw_tool))
        tool.wall = _number(tool.wall)
        conv._tools.append(tool)
        marks.tools = len(conv._tools)
    for key in delta.get("tool_keys") or ():
        conv._tool_keys.add(str(key))


def _pin_prompt(conv: Any, version: str) -> None:
    """The call goes on with the prompt version it started with (if its published file is still there)."""
    path = DataLayout(Path(conv.settings.data_dir)).prompt_version(version)
    try:
        conv.prompt = parse_prompt_file(path.read_bytes(), str(path))
    except Exception as exc:  # noqa: BLE001 - any failure keeps the active version, said once
        logger.warning(
            "call %s resumes with prompt %s: %s not loadable (%s)", conv.call_id, conv.prompt.version, path, exc
        )


def state_from_json(raw: dict[str, Any]) -> CallState:
    """A `CallState` from its journalled form; unknown keys are ignored, a wrong type raises."""
    values: dict[str, Any] = {}
    for name, value in raw.items():
        spec = _STATE_FIELDS.get(name)
        if spec is None:
            continue
        if name == "stage":
            value = Stage(value)
        elif name in _TUPLE_OF_STR:
            value = tuple(str(v) for v in value)
        elif name == "objection_counts":
            value = tuple((str(k), int(n)) for k, n in value)
        elif (
            value is not None
            and isinstance(spec.default, bool | int)
            and type(value) is not type(spec.default)
            or value is not None
            and spec.default is None
            and not isinstance(value, str)
        ):
            raise ValueError(f"state field {name}")
        values[name] = value
    return CallState(**values)


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("expected an object")
    return value


def _number(value: Any) -> float:
    """A wall-clock epoch (finite, within year 1 .. 9999 so it can be formatted)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 253_402_300_800:
        raise ValueError("expected an epoch")
    return float(value)
