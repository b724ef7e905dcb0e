"""Lead inputs: every format, Apify's field names, HTTP sources, and malformed files → rejects
with a reason while the good rows still load."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pipelines.platform.warehouse import open_warehouse
from tests.support.leads import FIXTURES, check_results, lead_row, write_csv, write_jsonl


def test_seed_fixture_end_to_end(lead_env, run_leads, query):
    result = run_leads(paths=[FIXTURES / "leads_seed.csv"])
    assert result.success
    assert all(check_results(result).values())
    leads = {
        r[0]: r[1:]
        for r in query(
            "SELECT business_name, phone_e164, website_domain, email, email_is_generic, state, timezone, is_synthetic "
            "FROM staging.leads"
        )
    }
    assert leads["Prime Smile Dental"] == (
        "+12143020101",
        "primesmile.example.com",
        "dr.lee@primesmile.example.com",
        False,
        "TX",
        "America/Chicago",
        False,
    )
    assert leads["North Star Plastic Surgery"][3:6] == (True, "TX", "America/Chicago")  # "Texas" → TX
    assert leads["Glow Beauty Studio"][0] == "+12145550104" and leads["Glow Beauty Studio"][5:] == (
        "America/Denver",
        True,
    )
    scores = dict(query("SELECT business_name, score FROM marts.lead_scores"))
    assert scores == {
        "Prime Smile Dental": 100.0,
        "North Star Plastic Surgery": 98.0,
        "Lakeview Auto Repair": 73.0,
        "Glow Beauty Studio": 3.0,
    }
    assert query("SELECT business_name FROM marts.call_queue ORDER BY queue_position") == [
        ("Prime Smile Dental",),
        ("North Star Plastic Surgery",),
    ]


@pytest.mark.embedded_only
def test_timezone_from_city_state_or_area_code(lead_env, run_leads, query):
    rows = [
        {"name": "El Paso Co", "city": "El Paso", "state": "tx", "phone": "9153020501"},
        {"name": "No State Co", "phone": "(915) 302-0502"},
        {"name": "Unknown Co", "state": "Ontario?", "phone": "+44 20 7946 0958"},
    ]
    assert run_leads(paths=[write_jsonl(lead_env.lead_inbox_dir / "tz.jsonl", rows)]).success
    assert dict(query("SELECT business_name, timezone FROM staging.leads")) == {
        "El Paso Co": "America/Denver",
        "No State Co": "America/Denver",
        "Unknown Co": None,
    }


@pytest.mark.embedded_only
def test_json_shapes_jsonl_and_tsv(lead_env, run_leads, query):
    inbox = lead_env.lead_inbox_dir
    (inbox / "list.json").write_text(json.dumps([{"name": "List Co", "phone": "2143020141"}]))
    for key in ("data", "items", "leads", "records"):
        (inbox / f"{key}.json").write_text(
            json.dumps({key: [{"name": f"{key} co", "phone": None, "email": f"{key}@co.example.com"}], "meta": 1})
        )
    (inbox / "single.json").write_text(json.dumps({"name": "Single Object Co", "website": "single.example.com"}))
    write_jsonl(
        inbox / "lines.jsonl",
        [{"name": "Line One", "website": "one.example.com"}, {"name": "Line Two", "website": "two.example.com"}],
    )
    (inbox / "tabs.tsv").write_text("business_name\tphone\tcity\nTab Co\t214-302-0142\tDallas\n")
    assert run_leads().success  # no paths: every file in the inbox
    names = {r[0] for r in query("SELECT business_name FROM staging.leads")}
    assert names == {
        "List Co",
        "data co",
        "items co",
        "leads co",
        "records co",
        "Single Object Co",
        "Line One",
        "Line Two",
        "Tab Co",
    }
    assert query("SELECT phone_e164, city FROM staging.leads WHERE business_name = 'Tab Co'") == [
        ("+12143020142", "Dallas")
    ]


@pytest.mark.embedded_only
def test_jsonl_crlf_and_nan_values(lead_env, run_leads, query):
    path = lead_env.lead_inbox_dir / "crlf.jsonl"
    path.write_bytes(
        b'{"name": "Crlf One", "rating": 4.5, "phone": "2143020143"}\r\n{"name": "Not A Number", "rating": NaN}\r\n'
        b'\r\n{"name": "Crlf Two", "phone": "2143020144"}\r\n'
    )
    assert run_leads(paths=[path]).success
    assert {r[0] for r in query("SELECT business_name FROM staging.leads")} == {"Crlf One", "Crlf Two"}
    assert query("SELECT record_no, reason FROM staging.lead_rejects") == [
        (2, "wrong type: NaN or Infinity is not a JSON number")
    ]


@pytest.mark.embedded_only
def test_apify_google_places_fields(lead_env, run_leads, query):
    assert run_leads(paths=[FIXTURES / "apify_places.json"]).success
    rows = {
        r[0]: r[1:]
        for r in query(
            "SELECT business_name, source, phone_e164, website_domain, rating, reviews_count, category, state, timezone, "
            "place_id FROM staging.leads"
        )
    }
    assert rows["Radiance Med Spa"] == (
        "apify",
        "+15123020131",
        "radiancemedspa.example.com",
        4.9,
        312.0,
        "Medical spa",
        "TX",
        "America/Chicago",
        "ChIJ-radiance",
    )
    # the Google-Maps `url` is not a website; Pensacola is on Central time; full state name → code
    assert rows["Bayfront Dermatology"][2:3] == (None,)
    assert rows["Bayfront Dermatology"][6:8] == ("FL", "America/Chicago")
    scores = dict(query("SELECT business_name, score FROM marts.lead_scores"))
    # med spa (30) + reviews>=50 & rating>=4 → can pay (20) + phone (3) + website (2)
    assert scores["Radiance Med Spa"] == 55.0


def test_malformed_csv_keeps_good_rows_and_explains_bad_ones(lead_env, run_leads, query):
    bad = lead_env.lead_inbox_dir / "bad.csv"
    bad.write_bytes(
        b"business_name,phone,reviews_count\n"
        b"Good One \xc3\xa9,2143020151,10\n"
        b"Bad \xff\xfe Bytes,2143020152,10\n"
        b"Too,Many,Columns,Here\n"
        b"Wrong Type,2143020153,lots\n"
        b",,\n"
        b"Good Two,2143020154,\n"
    )
    result = run_leads(paths=[bad])
    assert result.success
    assert check_results(result)["rejects_explained"]
    # a UTF-8 file (the é) with one broken line; a bad number costs the cell, not the lead
    names = {r[0] for r in query("SELECT business_name FROM staging.leads")}
    assert names == {"Good One \u00e9", "Wrong Type", "Good Two"}
    rejects = query("SELECT stage, record_no, reason FROM staging.lead_rejects ORDER BY stage, reason")
    reasons = " | ".join(r[2] for r in rejects)
    assert "invalid encoding" in reasons and "too many columns" in reasons
    assert "no identity" in reasons
    assert len(rejects) == 3
    assert query("SELECT record_no, field, value FROM staging.lead_warnings") == [(2, "reviews_count", "lots")]


@pytest.mark.embedded_only
@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.csv", b"", "empty file"),
        ("header_only.csv", b"business_name,phone\n", "empty file"),
        ("no_identity.csv", b"colour,size\nred,9\n", "missing columns"),
        ("broken.json", b'{"leads": [ {"name": "x"} ', "invalid JSON"),
        ("latin1.json", '[{"name": "Caf\u00e9"}]'.encode("latin-1"), "invalid encoding"),
        ("notes.txt", b"hello", "unsupported file type"),
        ("binary.csv", b"\x00\x01\x02\xff\xfe\x00binary\x00\x00\n\x00\x00", "missing columns"),
    ],
)
def test_whole_file_rejects(lead_env, run_leads, query, name, content, reason):
    path = lead_env.lead_inbox_dir / name
    path.write_bytes(content)
    good = write_csv(lead_env.lead_inbox_dir / "good.csv", [{"business_name": "Still Here", "phone": "2143020161"}])
    assert run_leads(paths=[path, good]).success
    assert query("SELECT business_name FROM staging.leads") == [("Still Here",)]
    rejects = query("SELECT source_file, record_no, reason FROM staging.lead_rejects")
    assert len(rejects) == 1 and rejects[0][0].endswith(name) and rejects[0][1] is None
    assert rejects[0][2].startswith(reason)


@pytest.mark.embedded_only
def test_huge_file_is_rejected_over_the_limit(lead_env, run_leads, query, monkeypatch):

    big = write_csv(
        lead_env.lead_inbox_dir / "big.csv",
        [{"business_name": f"Biz {i}", "phone": f"214302{i:04d}"} for i in range(2000)],
    )
    monkeypatch.setenv("LEAD_MAX_FILE_BYTES", str(big.stat().st_size - 1))
    assert run_leads(paths=[big]).success
    assert query("SELECT count(*) FROM staging.leads") == [(0,)]
    assert "file too large" in query("SELECT reason FROM staging.lead_rejects")[0][0]
    monkeypatch.setenv("LEAD_MAX_FILE_BYTES", str(big.stat().st_size))
    assert run_leads(paths=[big]).success
    assert query("SELECT count(*) FROM staging.leads") == [(2000,)]
    assert query("SELECT count(*) FROM staging.lead_rejects") == [(0,)]


def test_reingesting_a_changed_file_replaces_its_slice(lead_env, run_leads, query):
    path = write_csv(lead_env.lead_inbox_dir / "a.csv", [{"business_name": "One", "phone": "2143020171"}])
    assert run_leads(paths=[path]).success
    assert run_leads(paths=[path]).success
    assert query("SELECT count(*) FROM raw.lead_records") == [(1,)]
    write_csv(path, [{"business_name": "One", "phone": "2143020171"}, {"business_name": "Two", "phone": "2143020172"}])
    assert run_leads(paths=[path]).success
    assert query("SELECT count(*) FROM raw.lead_records") == [(2,)]


def test_dedupe_one_row_per_business_and_synthetic_union(lead_env, run_leads, query):

    from pipelines.leads.files import ensure_raw_tables

    path = write_csv(
        lead_env.lead_inbox_dir / "dupes.csv",
        [
            {"business_name": "Same Phone A", "phone": "(214) 302-0181", "website": ""},
            {"business_name": "Same Phone B", "phone": "+1 214 302 0181", "website": "b.example.com"},
            {"business_name": "Web Only", "phone": "", "website": "https://www.web.example.com"},
            {"business_name": "Web Only Again", "phone": "", "website": "web.example.com/about"},
        ],
    )
    with open_warehouse(lead_env) as conn:
        ensure_raw_tables(conn)
        conn.execute(
            "INSERT INTO raw.synthetic_leads VALUES ('synthetic', 'synthetic://seed-7', 1, "
            '\'{"lead_id": "SYN-1", "clinic_name": "Fiction Spa", "clinic_phone": "(305) 555-0142"}\', '
            "now()::TIMESTAMP)"
        )
    assert run_leads(paths=[path]).success
    rows = {
        r[0]: r[1:] for r in query("SELECT business_name, merged_records, is_synthetic, lead_id FROM staging.leads")
    }
    assert rows["Same Phone B"][0] == 2 and "Same Phone A" not in rows  # the more complete record wins
    assert len([n for n in rows if n.startswith("Web Only")]) == 1
    assert rows["Fiction Spa"] == (1, True, "SYN-1")


class _LeadSource(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path.startswith("/leads"):
            body, status = json.dumps({"records": [{"name": "Http Co", "phone": "2143020191"}]}).encode(), 200
        elif self.path.startswith("/html"):
            body, status = b"<html>not json</html>", 200
        else:
            body, status = b"{}", 503
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_http_sources_load_and_failures_are_rejects(lead_env, run_leads, query, monkeypatch):

    server = ThreadingHTTPServer(("127.0.0.1", 0), _LeadSource)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        monkeypatch.setenv("LEAD_SOURCE_URLS", f"{base}/leads?token=secret,{base}/html,{base}/down")
        assert run_leads().success
    finally:
        server.shutdown()
    assert query("SELECT business_name, source, source_file FROM staging.leads") == [
        ("Http Co", "http", f"{base}/leads")
    ]
    reasons = dict(query("SELECT source_file, reason FROM staging.lead_rejects"))
    assert reasons == {f"{base}/html": "response is not JSON", f"{base}/down": "HTTP status 503"}
    assert not query("SELECT count(*) FROM raw.lead_records WHERE source_file LIKE '%secret%'")[0][0]


def test_http_outage_keeps_the_last_good_records_and_a_broken_file_does_not():
    import duckdb

    from pipelines.leads.files import load_records, reject_source

    conn = duckdb.connect()
    load_records(conn, [{"name": "Kept Co"}], source="http", source_file="http://src/leads")
    load_records(conn, [{"name": "File Co"}], source="file", source_file="/inbox/a.json")
    reject_source(conn, source="http", source_file="http://src/leads", reason="HTTP status 503", keep_records=True)
    reject_source(conn, source="file", source_file="/inbox/a.json", reason="unreadable CSV: x")
    assert conn.execute("SELECT source_file FROM raw.lead_records").fetchall() == [("http://src/leads",)]
    assert dict(conn.execute("SELECT source_file, reason FROM raw.lead_ingest_rejects").fetchall()) == {
        "http://src/leads": "HTTP status 503",
        "/inbox/a.json": "unreadable CSV: x",
    }


def test_staged_rows_carry_their_own_raw_record_after_rereads(lead_env, run_leads, query):
    """staging.leads and staging.lead_rejects fetch the raw record by row_id (not carried through
    staging): after files are re-read (their old slices deleted, new rows appended) every staged
    row and every staging reject still holds exactly the raw record of its own file and position."""
    first = write_jsonl(
        lead_env.lead_inbox_dir / "first.jsonl",
        [lead_row(business_name=f"First {i}", phone=f"214-302-{3000 + i:04d}") for i in range(5)],
    )
    second = write_csv(
        lead_env.lead_inbox_dir / "second.csv",
        [lead_row(business_name=f"Second {i}", phone=f"214-302-{4000 + i:04d}") for i in range(4)]
        + [{"business_name": "", "phone": "", "city": "Nowhere"}],  # rejected in staging: no identity
    )
    assert run_leads(paths=[first, second]).success
    write_jsonl(first, [lead_row(business_name=f"First again {i}", phone=f"214-302-{5000 + i:04d}") for i in range(3)])
    assert run_leads(paths=[first, second]).success
    mismatched = query(
        "SELECT l.source_file, l.record_no FROM staging.leads AS l "
        "LEFT JOIN raw.lead_records AS r USING (source_file, record_no) "
        "WHERE r.record IS NULL OR r.record::VARCHAR <> l.record::VARCHAR"
    )
    assert mismatched == []
    names = {r[0] for r in query("SELECT record->>'business_name' FROM staging.leads")}
    assert names == {f"First again {i}" for i in range(3)} | {f"Second {i}" for i in range(4)}
    rejects = query(
        "SELECT j.record->>'city', r.record::VARCHAR = j.record::VARCHAR FROM staging.lead_rejects AS j "
        "JOIN raw.lead_records AS r USING (source_file, record_no) WHERE j.stage = 'staging'"
    )
    assert rejects == [("Nowhere", True)]


def test_staging_fails_when_a_staged_row_lost_its_raw_record(lead_env, run_leads):
    """The row_id fetch is verified: a winner without its staging.leads row (the raw tables changed
    while staging read them) fails the step with a clear reason instead of dropping the lead."""
    from pipelines.leads import checks

    path = write_jsonl(
        lead_env.lead_inbox_dir / "two.jsonl",
        [lead_row(business_name="A", phone="214-302-6001"), lead_row(business_name="B", phone="214-302-6002")],
    )
    assert run_leads(paths=[path]).success
    with open_warehouse(lead_env) as conn:
        conn.execute("CREATE TEMP TABLE lead_winners AS SELECT 1 AS row_id UNION ALL SELECT 2")
        conn.execute("CREATE TEMP TABLE lead_fields AS SELECT NULL::VARCHAR AS reject_reason")
        conn.execute("DELETE FROM staging.leads WHERE business_name <> 'A'")  # B lost its raw record
        with pytest.raises(checks.RawChangedDuringStaging, match="1 leads and 0 rejects lost their raw record"):
            checks.raise_if_raw_records_missing(conn)
        conn.execute("DELETE FROM lead_winners WHERE row_id = 2")
        checks.raise_if_raw_records_missing(conn)  # consistent again: no error
