"""Synthetic leads: one raw lead record per clinic, shaped like a row of a real lead file.

Values are strings exactly as a CSV export would carry them (``"true"``, ``"2500"``, ``"4.6"``),
phones in the assorted formats real files use, and the signals the ICP score reads (ad activity
and spend, staff, revenue, reviews, rating, locations, pain notes, services). Every record carries
a stable ``lead_id`` (the same one the synthetic calls put in their metadata) and
``synthetic: "true"`` so nothing downstream can mistake it for a real business.

`lead_record_rows` gives the rows of ``raw.synthetic_leads`` (the column contract of
``sql/raw/lead_records.sql``): source, source_file, record_no, record (JSON text), ingested_at.
"""

from __future__ import annotations

import datetime as dt
import json

from pipelines.synthetic.clinics import Clinic
from pipelines.synthetic.config import SyntheticConfig
from pipelines.synthetic.rng import entity_rng

LEAD_SOURCE = "synthetic"

_SERVICES = {
    "med_spa": ("botox", "filler", "laser hair removal", "hydrafacial", "coolsculpting", "microneedling"),
    "aesthetic": ("botox", "microneedling", "chemical peel", "filler", "skin tightening"),
    "dental": ("implants", "invisalign", "whitening", "veneers", "cleanings"),
    "plastic_surgery": ("rhinoplasty", "breast augmentation", "liposuction", "facelift", "tummy tuck"),
}
_PAINS = (
    "missed call after hours",
    "patients hit voicemail",
    "no answer on weekends",
    "busy line at lunch",
    "booking backlog",
    "front desk overloaded",
)
_PROFILES = ("strong", "medium", "weak")
_PROFILE_WEIGHTS = (55, 25, 20)


def _phone_as_written(rng, e164: str) -> str:
    area, exchange, line = e164[2:5], e164[5:8], e164[8:]
    return rng.choice(
        (
            f"({area}) {exchange}-{line}",
            f"{area}-{exchange}-{line}",
            f"+1 {area} {exchange} {line}",
            f"{area}.{exchange}.{line}",
            f"{area}{exchange}{line}",
            e164,
        )
    )


def lead_record(seed: int, clinic: Clinic) -> dict[str, str]:
    """The raw lead record of ``clinic`` (string values, a real lead file's field names)."""
    rng = entity_rng(seed, "lead", clinic.clinic_no)
    profile = rng.choices(_PROFILES, weights=_PROFILE_WEIGHTS)[0]
    strong, medium = profile == "strong", profile == "medium"
    ad_active = strong or (medium and rng.random() < 0.5)
    google = rng.randrange(1500, 9001, 50) if strong else (rng.randrange(0, 2501, 50) if medium and ad_active else 0)
    meta = rng.randrange(0, 3001, 100) if ad_active and rng.random() < 0.5 else 0
    employees = rng.randint(6, 40) if strong else (rng.randint(3, 10) if medium else rng.randint(1, 4))
    reviews = rng.randint(60, 900) if strong else (rng.randint(20, 150) if medium else rng.randint(0, 40))
    revenue = (
        rng.randrange(800_000, 6_000_001, 10_000)
        if strong
        else (rng.randrange(300_000, 1_000_001, 10_000) if medium else rng.randrange(100_000, 400_001, 10_000))
    )
    locations = rng.randint(1, 4) if strong else 1
    rating = rng.randint(36, 49) / 10
    pains = rng.sample(_PAINS, rng.randint(0, 2))
    services = rng.sample(_SERVICES[clinic.vertical], 3)
    email_kind = rng.choices(("generic", "direct", "none"), weights=(40, 35, 25))[0]
    email = {"generic": clinic.generic_email, "direct": clinic.direct_email, "none": ""}[email_kind]
    name_field = "business_name" if rng.random() < 0.85 else "name"
    return {
        "lead_id": clinic.lead_id,
        name_field: clinic.name,
        "phone": _phone_as_written(rng, clinic.phone),
        "website": clinic.website,
        "email": email,
        "category": clinic.category,
        "city": clinic.city,
        "state": clinic.state,
        "services": "; ".join(services),
        "pain_signals": "; ".join(pains),
        "ad_active": ("true" if ad_active else rng.choice(("false", "no", ""))),
        "google_ads_monthly": str(google),
        "meta_ads_monthly": str(meta),
        "employee_count": str(employees),
        "annual_revenue": str(revenue),
        "reviews_count": str(reviews),
        "rating": f"{rating:.1f}",
        "locations_count": str(locations),
        "synthetic": "true",
    }


def leads_source_file(config: SyntheticConfig) -> str:
    """The ``source_file`` value of every synthetic lead row (names the generation)."""
    return f"synthetic://seed={config.seed}/as_of={config.as_of_text}/leads"


def ingested_at(config: SyntheticConfig) -> dt.datetime:
    """Deterministic load time of the synthetic leads: midnight UTC of as_of (naive, UTC)."""
    return dt.datetime(config.as_of.year, config.as_of.month, config.as_of.day)


def lead_record_rows(config: SyntheticConfig, clinics: list[Clinic]) -> list[tuple[str, str, int, str, dt.datetime]]:
    """Rows for ``raw.synthetic_leads``: (source, source_file, record_no, record JSON, ingested_at)."""
    source_file = leads_source_file(config)
    loaded = ingested_at(config)
    return [
        (
            LEAD_SOURCE,
            source_file,
            clinic.clinic_no,
            json.dumps(lead_record(config.seed, clinic), sort_keys=True, separators=(",", ":")),
            loaded,
        )
        for clinic in clinics
    ]
