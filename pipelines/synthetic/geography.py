"""Fixed reference data of the synthetic world: cities with their state, IANA timezone and real
area codes, plus the fictional numbering rule (NPA 555-0100..0199, reserved for fiction).

Each area code yields 100 fictional numbers, so the world holds at most `phone_capacity()` clinics.
The dialer's own number (`CALLER_AREA_CODE`) uses an area code no clinic gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class City:
    name: str
    state: str
    timezone: str
    area_codes: tuple[str, ...]


CITIES: tuple[City, ...] = (
    City("Austin", "TX", "America/Chicago", ("512", "737")),
    City("Dallas", "TX", "America/Chicago", ("214", "469", "972")),
    City("Houston", "TX", "America/Chicago", ("713", "281", "832")),
    City("San Antonio", "TX", "America/Chicago", ("210",)),
    City("Miami", "FL", "America/New_York", ("305", "786")),
    City("Tampa", "FL", "America/New_York", ("813",)),
    City("Orlando", "FL", "America/New_York", ("407", "689")),
    City("Boca Raton", "FL", "America/New_York", ("561",)),
    City("Scottsdale", "AZ", "America/Phoenix", ("480",)),
    City("Phoenix", "AZ", "America/Phoenix", ("602", "623")),
    City("Los Angeles", "CA", "America/Los_Angeles", ("213", "323")),
    City("Beverly Hills", "CA", "America/Los_Angeles", ("310", "424")),
    City("San Diego", "CA", "America/Los_Angeles", ("619", "858")),
    City("San Francisco", "CA", "America/Los_Angeles", ("415", "628")),
    City("Newport Beach", "CA", "America/Los_Angeles", ("949",)),
    City("Seattle", "WA", "America/Los_Angeles", ("206",)),
    City("Bellevue", "WA", "America/Los_Angeles", ("425",)),
    City("Portland", "OR", "America/Los_Angeles", ("503", "971")),
    City("Las Vegas", "NV", "America/Los_Angeles", ("702", "725")),
    City("Denver", "CO", "America/Denver", ("303", "720")),
    City("Salt Lake City", "UT", "America/Denver", ("801", "385")),
    City("Boise", "ID", "America/Boise", ("208",)),
    City("Chicago", "IL", "America/Chicago", ("312", "773", "872")),
    City("Minneapolis", "MN", "America/Chicago", ("612",)),
    City("Kansas City", "MO", "America/Chicago", ("816",)),
    City("Nashville", "TN", "America/Chicago", ("615", "629")),
    City("New Orleans", "LA", "America/Chicago", ("504",)),
    City("Atlanta", "GA", "America/New_York", ("404", "678", "470")),
    City("Charlotte", "NC", "America/New_York", ("704", "980")),
    City("Raleigh", "NC", "America/New_York", ("919", "984")),
    City("New York", "NY", "America/New_York", ("212", "646", "917")),
    City("Boston", "MA", "America/New_York", ("617", "857")),
    City("Philadelphia", "PA", "America/New_York", ("215", "267")),
    City("Washington", "DC", "America/New_York", ("202",)),
    City("Columbus", "OH", "America/New_York", ("614",)),
    City("Detroit", "MI", "America/Detroit", ("313",)),
    City("Indianapolis", "IN", "America/Indiana/Indianapolis", ("317",)),
    City("Louisville", "KY", "America/Kentucky/Louisville", ("502",)),
    City("Honolulu", "HI", "Pacific/Honolulu", ("808",)),
    City("Anchorage", "AK", "America/Anchorage", ("907",)),
)

# The synthetic dialer's caller IDs: fictional too, in an area code no clinic uses.
CALLER_AREA_CODE = "650"
FICTIONAL_SUFFIXES: tuple[str, ...] = tuple(f"01{n:02d}" for n in range(100))


def fictional_e164(area_code: str, suffix: str) -> str:
    """``("512", "0123")`` → ``"+15125550123"`` (NANP 555-01xx, reserved for fictional use)."""
    return f"+1{area_code}555{suffix}"


@lru_cache(maxsize=1)
def all_area_codes() -> tuple[str, ...]:
    codes = sorted({code for city in CITIES for code in city.area_codes})
    assert CALLER_AREA_CODE not in codes
    return tuple(codes)


def phone_capacity() -> int:
    """How many distinct fictional clinic numbers the world can hand out."""
    return len(all_area_codes()) * len(FICTIONAL_SUFFIXES)
