"""The synthetic world's inputs, validated: seed, as_of date, sizes and the call window.

`SyntheticConfig.build(...)` accepts loose values (strings from env or Dagster config) and raises
`SyntheticConfigError` with a clear message for anything malformed: a negative size, a date that
is not ``YYYY-MM-DD``, a window of zero days, more clinics than fictional numbers exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MAX_CALLS = 5_000_000
MAX_DAYS = 366


class SyntheticConfigError(ValueError):
    """A synthetic-world setting is malformed; the message names the setting and the rule."""


def _as_int(name: str, value: object) -> int:
    if isinstance(value, bool):
        raise SyntheticConfigError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value.strip())
    raise SyntheticConfigError(f"{name} must be an integer, got {value!r}")


def parse_as_of(value: object) -> dt.date:
    """``YYYY-MM-DD`` (or a `date`) → `date`; anything else is a `SyntheticConfigError`."""
    if isinstance(value, dt.datetime):
        raise SyntheticConfigError(f"as_of must be a date (YYYY-MM-DD), not a datetime: {value!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
    raise SyntheticConfigError(f"as_of must be a calendar date written YYYY-MM-DD, got {value!r}")


@dataclass(frozen=True, slots=True)
class SyntheticConfig:
    """Everything that determines the synthetic world. Equal configs → byte-identical worlds."""

    seed: int = 42
    as_of: dt.date = dt.date(2026, 1, 15)
    n_clinics: int = 50
    n_calls: int = 200
    days: int = 14

    @classmethod
    def build(
        cls,
        seed: object = 42,
        as_of: object = "2026-01-15",
        n_clinics: object = 50,
        n_calls: object = 200,
        days: object = 14,
    ) -> SyntheticConfig:
        from pipelines.synthetic.geography import phone_capacity

        config = cls(
            seed=_as_int("seed", seed),
            as_of=parse_as_of(as_of),
            n_clinics=_as_int("n_clinics", n_clinics),
            n_calls=_as_int("n_calls", n_calls),
            days=_as_int("days", days),
        )
        if config.seed < 0:
            raise SyntheticConfigError(f"seed must be >= 0, got {config.seed}")
        capacity = phone_capacity()
        if not 1 <= config.n_clinics <= capacity:
            raise SyntheticConfigError(
                f"n_clinics must be between 1 and {capacity} (the fictional 555-01xx numbers "
                f"available), got {config.n_clinics}"
            )
        if not 0 <= config.n_calls <= MAX_CALLS:
            raise SyntheticConfigError(f"n_calls must be between 0 and {MAX_CALLS}, got {config.n_calls}")
        if not 1 <= config.days <= MAX_DAYS:
            raise SyntheticConfigError(f"days must be between 1 and {MAX_DAYS}, got {config.days}")
        return config

    @property
    def as_of_text(self) -> str:
        return self.as_of.isoformat()

    @property
    def as_of_epoch_ms(self) -> int:
        """Midnight UTC of ``as_of`` in epoch ms: every synthetic call starts before it."""
        start = dt.datetime(self.as_of.year, self.as_of.month, self.as_of.day, tzinfo=dt.UTC)
        return int(start.timestamp()) * 1000
