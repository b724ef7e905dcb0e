"""Phone numbers: E.164 normalisation and fictional (synthetic) numbers.

One rule for the whole product, built on the `phonenumbers` library (default region US):

* ``normalize_phone(raw)`` → ``"+12145550101"`` or ``None``. A bare 10-digit US number stays a US
  number (the original turned it into a foreign one), extensions are dropped, ``00``-prefixed
  international numbers are understood, and anything `phonenumbers` does not consider a valid
  number is ``None`` — except the fictional NANP range below, which is always accepted so
  synthetic data normalises like real data.
* ``is_fictional(e164)`` → True for NANP ``+1 NPA 555-01xx`` numbers (reserved for fiction). The
  synthetic world only uses those, and a dialer must refuse them.
* ``nanp_national_pattern()`` is the same acceptance rule for 10-digit NANP national numbers as a
  regular expression, so the pipelines can normalise millions of clean US numbers set-based in
  DuckDB and call ``normalize_phone`` only for the rest (the tests prove both agree).
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberFormat

DEFAULT_REGION = "US"

# NANP numbers NPA-555-0100 … NPA-555-0199 are reserved for fictional use.
FICTIONAL_NATIONAL_PATTERN = r"[2-9]\d{2}55501\d{2}"
_FICTIONAL_E164_RE = re.compile(r"\+1" + FICTIONAL_NATIONAL_PATTERN)
_MAX_RAW_LENGTH = 64


def is_fictional(e164: str | None) -> bool:
    """True for fictional NANP numbers (``+1 NPA 555-0100..0199``), the only ones synthetic data uses."""
    return e164 is not None and bool(e164) and _FICTIONAL_E164_RE.fullmatch(e164.strip()) is not None


def normalize_phone(raw: object, region: str = DEFAULT_REGION) -> str | None:
    """The E.164 form of ``raw`` (``"+12145550101"``), or None when it is not a usable number."""
    if raw is None:
        return None
    text = str(raw).strip()
    if not text or len(text) > _MAX_RAW_LENGTH:
        return None
    candidates = [text]
    if text.startswith("00"):
        candidates.append("+" + text[2:])  # international "00" prefix, common outside NANP
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
        if phonenumbers.is_valid_number(number) or is_fictional(e164):
            return e164
    return None


def phone_digits(e164: str | None) -> str:
    """The digits of a normalised number (``"+12145550101"`` → ``"12145550101"``)."""
    return "".join(ch for ch in (e164 or "") if ch.isdigit())


_NUMBER_TYPES = (
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "personal_number",
    "voip",
    "pager",
    "uan",
    "voicemail",
)


@lru_cache(maxsize=1)
def nanp_national_pattern() -> str:
    """A regex (RE2 and Python compatible) matching exactly the 10-digit NANP national numbers
    ``normalize_phone`` accepts under country code +1 (valid in any NANP region, or fictional)."""
    alternatives: list[str] = []
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1]:
        metadata = PhoneMetadata.metadata_for_region(region)
        if metadata is None:
            continue
        for attr in _NUMBER_TYPES:
            desc = getattr(metadata, attr, None)
            if desc is None:
                continue
            pattern = desc.national_number_pattern
            if pattern and (desc.possible_length is None or 10 in desc.possible_length or not desc.possible_length):
                alternatives.append(pattern)
    alternatives.append(FICTIONAL_NATIONAL_PATTERN)
    unique = list(dict.fromkeys(alternatives))
    body = "|".join(f"(?:{p})" for p in unique)
    # The general NANP shape is ten digits, first 2-9; type patterns are intersected with it.
    return f"(?:{body})"
