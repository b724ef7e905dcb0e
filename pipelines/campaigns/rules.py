"""The dial rules in one place: lead-local window, weekday, legal calling hours, the cap's day.

Every check takes the instant (UTC) and the lead's IANA zone; the server's clock and zone never
enter. A window is clamped to the legal 08:00-21:00 whatever a file says; `[start, end)`. The
dial queue (SQL) and the dispatcher (right before each call) both use these functions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LEGAL_EARLIEST = time(8, 0)
LEGAL_LATEST = time(21, 0)


@lru_cache(maxsize=4096)
def zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        return None


def valid_zone(name: str | None) -> bool:
    return bool(name) and "/" in str(name) and zone(str(name)) is not None


def local_time(now: datetime, zone_name: str) -> datetime:
    """`now` (aware) as wall-clock time in `zone_name` (raises ValueError for an unusable zone)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    tz = zone(zone_name) if valid_zone(zone_name) else None
    if tz is None:
        raise ValueError(f"unknown time zone {zone_name!r}")
    return now.astimezone(tz)


def local_day(now: datetime, zone_name: str) -> date:
    """The lead-local calendar day of `now`: the day a call counts against the daily cap."""
    return local_time(now, zone_name).date()


def clamp_window(start: time, end: time) -> tuple[time, time]:
    return max(start, LEGAL_EARLIEST), min(end, LEGAL_LATEST)


def blocked_reason(
    now: datetime, zone_name: str | None, iso_weekdays: frozenset[int], start: time, end: time
) -> str | None:
    """Why a lead in `zone_name` may not be called at `now` (None = it may): zone, weekday, window."""
    if not zone_name or not str(zone_name).strip():
        return "timezone_unknown"
    if not valid_zone(zone_name):
        return "timezone_invalid"
    local = local_time(now, zone_name)
    if local.isoweekday() not in iso_weekdays:
        return "weekday_not_allowed"
    lo, hi = clamp_window(start, end)
    wall = local.time().replace(tzinfo=None)
    if not (lo <= wall < hi):
        return "outside_window"
    return None


def utc_now() -> datetime:
    return datetime.now(UTC)


def phone_refusal(phone: str | None, countries: list[str]) -> str | None:
    """Why a number is never dialled for a campaign (None = it may be): missing, fictional
    (555-01xx), not a valid E.164 number, or not a number of the campaign's countries."""
    import phonenumbers

    from vocabulary.phones import is_fictional

    if not phone:
        return "no_phone"
    if is_fictional(phone):
        return "fictional_number"
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return "invalid_number"
    if not phone.startswith("+") or not phonenumbers.is_valid_number(number):
        return "invalid_number"
    if phonenumbers.region_code_for_number(number) not in countries:
        return "number_not_in_countries"
    return None
