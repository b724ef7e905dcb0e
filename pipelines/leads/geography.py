"""US states and IANA time zones, so later call windows use the lead's local clock.

`state_timezone(state, city)` resolves a 2-letter code or full name (any case) to the state's main
zone, with city overrides for the states split across zones (El Paso → Denver, Pensacola →
Chicago, ...). When a lead has no usable state, the phone's area code decides (`npa_timezones`,
from phonenumbers' time-zone data, area codes with exactly one zone only).
`register_reference_tables(conn)` loads the same data into DuckDB temp tables
`ref_us_states(state_key, state_code, timezone)`, `ref_city_timezones(state_code, city_key,
timezone)` and `ref_npa_timezones(npa, timezone)` for the set-based staging SQL.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd
import phonenumbers
from phonenumbers import timezone as phone_timezones

# code: (name, main IANA zone)
US_STATES: dict[str, tuple[str, str]] = {
    "AL": ("Alabama", "America/Chicago"),
    "AK": ("Alaska", "America/Anchorage"),
    "AZ": ("Arizona", "America/Phoenix"),
    "AR": ("Arkansas", "America/Chicago"),
    "CA": ("California", "America/Los_Angeles"),
    "CO": ("Colorado", "America/Denver"),
    "CT": ("Connecticut", "America/New_York"),
    "DE": ("Delaware", "America/New_York"),
    "DC": ("District of Columbia", "America/New_York"),
    "FL": ("Florida", "America/New_York"),
    "GA": ("Georgia", "America/New_York"),
    "HI": ("Hawaii", "Pacific/Honolulu"),
    "ID": ("Idaho", "America/Boise"),
    "IL": ("Illinois", "America/Chicago"),
    "IN": ("Indiana", "America/Indiana/Indianapolis"),
    "IA": ("Iowa", "America/Chicago"),
    "KS": ("Kansas", "America/Chicago"),
    "KY": ("Kentucky", "America/New_York"),
    "LA": ("Louisiana", "America/Chicago"),
    "ME": ("Maine", "America/New_York"),
    "MD": ("Maryland", "America/New_York"),
    "MA": ("Massachusetts", "America/New_York"),
    "MI": ("Michigan", "America/Detroit"),
    "MN": ("Minnesota", "America/Chicago"),
    "MS": ("Mississippi", "America/Chicago"),
    "MO": ("Missouri", "America/Chicago"),
    "MT": ("Montana", "America/Denver"),
    "NE": ("Nebraska", "America/Chicago"),
    "NV": ("Nevada", "America/Los_Angeles"),
    "NH": ("New Hampshire", "America/New_York"),
    "NJ": ("New Jersey", "America/New_York"),
    "NM": ("New Mexico", "America/Denver"),
    "NY": ("New York", "America/New_York"),
    "NC": ("North Carolina", "America/New_York"),
    "ND": ("North Dakota", "America/Chicago"),
    "OH": ("Ohio", "America/New_York"),
    "OK": ("Oklahoma", "America/Chicago"),
    "OR": ("Oregon", "America/Los_Angeles"),
    "PA": ("Pennsylvania", "America/New_York"),
    "RI": ("Rhode Island", "America/New_York"),
    "SC": ("South Carolina", "America/New_York"),
    "SD": ("South Dakota", "America/Chicago"),
    "TN": ("Tennessee", "America/Chicago"),
    "TX": ("Texas", "America/Chicago"),
    "UT": ("Utah", "America/Denver"),
    "VT": ("Vermont", "America/New_York"),
    "VA": ("Virginia", "America/New_York"),
    "WA": ("Washington", "America/Los_Angeles"),
    "WV": ("West Virginia", "America/New_York"),
    "WI": ("Wisconsin", "America/Chicago"),
    "WY": ("Wyoming", "America/Denver"),
    "PR": ("Puerto Rico", "America/Puerto_Rico"),
}

# Cities in a different zone from their state's main one.
CITY_TIMEZONES: dict[tuple[str, str], str] = {
    ("TX", "el paso"): "America/Denver",
    ("FL", "pensacola"): "America/Chicago",
    ("FL", "panama city"): "America/Chicago",
    ("FL", "fort walton beach"): "America/Chicago",
    ("FL", "destin"): "America/Chicago",
    ("TN", "knoxville"): "America/New_York",
    ("TN", "chattanooga"): "America/New_York",
    ("TN", "johnson city"): "America/New_York",
    ("KY", "louisville"): "America/Kentucky/Louisville",
    ("KY", "bowling green"): "America/Chicago",
    ("KY", "paducah"): "America/Chicago",
    ("KY", "owensboro"): "America/Chicago",
    ("IN", "gary"): "America/Chicago",
    ("IN", "evansville"): "America/Chicago",
    ("MI", "iron mountain"): "America/Menominee",
    ("MI", "menominee"): "America/Menominee",
    ("ID", "coeur d'alene"): "America/Los_Angeles",
    ("ID", "lewiston"): "America/Los_Angeles",
    ("ND", "dickinson"): "America/Denver",
    ("ND", "williston"): "America/Chicago",
    ("SD", "rapid city"): "America/Denver",
    ("NE", "scottsbluff"): "America/Denver",
    ("NE", "north platte"): "America/Chicago",
    ("KS", "goodland"): "America/Denver",
    ("OR", "ontario"): "America/Boise",
}


def normalize_state(value: str | None) -> str | None:
    """'tx', 'Texas', ' TEXAS ' → 'TX'; unknown → None."""
    key = (value or "").strip().lower()
    if not key:
        return None
    for code, (name, _) in US_STATES.items():
        if key in (code.lower(), name.lower()):
            return code
    return None


def state_timezone(state: str | None, city: str | None = None) -> str | None:
    code = normalize_state(state)
    if code is None:
        return None
    override = CITY_TIMEZONES.get((code, (city or "").strip().lower()))
    return override or US_STATES[code][1]


@lru_cache(maxsize=1)
def npa_timezones() -> dict[str, str]:
    """NANP area code → IANA zone, for the area codes phonenumbers places in exactly one zone
    (the fallback when a lead has no usable state)."""
    zones: dict[str, str] = {}
    for npa in range(200, 1000):
        found = phone_timezones.time_zones_for_number(phonenumbers.parse(f"+1{npa}2345678"))
        if len(found) == 1 and found[0] != "Etc/Unknown":
            zones[str(npa)] = found[0]
    return zones


def register_reference_tables(conn: Any) -> None:
    """Create the temp tables `ref_us_states`, `ref_city_timezones` and `ref_npa_timezones` on ``conn``."""
    states = pd.DataFrame(
        [(key, code, tz) for code, (name, tz) in US_STATES.items() for key in (code.lower(), name.lower())],
        columns=["state_key", "state_code", "timezone"],
    ).astype("object")
    cities = pd.DataFrame(
        [(code, city, tz) for (code, city), tz in CITY_TIMEZONES.items()],
        columns=["state_code", "city_key", "timezone"],
    ).astype("object")
    npas = pd.DataFrame(sorted(npa_timezones().items()), columns=["npa", "timezone"]).astype("object")
    for name, frame in (("ref_us_states", states), ("ref_city_timezones", cities), ("ref_npa_timezones", npas)):
        conn.register(f"{name}_frame", frame)
        try:
            conn.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_frame")  # fixed identifiers
        finally:
            conn.unregister(f"{name}_frame")
