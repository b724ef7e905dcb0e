"""Suppression list and call queue: DNC files in any format, suppressed numbers never queued,
one row per phone, top_k, synthetic numbers flagged, and the asset checks."""

from __future__ import annotations

from pipelines.platform.warehouse import open_warehouse
from tests.support.leads import check_results, lead_row, write_jsonl

QUALIFYING = dict(ad_active="yes", category="Dental", employee_count="10", rating="4.7")


def _queue_file(lead_env, phones):
    rows = [
        lead_row(lead_id=f"q{i}", business_name=f"Dental {i}", phone=p, reviews_count=str(100 + i), **QUALIFYING)
        for i, p in enumerate(phones)
    ]
    return write_jsonl(lead_env.lead_inbox_dir / "queue.jsonl", rows)


def test_dnc_files_suppress_numbers_in_any_format(lead_env, run_leads, query):
    dnc = lead_env.dnc_inbox_dir
    (dnc / "opt_outs.csv").write_text("name,Phone Number,notes\nA,(214) 302-0201,asked\nB,+1 214.302.0202,\n")
    (dnc / "list.txt").write_bytes(b"# one per line\n2143020203\n\nnot a phone\n1-214-302-0204\n\xff\xfe\n")
    path = _queue_file(lead_env, ["214-302-0201", "214-302-0202", "214-302-0203", "214-302-0204", "214-302-0205"])
    result = run_leads(paths=[path])
    assert result.success and all(check_results(result).values())
    assert {r[0] for r in query("SELECT phone_e164 FROM marts.suppression_list")} == {
        "+12143020201",
        "+12143020202",
        "+12143020203",
        "+12143020204",
    }
    assert query("SELECT phone_e164 FROM marts.call_queue") == [("+12143020205",)]
    dnc_rejects = query("SELECT record_no, reason FROM raw.lead_ingest_rejects WHERE source = 'dnc' ORDER BY record_no")
    # no UTF-8 in list.txt at all, so it is read as cp1252 (Excel): "\xff\xfe" is "ÿþ", not a number
    assert dnc_rejects == [(4, "not a phone number"), (6, "not a phone number")]
    summary = query("SELECT qualified, queued, suppressed_excluded FROM marts.lead_summary")
    assert summary == [(5, 1, 4)]


def test_suppressed_number_stays_suppressed_when_its_file_disappears(lead_env, run_leads, query):
    dnc_file = lead_env.dnc_inbox_dir / "dnc.txt"
    dnc_file.write_text("214-302-0211\n")
    path = _queue_file(lead_env, ["214-302-0211", "214-302-0212"])
    assert run_leads(paths=[path]).success
    dnc_file.unlink()
    assert run_leads(paths=[path]).success
    assert query("SELECT phone_e164 FROM marts.call_queue") == [("+12143020212",)]


def test_one_row_per_phone_best_first_and_top_k(lead_env, run_leads, query):
    rows = [
        lead_row(
            lead_id=f"t{i}",
            business_name=f"Dental {i}",
            phone=f"214-302-{300 + i:04d}",
            notes="missed call" if i % 2 else "",
            **QUALIFYING,
        )
        for i in range(6)
    ]
    # same business under two formats of one phone (deduped in staging) plus a phone-less qualifier
    rows.append(lead_row(lead_id="dup", business_name="Dental 0 again", phone="(214) 302-0300", **QUALIFYING))
    rows.append(lead_row(lead_id="nophone", business_name="Dental Web", website="web.example.com", **QUALIFYING))
    path = write_jsonl(lead_env.lead_inbox_dir / "topk.jsonl", rows)
    result = run_leads(paths=[path], top_k=4)
    assert result.success and all(check_results(result).values())
    queue = query("SELECT queue_position, lead_id, score FROM marts.call_queue ORDER BY queue_position")
    assert [r[0] for r in queue] == [1, 2, 3, 4]
    assert [r[2] for r in queue] == [98.0, 98.0, 98.0, 88.0]  # pain signals first (+10)
    assert query("SELECT count(DISTINCT phone_e164), count(*) FROM marts.call_queue") == [(4, 4)]
    assert "nophone" in {r[0] for r in query("SELECT lead_id FROM marts.qualified_leads")}
    assert "nophone" not in {r[1] for r in queue}


def test_synthetic_numbers_are_flagged_in_the_queue(lead_env, run_leads, query):
    path = _queue_file(lead_env, ["(214) 555-0142", "214-302-0221"])
    assert run_leads(paths=[path]).success
    assert dict(query("SELECT phone_e164, is_synthetic FROM marts.call_queue")) == {
        "+12145550142": True,
        "+12143020221": False,
    }
    assert query("SELECT queued_synthetic FROM marts.lead_summary") == [(1,)]


def test_checks_detect_broken_tables(lead_env, run_leads, query):
    """The invariants behind the asset checks really look at the tables: sabotage them."""

    from pipelines.leads import checks

    path = _queue_file(lead_env, ["214-302-0231", "214-302-0232"])
    result = run_leads(paths=[path])
    assert result.success and all(check_results(result).values())
    with open_warehouse(lead_env) as conn:
        assert checks.queue_problems(conn) == (0, 0)
        conn.execute("INSERT INTO marts.call_queue SELECT * FROM marts.call_queue LIMIT 1")
        conn.execute(
            "INSERT INTO marts.suppression_list VALUES ('+12143020232', 'dnc_list', 'manual', now()::TIMESTAMP)"
        )
        conn.execute("UPDATE marts.lead_scores SET score = 101 WHERE lead_id = 'q0'")
        conn.execute(
            "INSERT INTO staging.lead_rejects (source, source_file, stage, reason) VALUES ('file', 'x', 'staging', ' ')"
        )
        assert checks.queue_problems(conn) == (1, 1)
        assert checks.scores_outside_range(conn) == 1
        assert checks.qualified_not_in_scores(conn) == 1
        assert not checks.rejects_explained(checks.reject_accounting(conn))
