"""A bad optional cell costs a cell, not the lead; a lead needs a name and a contact channel; and
files saved the way Excel saves them (cp1252, Latin-1, UTF-16) load, saying which encoding was used.

Files are written as bytes exactly as Excel writes them (CRLF, the code page, a BOM for UTF-16) and
the real `leads` assets read them into a real warehouse.
"""

from __future__ import annotations

import io

import pytest

from pipelines.commands.leads import run
from tests.support.leads import check_results, write_csv

pytestmark = pytest.mark.embedded_only  # parsing files, not the warehouse

HIGH_VALUE = {
    "business_name": "Glow Med Spa",
    "phone": "2143020151",
    "website": "https://glowmedspa.com",
    "category": "med spa",
    "google_ads_active": "yes",
    "reviews_count": "120",
    "rating": "4.8",
    "city": "Dallas",
    "state": "TX",
}


def test_bad_optional_cell_is_a_warning_and_the_lead_is_kept(lead_env, run_leads, query):
    path = write_csv(
        lead_env.lead_inbox_dir / "leads.csv",
        [
            {**HIGH_VALUE, "employee_count": "lots", "annual_revenue": "$1,200,000"},
            {**HIGH_VALUE, "business_name": "Second Spa", "phone": "n/a", "website": "x.com", "employee_count": "8"},
        ],
    )
    result = run_leads(paths=[path])
    assert result.success and check_results(result)["rejects_explained"]
    leads = dict(query("SELECT business_name, employees FROM staging.leads"))
    assert leads == {"Glow Med Spa": None, "Second Spa": 8.0}
    assert query("SELECT count(*) FROM staging.lead_rejects") == [(0,)]
    warnings = query(
        "SELECT source_file, record_no, field, value, reason FROM staging.lead_warnings ORDER BY record_no"
    )
    assert warnings == [
        (str(path.resolve()), 1, "employee_count", "lots", "not a number: left empty"),
        (str(path.resolve()), 2, "phone", "n/a", "not a phone number: left empty"),
    ]
    assert query("SELECT warnings FROM marts.lead_summary") == [(2,)]
    assert query("SELECT business_name FROM marts.call_queue") == [("Glow Med Spa",)]


def test_a_lead_needs_a_name_and_a_contact_channel(lead_env, run_leads, query):
    no_channel = {k: v for k, v in HIGH_VALUE.items() if k not in ("phone", "website")}
    path = write_csv(
        lead_env.lead_inbox_dir / "leads.csv",
        [no_channel, {**no_channel, "business_name": "", "phone": "2143020152"}, {**no_channel, "email": "a@b.com"}],
    )
    assert run_leads(paths=[path]).success
    assert query("SELECT record_no, reason FROM staging.lead_rejects ORDER BY record_no") == [
        (1, "no contact channel: needs a phone, website or email"),
        (2, "no business name"),
    ]
    assert query("SELECT count(*) FROM marts.lead_scores") == [(1,)]  # the one with an email


def _excel_csv(rows: list[list[str]], encoding: str) -> bytes:
    return "".join(",".join(row) + "\r\n" for row in rows).encode(encoding)


EXCEL_ROWS = [
    ["business_name", "phone", "city", "state", "notes"],
    ["Clínica Estética Zoë", "2143020161", "San José", "CA", "“Best” café — 5★".replace("★", "*")],
    ["Müller Dental", "2143020162", "Dallas", "TX", "Ça va"],
]


def test_excel_cp1252_and_latin1_csv_load_and_say_which_encoding(lead_env, run_leads, query):
    cp1252 = lead_env.lead_inbox_dir / "excel.csv"
    cp1252.write_bytes(_excel_csv(EXCEL_ROWS, "cp1252"))
    latin1 = lead_env.lead_inbox_dir / "latin1.csv"
    latin1.write_bytes(_excel_csv([EXCEL_ROWS[0][:4], ["Æbleskiver Façade", "2143020163", "Solvang", "CA"]], "latin-1"))
    assert run_leads(paths=[cp1252, latin1]).success
    names = {r[0] for r in query("SELECT business_name FROM staging.leads")}
    assert names == {"Clínica Estética Zoë", "Müller Dental", "Æbleskiver Façade"}
    notes_text = query("SELECT pain_text FROM staging.leads WHERE business_name = 'Clínica Estética Zoë'")
    assert notes_text == [("“Best” café — 5*",)]
    assert query("SELECT count(*) FROM staging.lead_rejects") == [(0,)]
    notes = dict(query("SELECT source_file, value FROM staging.lead_warnings WHERE record_no IS NULL"))
    assert notes[str(cp1252.resolve())] == "cp1252"
    assert notes[str(latin1.resolve())] in ("cp1252", "latin-1")  # Latin-1 letters are cp1252 letters too
    out = io.StringIO()
    assert run([cp1252], min_score=None, top_k=None, push=False, out=out) == 0
    assert "read as Windows-1252 (cp1252" in out.getvalue()


def test_excel_unicode_text_utf16_tab_file_loads(lead_env, run_leads, query):
    path = lead_env.lead_inbox_dir / "unicode.tsv"
    path.write_bytes("".join("\t".join(r) + "\r\n" for r in EXCEL_ROWS).encode("utf-16"))
    assert run_leads(paths=[path]).success
    assert {"Clínica Estética Zoë", "Müller Dental"} == {r[0] for r in query("SELECT business_name FROM staging.leads")}
    assert query("SELECT value FROM staging.lead_warnings") == [("utf-16",)]


def test_utf8_file_with_one_broken_line_still_rejects_only_that_line(lead_env, run_leads, query):
    path = lead_env.lead_inbox_dir / "mixed.csv"
    path.write_bytes(
        "business_name,phone\nCafé Uno,2143020171\n".encode() + b"Bad \xff Bytes,2143020172\nDos,2143020173\n"
    )
    assert run_leads(paths=[path]).success
    assert {r[0] for r in query("SELECT business_name FROM staging.leads")} == {"Café Uno", "Dos"}
    assert "invalid" in query("SELECT reason FROM staging.lead_rejects")[0][0].lower()
