"""Validation of the REST bodies the simulator accepts, with Retell's error wording.

Retell answers every error as ``{"status": "error", "message": ...}`` (its OpenAPI spec: 400
"Invalid request format, please check API reference.", 401 "API key is missing or invalid.", 429
"Account rate limited, please throttle your requests."); the simulator adds what was wrong after the
stock sentence so a caller can fix its request. Each validator returns the cleaned body or raises
`RequestError`.
"""

from __future__ import annotations

import re
from typing import Any

BAD_FORMAT = "Invalid request format, please check API reference."
E164 = re.compile(r"\+[1-9]\d{6,14}")
MAX_LIST_LIMIT = 1000
_NUMBER_OPS = {"eq", "ne", "gt", "ge", "lt", "le"}
_NUMBER_FILTERS = ("start_timestamp", "end_timestamp", "duration_ms")
_ENUM_FILTERS = ("call_status", "call_type", "direction", "disconnection_reason")
_STRING_FILTERS = ("from_number", "to_number", "call_id")


class RequestError(Exception):
    def __init__(self, detail: str, status: int = 400) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail

    def body(self) -> dict[str, str]:
        return {"status": "error", "message": f"{BAD_FORMAT} {self.detail}"}


def _str_map(value: Any, name: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise RequestError(f"`{name}` must be an object of string values.")
    return value


def create_phone_call(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise RequestError("The body must be a JSON object.")
    for name in ("from_number", "to_number"):
        value = body.get(name)
        if not isinstance(value, str) or not value:
            raise RequestError(f"`{name}` is required and must be a string.")
        if not body.get("ignore_e164_validation") and not E164.fullmatch(value):
            raise RequestError(f"`{name}` must be an E.164 number like +14155550123.")
    for name in ("override_agent_id", "idempotency_key"):
        if name in body and not isinstance(body[name], str):
            raise RequestError(f"`{name}` must be a string.")
    version = body.get("override_agent_version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, (int, str))):
        raise RequestError("`override_agent_version` must be an integer or a tag string.")
    for name in ("retell_llm_dynamic_variables", "custom_sip_headers"):
        if body.get(name) is not None:
            _str_map(body[name], name)
    for name in ("honor_internal_dnc", "ignore_e164_validation"):
        if name in body and not isinstance(body[name], bool):
            raise RequestError(f"`{name}` must be a boolean.")
    if "agent_override" in body and not isinstance(body["agent_override"], dict):
        raise RequestError("`agent_override` must be an object.")
    return body


def _check_filter(name: str, flt: Any) -> None:
    if not isinstance(flt, dict) or "op" not in flt or "value" not in flt:
        raise RequestError(f"`filter_criteria.{name}` must be an object with `op` and `value`.")
    op, value = flt["op"], flt["value"]
    if name in _NUMBER_FILTERS:
        if op == "bt":
            ok = isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)
        else:
            ok = op in _NUMBER_OPS and _is_number(value)
    elif name in _ENUM_FILTERS:
        ok = op in ("in", "nin") and isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = op in ("eq", "ne", "sw", "ew", "co") and isinstance(value, str)
    if not ok:
        raise RequestError(f"`filter_criteria.{name}` has an unsupported `op` or a `value` of the wrong type.")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def list_calls(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise RequestError("The body must be a JSON object.")
    limit = body.get("limit", 50)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIST_LIMIT:
        raise RequestError(f"`limit` must be an integer from 1 to {MAX_LIST_LIMIT}.")
    if body.get("sort_order", "descending") not in ("ascending", "descending"):
        raise RequestError("`sort_order` must be `ascending` or `descending`.")
    key = body.get("pagination_key")
    if key is not None and not isinstance(key, str):
        raise RequestError("`pagination_key` must be a string.")
    criteria = body.get("filter_criteria")
    criteria = {} if criteria is None else criteria
    if not isinstance(criteria, dict):
        raise RequestError("`filter_criteria` must be an object.")
    for name in (*_NUMBER_FILTERS, *_ENUM_FILTERS, *_STRING_FILTERS):
        if name in criteria:
            _check_filter(name, criteria[name])
    agents = criteria.get("agent")
    if agents is not None and (
        not isinstance(agents, list)
        or not all(isinstance(a, dict) and isinstance(a.get("agent_id"), str) for a in agents)
    ):
        raise RequestError("`filter_criteria.agent` must be a list of {agent_id}.")
    metadata = criteria.get("metadata")
    if metadata is not None and (
        not isinstance(metadata, list)
        or not all(isinstance(m, dict) and isinstance(m.get("key"), str) for m in metadata)
    ):
        raise RequestError("`filter_criteria.metadata` must be a list of {key, filter}.")
    return {**body, "limit": limit, "filter_criteria": criteria}
