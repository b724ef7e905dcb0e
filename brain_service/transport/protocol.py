"""Retell Custom-LLM WebSocket wire format: parse inbound frames, build every outbound frame.

Inbound (`interaction_type`): ``ping_pong``, ``call_details``, ``update_only``,
``response_required``, ``reminder_required``. Parsing is forward compatible: unknown fields are
ignored, an unknown ``interaction_type`` parses to :class:`UnknownFrame` (counted and ignored by the
session), and a transcript entry with an unexpected role is kept, never a reason to drop the frame.
Whatever cannot be used raises :class:`BadFrame` with a short ``kind`` the session counts.

Outbound (`response_type`): ``config``, ``ping_pong``, ``response``, ``agent_interrupt``,
``update_agent``, ``tool_call_invocation``, ``tool_call_result``, ``metadata``. Builders check
types strictly (Retell silently drops a frame whose ``content_complete`` is not a JSON boolean)
and return compact JSON text; optional fields left at ``None`` are omitted.

Plain ``json`` and slotted classes keep the per-frame cost to a few microseconds; pydantic
validation is deliberately not on this path.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from brain_service.conversation_contract import Utterance
from brain_service.transport import wire_text

# --- inbound ---------------------------------------------------------------------------------

INTERACTION_TYPES = ("ping_pong", "call_details", "update_only", "response_required", "reminder_required")

# Bad-frame kinds (metric label values; a closed set).
BAD_NOT_JSON = "not_json"
BAD_NOT_OBJECT = "not_object"
BAD_MISSING_TYPE = "missing_interaction_type"
BAD_UNKNOWN_TYPE = "unknown_interaction_type"
BAD_WRONG_TYPE = "wrong_type"
BAD_MISSING_RESPONSE_ID = "missing_response_id"
BAD_BINARY = "binary"
BAD_TRANSCRIPT_ENTRY = "bad_transcript_entry"
BAD_INVALID_UTF8 = "invalid_utf8"  # the server closed the socket with 1007 (seen by the session as a disconnect)
BAD_LONE_SURROGATE = "lone_surrogate"  # replaced by U+FFFD, the frame is used
BAD_NON_FINITE = "non_finite_number"  # NaN / Infinity: read as null, the frame is used
BAD_KINDS = (
    BAD_NOT_JSON,
    BAD_NOT_OBJECT,
    BAD_MISSING_TYPE,
    BAD_UNKNOWN_TYPE,
    BAD_WRONG_TYPE,
    BAD_MISSING_RESPONSE_ID,
    BAD_BINARY,
    BAD_TRANSCRIPT_ENTRY,
    BAD_INVALID_UTF8,
    BAD_LONE_SURROGATE,
    BAD_NON_FINITE,
)

_decode = json.JSONDecoder(parse_constant=wire_text.null_non_finite).decode
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode

# A frame that starts with its update_only discriminator can be recognised without parsing it.
# Retell's per-word timings are most of a late-call frame's bytes; when they are not kept, cutting
# them out before decoding makes the decode ~15x cheaper. A match always starts at a structural key
# (a raw quote cannot occur inside a JSON string), and a cut that went wrong leaves unbalanced JSON,
# which fails to decode and falls back to decoding the original text.
_WORD_TIMINGS = re.compile(r',\s*"words"\s*:\s*\[[^\]]*\]|"words"\s*:\s*\[[^\]]*\]\s*,')
_UPDATE_ONLY_PREFIX = re.compile(r'\s*\{\s*"interaction_type"\s*:\s*"update_only"\s*[,}]')
_TURNTAKING = re.compile(r'"turntaking"\s*:\s*"([a-z_]*)"')


_NOTHING = object()


class BadFrame(Exception):
    """An inbound frame that cannot be used; ``kind`` is one of :data:`BAD_KINDS`."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


class PingFrame:
    __slots__ = ("timestamp",)
    interaction_type = "ping_pong"

    def __init__(self, timestamp: int) -> None:
        self.timestamp = timestamp


class CallDetailsFrame:
    __slots__ = ("call",)
    interaction_type = "call_details"

    def __init__(self, call: dict[str, Any]) -> None:
        self.call = call


class UpdateOnlyFrame:
    __slots__ = ("transcript", "turntaking", "bad_entries")
    interaction_type = "update_only"

    def __init__(self, transcript: tuple[Utterance, ...], turntaking: str | None, bad_entries: int) -> None:
        self.transcript = transcript
        self.turntaking = turntaking
        self.bad_entries = bad_entries


class RequestFrame:
    """``response_required`` (kind "response") or ``reminder_required`` (kind "reminder")."""

    __slots__ = ("kind", "response_id", "transcript", "bad_entries", "interaction_type")

    def __init__(
        self,
        kind: Literal["response", "reminder"],
        response_id: int,
        transcript: tuple[Utterance, ...],
        bad_entries: int,
    ) -> None:
        self.kind = kind
        self.interaction_type = "response_required" if kind == "response" else "reminder_required"
        self.response_id = response_id
        self.transcript = transcript
        self.bad_entries = bad_entries


class UnknownFrame:
    __slots__ = ("interaction_type",)

    def __init__(self, interaction_type: str) -> None:
        self.interaction_type = interaction_type


InboundFrame = PingFrame | CallDetailsFrame | UpdateOnlyFrame | RequestFrame | UnknownFrame


def looks_like_update_only(text: str) -> bool:
    """True when the frame's first key says update_only (cheap; no parsing)."""
    return _UPDATE_ONLY_PREFIX.match(text, 0, 96) is not None


def scan_turntaking(text: str) -> str | None:
    """The ``turntaking`` value of an unparsed update_only frame, found without parsing it."""
    if '"turntaking"' not in text:
        return None
    match = _TURNTAKING.search(text)
    return match.group(1) if match else None


def parse_transcript(value: Any, max_utterances: int, keep_words: bool) -> tuple[tuple[Utterance, ...], int]:
    """Retell's cumulative transcript → the newest ``max_utterances`` utterances, bad-entry count.

    Entries that are not objects are skipped, a role or content of the wrong type is coerced
    (each such entry counted once); any role string is kept as it is.
    """
    if not isinstance(value, list):
        return (), (0 if value is None else 1)
    bad = 0
    entries = value[-max_utterances:] if len(value) > max_utterances else value
    out = []
    for entry in entries:
        if type(entry) is not dict:
            bad += 1
            continue
        role = entry.get("role")
        content = entry.get("content")
        broken = False
        if type(role) is not str:
            broken = True
            role = "unknown"
        if type(content) is not str:
            broken = broken or content is not None
            content = "" if content is None else str(content)
        bad += broken
        words: tuple[dict[str, Any], ...] = ()
        if keep_words:
            raw_words = entry.get("words")
            if isinstance(raw_words, list):
                words = tuple(w for w in raw_words if type(w) is dict)
        out.append(Utterance(role=role, content=content, words=words))
    return tuple(out), bad


def _int_field(payload: dict[str, Any], name: str) -> int:
    value = payload.get(name)
    if value is None:
        raise BadFrame(BAD_MISSING_RESPONSE_ID if name == "response_id" else BAD_WRONG_TYPE, f"{name} missing")
    if type(value) is not int:  # bool is not an id; neither is "3" or 3.0
        raise BadFrame(BAD_WRONG_TYPE, f"{name} must be an integer")
    return value


def parse_inbound(
    text: str, *, max_utterances: int = 200, keep_words: bool = False, sanitised: list[str] | None = None
) -> InboundFrame:
    """One text frame → a typed frame; raises :class:`BadFrame` when it cannot be used.

    What had to be repaired to use the frame (lone surrogates, NaN / Infinity) is appended to
    ``sanitised`` as bad-input kinds.
    """
    if sanitised is None:
        sanitised = []
    payload: Any = _NOTHING
    wire_text.non_finite_seen.clear()
    if not keep_words and '"words"' in text:
        try:
            payload = _decode(_WORD_TIMINGS.sub("", text))
        except (ValueError, RecursionError):
            payload = _NOTHING
    if payload is _NOTHING:
        try:
            payload = _decode(text)
        except ValueError as exc:  # JSONDecodeError
            raise BadFrame(BAD_NOT_JSON, str(exc)[:120]) from None
        except RecursionError:
            raise BadFrame(BAD_NOT_JSON, "nesting too deep") from None
    if type(payload) is not dict:
        raise BadFrame(BAD_NOT_OBJECT, f"top level is {type(payload).__name__}")
    if wire_text.non_finite_seen:
        sanitised.append(BAD_NON_FINITE)
    if wire_text.may_hold_lone_surrogates(text):
        found: list[int] = []
        payload = wire_text.scrub_surrogates(payload, found)
        if found:
            sanitised.append(BAD_LONE_SURROGATE)
    kind = payload.get("interaction_type")
    if kind is None:
        raise BadFrame(BAD_MISSING_TYPE, "no interaction_type")
    if type(kind) is not str:
        raise BadFrame(BAD_WRONG_TYPE, "interaction_type must be a string")
    if kind == "ping_pong":
        return PingFrame(_int_field(payload, "timestamp"))
    if kind == "response_required" or kind == "reminder_required":
        response_id = _int_field(payload, "response_id")
        if response_id < 0:
            raise BadFrame(BAD_WRONG_TYPE, "response_id must not be negative")
        transcript, bad = parse_transcript(payload.get("transcript"), max_utterances, keep_words)
        return RequestFrame("response" if kind == "response_required" else "reminder", response_id, transcript, bad)
    if kind == "update_only":
        raw = payload.get("transcript")
        if not isinstance(raw, list):
            raise BadFrame(BAD_WRONG_TYPE, "update_only transcript must be a list")
        transcript, bad = parse_transcript(raw, max_utterances, keep_words)
        turntaking = payload.get("turntaking")
        return UpdateOnlyFrame(transcript, turntaking if type(turntaking) is str else None, bad)
    if kind == "call_details":
        call = payload.get("call")
        if type(call) is not dict:
            raise BadFrame(BAD_WRONG_TYPE, "call_details.call must be an object")
        return CallDetailsFrame(call)
    return UnknownFrame(kind[:64])


# --- outbound --------------------------------------------------------------------------------

RESPONSE_TYPES = (
    "config",
    "ping_pong",
    "response",
    "agent_interrupt",
    "update_agent",
    "tool_call_invocation",
    "tool_call_result",
    "metadata",
)


def _need(value: Any, kind: type | tuple[type, ...], name: str) -> None:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"{name} must be {kind}, got {type(value).__name__}")


def _speech_fields(
    body: dict[str, Any],
    content: str,
    content_complete: bool,
    no_interruption_allowed: bool | None,
    end_call: bool | None,
    transfer_number: str | None,
    digit_to_press: str | None,
) -> dict[str, Any]:
    _need(content, str, "content")
    if content_complete is not True and content_complete is not False:
        raise TypeError("content_complete must be a bool")
    body["content"] = content
    body["content_complete"] = content_complete
    if no_interruption_allowed is not None:
        _need(no_interruption_allowed, bool, "no_interruption_allowed")
        body["no_interruption_allowed"] = no_interruption_allowed
    if end_call is not None:
        _need(end_call, bool, "end_call")
        body["end_call"] = end_call
    if transfer_number is not None:
        _need(transfer_number, str, "transfer_number")
        body["transfer_number"] = transfer_number
    if digit_to_press is not None:
        _need(digit_to_press, str, "digit_to_press")
        body["digit_to_press"] = digit_to_press
    return body


def config_frame(
    *, auto_reconnect: bool = True, call_details: bool = True, transcript_with_tool_calls: bool = False
) -> str:
    for name, value in (
        ("auto_reconnect", auto_reconnect),
        ("call_details", call_details),
        ("transcript_with_tool_calls", transcript_with_tool_calls),
    ):
        _need(value, bool, name)
    return _encode(
        {
            "response_type": "config",
            "config": {
                "auto_reconnect": auto_reconnect,
                "call_details": call_details,
                "transcript_with_tool_calls": transcript_with_tool_calls,
            },
        }
    )


def ping_frame(timestamp: int) -> str:
    _need(timestamp, int, "timestamp")
    return f'{{"response_type":"ping_pong","timestamp":{timestamp}}}'


def response_frame(
    response_id: int,
    content: str,
    content_complete: bool,
    *,
    no_interruption_allowed: bool | None = None,
    end_call: bool | None = None,
    transfer_number: str | None = None,
    digit_to_press: str | None = None,
    show_transferee_as_caller: bool | None = None,
) -> str:
    _need(response_id, int, "response_id")
    body: dict[str, Any] = {"response_type": "response", "response_id": response_id}
    _speech_fields(body, content, content_complete, no_interruption_allowed, end_call, transfer_number, digit_to_press)
    if show_transferee_as_caller is not None:
        _need(show_transferee_as_caller, bool, "show_transferee_as_caller")
        body["show_transferee_as_caller"] = show_transferee_as_caller
    return _encode(body)


def agent_interrupt_frame(
    interrupt_id: int,
    content: str,
    content_complete: bool,
    *,
    no_interruption_allowed: bool | None = None,
    end_call: bool | None = None,
    transfer_number: str | None = None,
    digit_to_press: str | None = None,
) -> str:
    _need(interrupt_id, int, "interrupt_id")
    body: dict[str, Any] = {"response_type": "agent_interrupt", "interrupt_id": interrupt_id}
    _speech_fields(body, content, content_complete, no_interruption_allowed, end_call, transfer_number, digit_to_press)
    return _encode(body)


def update_agent_frame(
    *,
    responsiveness: float | None = None,
    interruption_sensitivity: float | None = None,
    reminder_trigger_ms: int | None = None,
    reminder_max_count: int | None = None,
) -> str:
    agent_config: dict[str, Any] = {}
    for name, value in (("responsiveness", responsiveness), ("interruption_sensitivity", interruption_sensitivity)):
        if value is not None:
            _need(value, (int, float), name)
            if isinstance(value, bool) or not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"{name} must be within 0..1")
            agent_config[name] = value
    if reminder_trigger_ms is not None:
        _need(reminder_trigger_ms, int, "reminder_trigger_ms")
        if reminder_trigger_ms <= 0:
            raise ValueError("reminder_trigger_ms must be positive")
        agent_config["reminder_trigger_ms"] = reminder_trigger_ms
    if reminder_max_count is not None:
        _need(reminder_max_count, int, "reminder_max_count")
        if reminder_max_count < 0:
            raise ValueError("reminder_max_count must not be negative")
        agent_config["reminder_max_count"] = reminder_max_count
    return _encode({"response_type": "update_agent", "agent_config": agent_config})


def tool_call_invocation_frame(tool_call_id: str, name: str, arguments: dict[str, Any] | str) -> str:
    _need(tool_call_id, str, "tool_call_id")
    _need(name, str, "name")
    if not isinstance(arguments, str):
        arguments = _encode(arguments)
    return _encode(
        {"response_type": "tool_call_invocation", "tool_call_id": tool_call_id, "name": name, "arguments": arguments}
    )


def tool_call_result_frame(tool_call_id: str, content: str, successful: bool | None = None) -> str:
    _need(tool_call_id, str, "tool_call_id")
    _need(content, str, "content")
    body: dict[str, Any] = {"response_type": "tool_call_result", "tool_call_id": tool_call_id, "content": content}
    if successful is not None:
        _need(successful, bool, "successful")
        body["successful"] = successful
    return _encode(body)


def metadata_frame(metadata: Any) -> str:
    return _encode({"response_type": "metadata", "metadata": metadata})
