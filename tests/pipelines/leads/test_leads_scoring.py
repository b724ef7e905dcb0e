"""ICP score (seed-pipelines-notes §1) through the real assets, with hand-computed expectations
for every component, the clamp, the visible generic-email penalty and whole-word matching."""

from __future__ import annotations

import pytest

from pipelines.platform.warehouse import open_warehouse
from tests.support.leads import lead_row, write_jsonl

# lead_id → (record overrides, expected score, expected reasons)
CASES = {
    "base": ({}, 0, []),
    "ad_flag": ({"ad_active": "yes"}, 35, ["ad_active"]),
    "ad_flag_other_field": ({"facebook_ads_active": "Active"}, 35, ["ad_active"]),
    "ad_spend_only": ({"meta_ads_monthly": "150"}, 35, ["ad_active"]),
    "ad_flag_false": ({"ad_active": "no", "google_ads_monthly": "0"}, 0, []),
    "high_ticket": ({"category": "Dental clinic"}, 30, ["high_ticket_vertical"]),
    "word_form": ({"business_name": "Orthodontics of Plano"}, 30, ["high_ticket_vertical"]),
    "substring_only": (
        {
            "business_name": "Accidental Insurance Agency",
            "category": "Plastics manufacturing",
            "services": "fillery; surgeryware",
        },
        0,
        [],
    ),
    "can_pay_two": ({"employee_count": "5", "rating": "4.0"}, 20, ["can_pay_5k_10k"]),
    "can_pay_money": (
        {"annual_revenue": "$750,000", "google_ads_monthly": "2000"},
        55,
        ["ad_active", "can_pay_5k_10k"],
    ),
    "can_pay_one": ({"reviews_count": "50"}, 0, []),
    "can_pay_below": ({"employee_count": "4", "rating": "3.9", "locations_count": "1"}, 0, []),
    "pain": ({"notes": "We keep getting MISSED   calls at lunch"}, 10, ["pain_signal"]),
    "pain_not_whole_word": ({"notes": "no answering machine needed"}, 0, []),
    "phone": ({"phone": "(214) 302-0111"}, 3, ["has_phone"]),
    "phone_invalid": ({"phone": "12345"}, 0, []),
    "website": ({"website": "https://www.example-clinic.com/contact"}, 2, ["has_website"]),
    "email_direct": ({"email": "Dr.Jane@clinic.example.com"}, 3, ["has_email"]),
    "email_generic": ({"email": "info@clinic.example.com"}, 1, ["has_email", "generic_email"]),
    "clamp": (
        {
            "ad_active": "true",
            "category": "Med Spa",
            "employee_count": "9",
            "reviews_count": "120",
            "notes": "voicemail",
            "phone": "214-302-0112",
            "website": "glow.example.com",
            "email": "owner@glow.example.com",
        },
        100,
        ["ad_active", "high_ticket_vertical", "can_pay_5k_10k", "pain_signal", "has_phone", "has_website", "has_email"],
    ),
    "clamp_generic": (
        {
            "ad_active": "true",
            "category": "Med Spa",
            "employee_count": "9",
            "reviews_count": "120",
            "notes": "voicemail",
            "phone": "214-302-0113",
            "website": "glow2.example.com",
            "email": "frontdesk@glow2.example.com",
        },
        98,
        [
            "ad_active",
            "high_ticket_vertical",
            "can_pay_5k_10k",
            "pain_signal",
            "has_phone",
            "has_website",
            "has_email",
            "generic_email",
        ],
    ),
}


CHANNELS = ("phone", "website", "email")


def _with_channel(overrides: dict, lead_id: str) -> dict:
    """A lead needs a contact channel (else it is rejected, not scored): cases without one get a
    website, worth 2 points and the reason `has_website` on top of the hand-computed expectation."""
    if any(k in overrides for k in CHANNELS):
        return overrides
    return {**overrides, "website": f"https://{lead_id.replace('_', '-')}.example.com"}


def _expected(lead_id: str) -> tuple[float, list[str]]:
    overrides, score, reasons = CASES[lead_id]
    if any(k in overrides for k in CHANNELS):
        return score, reasons
    return score + 2, [*reasons, "has_website"]


@pytest.fixture(scope="module")
def scored(tmp_path_factory):

    from tests.support.leads import lead_environment, materialize_leads

    with lead_environment(tmp_path_factory.mktemp("scoring")) as lead_env:
        rows = [
            lead_row(
                lead_id=lead_id,
                business_name=overrides.get("business_name", f"Business {lead_id}"),
                **{k: v for k, v in _with_channel(overrides, lead_id).items() if k != "business_name"},
            )
            for lead_id, (overrides, _, _) in CASES.items()
        ]
        path = write_jsonl(lead_env.lead_inbox_dir / "cases.jsonl", rows)
        assert materialize_leads(lead_env, paths=[path]).success
        with open_warehouse(lead_env, read_only=True) as conn:
            got = conn.execute(
                "SELECT lead_id, score, reasons, vertical, high_ticket FROM marts.lead_scores"
            ).fetchall()
    return {r[0]: r[1:] for r in got}


@pytest.mark.parametrize("lead_id", list(CASES))
def test_each_component_scores_as_hand_computed(scored, lead_id):
    expected_score, expected_reasons = _expected(lead_id)
    score, reasons, _, _ = scored[lead_id]
    assert (score, list(reasons)) == (expected_score, expected_reasons)


def test_vertical_is_first_canonical_keyword_alphabetically(lead_env, run_leads, query):
    rows = [
        lead_row(lead_id="a", business_name="Dermatology & Botox Center"),
        lead_row(lead_id="b", business_name="Smile Orthodontists"),
        lead_row(lead_id="c", business_name="Hill Country Auto", category="Auto Repair"),
        lead_row(lead_id="d", business_name="Nameless"),
        lead_row(lead_id="e", business_name="Radiant Med Spas of Austin"),
    ]
    rows = [{**row, "website": f"{row['lead_id']}.example.com"} for row in rows]  # a lead needs a channel
    result = run_leads(paths=[write_jsonl(lead_env.lead_inbox_dir / "v.jsonl", rows)])
    assert result.success
    got = dict(query("SELECT lead_id, vertical FROM staging.leads"))
    assert got == {"a": "botox", "b": "orthodont", "c": "auto repair", "d": "unknown", "e": "med spa"}


def test_qualification_gate_and_min_score(lead_env, run_leads, query):
    strong = dict(ad_active="yes", category="Plastic Surgery", employee_count="10", rating="4.8")
    rows = [
        lead_row(lead_id="all_three", phone="214-302-0121", **strong),  # 35+30+20+3 = 88
        lead_row(
            lead_id="no_ads", phone="214-302-0122", category="Plastic Surgery", employee_count="10", rating="4.8"
        ),  # not ad-active
        lead_row(lead_id="cannot_pay", phone="214-302-0123", ad_active="yes", category="Plastic Surgery"),
        lead_row(
            lead_id="not_high_ticket",
            phone="214-302-0124",
            ad_active="yes",
            employee_count="10",
            rating="4.8",
            notes="missed call",
        ),
    ]
    path = write_jsonl(lead_env.lead_inbox_dir / "q.jsonl", rows)
    assert run_leads(paths=[path]).success
    assert query("SELECT lead_id, score FROM marts.qualified_leads") == [("all_three", 88.0)]
    assert run_leads(paths=[path], min_score=90).success
    assert query("SELECT count(*) FROM marts.qualified_leads") == [(0,)]
