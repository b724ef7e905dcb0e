"""Synthetic clinics and lead records: realistic raw shape, stable ids, fictional numbers."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from pipelines.synthetic import generate_clinics, lead_record, lead_record_rows
from pipelines.synthetic.clinics import VERTICALS
from vocabulary.emails import is_generic_email
from vocabulary.phones import is_fictional, normalize_phone

SIGNAL_FIELDS = {
    "ad_active",
    "google_ads_monthly",
    "meta_ads_monthly",
    "employee_count",
    "annual_revenue",
    "reviews_count",
    "rating",
    "locations_count",
    "pain_signals",
    "services",
}


def test_clinics_have_every_field_and_vertical(default_world):
    clinics, _ = default_world
    assert {c.vertical for c in clinics} == set(VERTICALS)
    for c in clinics:
        ZoneInfo(c.timezone)  # a real IANA zone
        assert len(c.state) == 2 and c.city and c.name and c.website.find(c.domain) >= 0
        assert c.generic_email.endswith("@" + c.domain) and c.direct_email.endswith("@" + c.domain)
        assert is_generic_email(c.generic_email) and not is_generic_email(c.direct_email)
    assert len({c.name for c in clinics}) == len(clinics)
    assert len({c.lead_id for c in clinics}) == len(clinics)


def test_lead_records_look_like_a_lead_file_row(default_world):
    clinics, _ = default_world
    records = [lead_record(42, c) for c in clinics]
    for clinic, record in zip(clinics, records, strict=True):
        assert all(isinstance(v, str) for v in record.values())  # values as a CSV gives them
        assert record["lead_id"] == clinic.lead_id and record["synthetic"] == "true"
        assert (record.get("business_name") or record.get("name")) == clinic.name
        assert record.keys() >= SIGNAL_FIELDS
        assert normalize_phone(record["phone"]) == clinic.phone and is_fictional(normalize_phone(record["phone"]))
        assert record["email"] in ("", clinic.generic_email, clinic.direct_email)
        float(record["rating"]), int(record["reviews_count"]), int(record["google_ads_monthly"])
    assert {r["email"] == "" for r in records} == {True, False}
    assert {r["ad_active"] == "true" for r in records} == {True, False}
    assert len({r["phone"][:2] for r in records}) > 1  # phones written in several formats


def test_lead_record_rows_follow_the_lead_records_contract(default_config, default_world):
    clinics, _ = default_world
    rows = lead_record_rows(default_config, clinics)
    assert [r[2] for r in rows] == list(range(1, len(clinics) + 1))
    for source, source_file, _, record, ingested_at in rows:
        assert source == "synthetic" and "seed=42" in source_file and "as_of=2026-01-15" in source_file
        assert json.loads(record)["synthetic"] == "true"
        assert ingested_at.isoformat() == "2026-01-15T00:00:00"  # from as_of, never the clock


def test_phone_capacity_is_never_exceeded_and_numbers_stay_unique():
    clinics = generate_clinics(3, 3000)
    phones = [c.phone for c in clinics]
    assert len(set(phones)) == 3000 and all(is_fictional(p) for p in phones)
