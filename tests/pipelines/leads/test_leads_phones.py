"""vocabulary.phones (E.164, default region US, fictional numbers) and the set-based DuckDB path
that must agree with it exactly."""

from __future__ import annotations

import random

import duckdb
import pytest

from pipelines.leads.phones_bulk import build_phone_lookup
from vocabulary.phones import is_fictional, normalize_phone, phone_digits


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("3055550102", "+13055550102"),  # the original made this a Greek number (+30...)
        ("(214) 302-0101", "+12143020101"),
        ("214.302.0101", "+12143020101"),
        ("1-214-302-0101", "+12143020101"),
        ("+1 214 302 0101", "+12143020101"),
        ("214-302-0101 x123", "+12143020101"),  # extension dropped
        ("001-214-302-0101", "+12143020101"),  # international 00 prefix
        ("+44 20 7946 0958", "+442079460958"),
        ("+3055550102", None),  # explicitly foreign and not valid
        ("555-0101", None),  # too short
        ("12345", None),
        ("call me", None),
        ("", None),
        (None, None),
        ("9" * 80, None),
        (2143020101, "+12143020101"),  # numbers from JSON
        ("(999) 555-0142", "+19995550142"),  # fictional range accepted even in an unassigned area code
    ],
)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected


def test_region_parameter():
    assert normalize_phone("020 7946 0958", region="GB") == "+442079460958"
    assert normalize_phone("020 7946 0958") is None


def test_fictional_numbers():
    assert is_fictional("+12145550100") and is_fictional("+19995550199")
    assert not is_fictional("+12145550200") and not is_fictional("+12143020101")
    assert not is_fictional(None) and not is_fictional("") and not is_fictional("+442079460958")
    assert phone_digits("+12145550100") == "12145550100"


def _formats(rng: random.Random) -> list[str]:
    values = []
    for _ in range(4000):
        digits = str(rng.randint(1_000_000_000, 9_999_999_999))
        a, b, c = digits[:3], digits[3:6], digits[6:]
        values.append(
            rng.choice(
                [
                    digits,
                    f"({a}) {b}-{c}",
                    f"{a}.{b}.{c}",
                    f"+1 {a} {b} {c}",
                    f"1{digits}",
                    f"+1{digits}",
                    f"{a}-{b}-{c} ext 9",
                    f"+{digits}",
                    f"00{digits}",
                    f"1 {a}-{b}-{c}",
                ]
            )
        )
    values += [
        "",
        " ",
        "+",
        "1",
        "+1",
        "(",
        "555 0100",
        "+1 (555) 0100",
        "+1 800 302 0101",
        "+1 900 302 0101",
        "+1 264 497 1234",
        "+1 416 302 0101",
        "\t2143020101\n",
    ]
    return values


def test_set_based_lookup_agrees_with_normalize_phone():
    values = _formats(random.Random(20261124))
    conn = duckdb.connect()
    conn.execute("CREATE TEMP TABLE phone_inputs (raw VARCHAR)")
    conn.executemany("INSERT INTO phone_inputs VALUES (?)", [[v] for v in values])
    build_phone_lookup(conn)
    lookup = dict(conn.execute("SELECT raw, e164 FROM phone_lookup").fetchall())
    fast = conn.execute("SELECT count(*) FROM phone_lookup WHERE fast_path").fetchone()[0]
    assert fast > 2000  # most clean values never touch Python
    mismatches = [
        (v, lookup.get(v), normalize_phone(v)) for v in set(values) if v.strip() and lookup.get(v) != normalize_phone(v)
    ]
    assert mismatches == []
