"""Malformed synthetic-world settings fail with a clear error naming the setting."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.synthetic import SyntheticConfig, SyntheticConfigError, parse_as_of
from pipelines.synthetic.geography import phone_capacity


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_clinics": -1}, "n_clinics"),
        ({"n_clinics": 0}, "n_clinics"),
        ({"n_clinics": phone_capacity() + 1}, "fictional"),
        ({"n_calls": -5}, "n_calls"),
        ({"n_calls": "many"}, "n_calls"),
        ({"n_calls": 2.5}, "n_calls"),
        ({"n_calls": True}, "n_calls"),
        ({"seed": -3}, "seed"),
        ({"days": 0}, "days"),
        ({"days": 1000}, "days"),
        ({"as_of": "2026-02-30"}, "as_of"),
        ({"as_of": "15/01/2026"}, "as_of"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": ""}, "as_of"),
        ({"as_of": None}, "as_of"),
        ({"as_of": 20260115}, "as_of"),
        ({"as_of": "2026-1-5"}, "as_of"),
    ],
)
def test_malformed_values_raise_a_clear_error(kwargs, message):
    with pytest.raises(SyntheticConfigError, match=message):
        SyntheticConfig.build(**kwargs)


def test_loose_but_valid_values_are_accepted():
    config = SyntheticConfig.build(seed="7", as_of=" 2026-03-01 ", n_clinics="10", n_calls="0", days="3")
    assert config == SyntheticConfig(seed=7, as_of=dt.date(2026, 3, 1), n_clinics=10, n_calls=0, days=3)
    assert parse_as_of(dt.date(2026, 1, 2)) == dt.date(2026, 1, 2)
    with pytest.raises(SyntheticConfigError):
        parse_as_of(dt.datetime(2026, 1, 2, 3, 4))


def test_as_of_epoch_is_utc_midnight():
    assert SyntheticConfig.build(as_of="2026-01-15").as_of_epoch_ms == 1768435200000
