"""Campaign files: `$DATA_DIR/campaigns/<name>.toml`, parsed with tomllib, validated with pydantic.

A file that does not validate loads nothing and yields one `CampaignFileError` naming the file and
every bad field; the other campaigns still load. The repository ships `campaigns/example.toml`;
`install_example` copies it (disabled) into an empty campaigns folder on first run.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tomllib
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Annotated, Literal

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipelines.campaigns.rules import LEGAL_EARLIEST, LEGAL_LATEST, valid_zone

EXAMPLE_FILE = Path(__file__).resolve().parents[2] / "campaigns" / "example.toml"
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Columns of marts.dial_queue a dynamic variable may take its value from.
DYNAMIC_SOURCES = ("lead_id", "business_name", "vertical", "city", "state", "timezone", "email", "source")
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_HHMM_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _parse_hhmm(value: str, field: str) -> time:
    match = _HHMM_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{field} must be HH:MM (24 h), got {value!r}")
    return time(int(match.group(1)), int(match.group(2)))


class Campaign(BaseModel):
    """One campaign file, validated. Unknown fields are errors (a typo must not silently relax a rule)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    enabled: bool = False
    agent_id: str = Field(min_length=1)
    from_numbers: list[str] = Field(min_length=1)
    countries: list[str] = Field(default_factory=lambda: ["US"], min_length=1)
    # lead filters (empty = all)
    states: list[str] = Field(default_factory=list)
    verticals: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    timezones: list[str] = Field(default_factory=list)
    min_score: float = 0.0
    # when (lead-local)
    weekdays: list[Weekday] = Field(default_factory=lambda: ["mon", "tue", "wed", "thu", "fri", "sat"], min_length=1)
    window_start: str = "09:00"
    window_end: str = "17:00"
    # how much
    daily_cap: Annotated[int, Field(ge=0, le=100_000)] = 50
    max_attempts: Annotated[int, Field(ge=1, le=50)] = 3
    min_hours_between_attempts: Annotated[float, Field(ge=0, le=24 * 90)] = 24.0
    max_concurrent_calls: Annotated[int, Field(ge=1, le=1000)] = 5
    calls_per_minute: Annotated[float, Field(gt=0, le=600)] = 10.0
    # what the call carries
    prompt_version: str | None = None
    prompt_weights: dict[str, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    dynamic_variables: dict[str, str] = Field(
        default_factory=lambda: {"business_name": "business_name", "city": "city"}
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME_RE.fullmatch(value):
            raise ValueError("name must be 1-64 of a-z 0-9 _ - (starting with a letter or digit)")
        return value

    @field_validator("from_numbers")
    @classmethod
    def _from_numbers(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                ok = phonenumbers.is_valid_number(phonenumbers.parse(value, None))
            except phonenumbers.NumberParseException:
                ok = False
            if not ok or not value.startswith("+"):
                raise ValueError(f"{value!r} is not a valid E.164 number")
        return values

    @field_validator("countries")
    @classmethod
    def _countries(cls, values: list[str]) -> list[str]:
        upper = [v.upper() for v in values]
        for value in upper:
            if phonenumbers.country_code_for_region(value) == 0:
                raise ValueError(f"{value!r} is not an ISO 3166 region phonenumbers knows")
        return upper

    @field_validator("states")
    @classmethod
    def _states(cls, values: list[str]) -> list[str]:
        return [v.upper() for v in values]

    @field_validator("verticals", "sources")
    @classmethod
    def _lower(cls, values: list[str]) -> list[str]:
        return [v.lower() for v in values]

    @field_validator("timezones")
    @classmethod
    def _zones(cls, values: list[str]) -> list[str]:
        for value in values:
            if not valid_zone(value):
                raise ValueError(f"{value!r} is not an IANA time zone (e.g. America/Chicago)")
        return values

    @field_validator("window_start", "window_end")
    @classmethod
    def _hhmm(cls, value: str, info) -> str:
        _parse_hhmm(value, info.field_name)
        return value.strip()

    @field_validator("dynamic_variables")
    @classmethod
    def _dynamic(cls, mapping: dict[str, str]) -> dict[str, str]:
        for var, column in mapping.items():
            if column not in DYNAMIC_SOURCES:
                raise ValueError(f"{var} = {column!r}: source must be one of {', '.join(DYNAMIC_SOURCES)}")
        return mapping

    @model_validator(mode="after")
    def _window_and_prompts(self) -> Campaign:
        start, end = self.window_start_time, self.window_end_time
        if start >= end:
            raise ValueError(
                f"window_start {self.window_start} must be before window_end {self.window_end} "
                "(windows never wrap midnight: calls are only legal 08:00-21:00 lead-local)"
            )
        if end <= LEGAL_EARLIEST or start >= LEGAL_LATEST:
            raise ValueError(f"window {self.window_start}-{self.window_end} lies wholly outside the legal 08:00-21:00")
        if self.prompt_version is not None and self.prompt_weights:
            raise ValueError("give prompt_version or prompt_weights, not both")
        if self.prompt_weights and sum(self.prompt_weights.values()) <= 0:
            raise ValueError("prompt_weights must have a positive total")
        return self

    @property
    def window_start_time(self) -> time:
        return _parse_hhmm(self.window_start, "window_start")

    @property
    def window_end_time(self) -> time:
        return _parse_hhmm(self.window_end, "window_end")

    @property
    def effective_window(self) -> tuple[time, time]:
        """The window clamped to the legal 08:00-21:00, whatever the file says."""
        return max(self.window_start_time, LEGAL_EARLIEST), min(self.window_end_time, LEGAL_LATEST)

    @property
    def iso_weekdays(self) -> frozenset[int]:
        return frozenset(WEEKDAY_NAMES.index(d) + 1 for d in self.weekdays)

    @property
    def country_calling_codes(self) -> list[str]:
        return sorted({f"+{phonenumbers.country_code_for_region(c)}" for c in self.countries})

    def prompt_for(self, lead_id: str) -> str | None:
        """The prompt version a lead gets: fixed, or a stable weighted A/B arm (hash of campaign + lead)."""
        if not self.prompt_weights:
            return self.prompt_version
        arms = sorted(self.prompt_weights.items())
        total = sum(w for _, w in arms)
        point = int(hashlib.sha256(f"{self.name}:{lead_id}".encode()).hexdigest()[:12], 16) / 16**12 * total
        for version, weight in arms:
            if point < weight:
                return version
            point -= weight
        return arms[-1][0]

    def from_number_for(self, lead_id: str) -> str:
        index = int(hashlib.sha256(lead_id.encode()).hexdigest()[:8], 16) % len(self.from_numbers)
        return self.from_numbers[index]


@dataclass(frozen=True)
class CampaignFileError:
    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(file)"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown field"
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


def load_campaign_file(path: Path) -> Campaign | CampaignFileError:
    """One campaign file, or the reason it loads nothing. The name defaults to the file stem and must match it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return CampaignFileError(path, f"unreadable: {exc}")
    except tomllib.TOMLDecodeError as exc:
        return CampaignFileError(path, f"not valid TOML: {exc}")
    data.setdefault("name", path.stem)
    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as exc:
        return CampaignFileError(path, _describe(exc))
    if campaign.name != path.stem:
        return CampaignFileError(path, f"name: {campaign.name!r} differs from the file name {path.stem!r}")
    return campaign


def load_campaigns(folder: Path) -> tuple[dict[str, Campaign], list[CampaignFileError]]:
    """Every valid campaign of `folder` by name, and one error per file that loads nothing."""
    campaigns: dict[str, Campaign] = {}
    errors: list[CampaignFileError] = []
    if not folder.is_dir():
        return campaigns, errors
    for path in sorted(folder.glob("*.toml")):
        if path.name.startswith("."):
            continue
        loaded = load_campaign_file(path)
        if isinstance(loaded, CampaignFileError):
            errors.append(loaded)
        else:
            campaigns[loaded.name] = loaded
    return campaigns, errors


def install_example(folder: Path) -> Path | None:
    """On first run (no campaigns folder yet) copy the shipped example campaign, disabled, into it;
    None when the folder already exists (an operator who deleted the example keeps it deleted)."""
    if folder.exists():
        return None
    folder.mkdir(parents=True)
    target = folder / EXAMPLE_FILE.name
    shutil.copyfile(EXAMPLE_FILE, target)
    return target


def zone_problem(zone: str | None) -> str | None:
    """Why a lead's zone cannot be used (None when it can)."""
    if zone is None or not str(zone).strip():
        return "timezone_unknown"
    return None if valid_zone(zone) else "timezone_invalid"
