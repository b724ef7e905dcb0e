"""Lead and campaign details from Retell's `call_details.call` object.

The dialer puts `lead_id`, `campaign_id`, `business_name`, `contact_name` (and `synthetic`) into
the call's `metadata` and/or `retell_llm_dynamic_variables`; both are read (dynamic variables
win for names, metadata for ids). Anything malformed is ignored, never fatal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_MAX_VALUE = 300


def _text(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())[:_MAX_VALUE]
    return value or None


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "y", "on"}
    return isinstance(value, (int, float)) and value == 1


@dataclass(frozen=True, slots=True)
class CallDetails:
    lead_id: str | None = None
    campaign_id: str | None = None
    business_name: str | None = None
    contact_name: str | None = None
    from_number: str | None = None
    to_number: str | None = None
    direction: str | None = None
    synthetic: bool = False
    metadata: dict[str, Any] = field(default_factory=dict)


def parse_call_details(call: Any) -> CallDetails:
    if not isinstance(call, dict):
        return CallDetails()
    raw_metadata = call.get("metadata")
    metadata: dict[str, Any] = raw_metadata if isinstance(raw_metadata, dict) else {}
    raw_dynamic = call.get("retell_llm_dynamic_variables")
    dynamic: dict[str, Any] = raw_dynamic if isinstance(raw_dynamic, dict) else {}
    merged: dict[str, Any] = {}
    for key, value in {**dynamic, **metadata}.items():
        if isinstance(key, str) and isinstance(value, (str, int, float, bool)) or value is None:
            merged[str(key)[:100]] = value if not isinstance(value, str) else value[:_MAX_VALUE]

    def pick(*keys: str, prefer: dict[str, Any] = metadata) -> str | None:
        for source in (prefer, dynamic, metadata):
            for key in keys:
                got = _text(source.get(key))
                if got:
                    return got
        return None

    return CallDetails(
        lead_id=pick("lead_id", "leadId"),
        campaign_id=pick("campaign_id", "campaignId"),
        business_name=pick("business_name", "clinic_name", "business", "company_name", prefer=dynamic),
        contact_name=pick("contact_name", "contact_first_name", "first_name", prefer=dynamic),
        from_number=_text(call.get("from_number")),
        to_number=_text(call.get("to_number")),
        direction=_text(call.get("direction")),
        synthetic=_truthy(metadata.get("synthetic")) or _truthy(dynamic.get("synthetic")),
        metadata=merged,
    )
