"""The ICP (ideal customer profile) rules of the lead score, as bound parameters for the SQL.

Weights and signals are the original lead factory's (`seed-pipelines-notes.md` §1), with two bugs
fixed:

* keywords match WHOLE words (``\\bsurgery\\b``), never substrings ("accidental" is not dental);
  the original's stems ("orthodont", "coolsculpt") are spelled out as the words they stood for;
* the generic-email penalty is applied after capping the positive points at 100, so a perfect lead
  with ``info@`` scores 98, not a clamped 100 that hides the penalty. The final score is still
  clamped to 0..100 and rounded to 2 decimals.

`scoring_parameters()` returns everything `sql/marts/lead_scores.sql` binds.
"""

from __future__ import annotations

import re

from vocabulary.emails import GENERIC_LOCAL_PARTS

# canonical keyword (the original's list; vertical = first canonical alphabetically) → word forms
HIGH_TICKET_KEYWORDS: dict[str, tuple[str, ...]] = {
    "dental": ("dental",),
    "dentist": ("dentist", "dentists", "dentistry"),
    "implants": ("implant", "implants"),
    "orthodont": ("orthodontist", "orthodontists", "orthodontic", "orthodontics", "orthodontia"),
    "invisalign": ("invisalign",),
    "plastic": ("plastic",),
    "cosmetic": ("cosmetic",),
    "surgery": ("surgery", "surgeon", "surgeons"),
    "medspa": ("medspa", "medspas"),
    "med spa": ("med spa", "med spas"),
    "injector": ("injector", "injectors"),
    "botox": ("botox",),
    "filler": ("filler", "fillers"),
    "morpheus": ("morpheus", "morpheus8"),
    "coolsculpt": ("coolsculpt", "coolsculpting"),
    "ivf": ("ivf",),
    "hair transplant": ("hair transplant", "hair transplants"),
    "pain clinic": ("pain clinic", "pain clinics"),
    "chiropractic": ("chiropractic",),
    "dermatology": ("dermatology",),
    "vision correction": ("vision correction",),
}

PAIN_KEYWORDS: tuple[str, ...] = (
    "missed call",
    "missed calls",
    "voicemail",
    "voicemails",
    "no answer",
    "busy line",
    "inbound overflow",
    "booking backlog",
    "low show-up",
    "front desk overloaded",
)

TRUTHY_VALUES: tuple[str, ...] = ("1", "true", "yes", "y", "on", "active")

POINTS = {
    "ad_active": 35,
    "high_ticket_vertical": 30,
    "can_pay_5k_10k": 20,
    "pain_signal": 10,
    "has_phone": 3,
    "has_website": 2,
    "has_email": 3,
    "generic_email": -2,
}

_WORD_RE = re.compile(r"[a-z0-9][a-z0-9 \-]*")


def _word_alternation(words: list[str]) -> str:
    for word in words:
        if not _WORD_RE.fullmatch(word):
            raise ValueError(f"keyword {word!r} must be lower-case letters, digits, spaces or hyphens")
    # longest first so "med spas" wins over "med spa"; \b on both sides = whole words only
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return r"\b(?:" + "|".join(w.replace(" ", r"\s+") for w in ordered) + r")\b"


def high_ticket_regex() -> str:
    return _word_alternation([form for forms in HIGH_TICKET_KEYWORDS.values() for form in forms])


def pain_regex() -> str:
    return _word_alternation(list(PAIN_KEYWORDS))


def keyword_forms() -> tuple[list[str], list[str]]:
    """Parallel lists (form, canonical keyword) for mapping a matched word back to its vertical."""
    forms: list[str] = []
    canonicals: list[str] = []
    for canonical, variants in HIGH_TICKET_KEYWORDS.items():
        for form in variants:
            forms.append(form)
            canonicals.append(canonical)
    return forms, canonicals


def scoring_parameters() -> dict[str, object]:
    forms, canonicals = keyword_forms()
    return {
        "high_ticket_re": high_ticket_regex(),
        "pain_re": pain_regex(),
        "keyword_forms": forms,
        "keyword_canonicals": canonicals,
        "generic_local_parts": sorted(GENERIC_LOCAL_PARTS),
        "truthy": list(TRUTHY_VALUES),
    }
