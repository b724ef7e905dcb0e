"""The export library against real PostgreSQL: schema idempotent, first load, rerun writes only
changed rows, duplicates and bad rows in a batch, vocabulary checks from vocabulary/outcomes.py."""

from __future__ import annotations

import dataclasses

import psycopg
import pytest

from pipelines.exports.connection import ExportConfig, connect
from pipelines.exports.schema import apply_schema, vocabulary_constraint_name
from pipelines.exports.tables import EXPORT_TABLES, ONT_CALL_OUTCOMES, ONT_LEADS, OUTCOMES
from pipelines.exports.upsert import export_all, export_table
from pipelines.exports.verify import compare
from tests.support.exports import execute, write_marts
from tests.support.warehouse import connect as warehouse_connection
from vocabulary.outcomes import Outcome


def _export(warehouse_path, pg_url, batch_size=4, tables=EXPORT_TABLES):
    with warehouse_connection(warehouse_path) as duck, connect(ExportConfig(pg_url, batch_size=batch_size)) as pg:
        apply_schema(pg)
        return {c.table: c for c in export_all(duck, pg, tables, batch_size=batch_size)}


def _rows(pg_url, sql, params=None):
    with psycopg.connect(pg_url) as pg:
        return pg.execute(sql, params).fetchall()


def test_schema_is_idempotent_with_keys_indexes_and_vocabulary(pg_url):
    with connect(ExportConfig(pg_url)) as pg:
        apply_schema(pg)
        apply_schema(pg)
    pks = _rows(
        pg_url,
        "SELECT conrelid::regclass::text FROM pg_constraint WHERE contype = 'p' AND conrelid::regclass::text LIKE 'ont_%' "
        "ORDER BY 1",
    )
    assert pks == [("ont_call_outcomes",), ("ont_calls",), ("ont_leads",)]
    indexes = {r[0] for r in _rows(pg_url, "SELECT indexname FROM pg_indexes WHERE tablename LIKE 'ont_%'")}
    assert {"ont_leads_phone_e164_idx", "ont_calls_lead_id_idx", "ont_call_outcomes_lead_id_idx"} <= indexes
    vocab = [r[0] for r in _rows(pg_url, "SELECT conname FROM pg_constraint WHERE conname LIKE '%vocab%'")]
    assert sorted(vocab) == sorted(
        [
            vocabulary_constraint_name("ont_call_outcomes", "outcome", OUTCOMES),
            *(vocabulary_constraint_name("ont_leads", column, values) for column, values in ONT_LEADS.vocabularies),
        ]
    )
    assert set(OUTCOMES) == {o.value for o in Outcome}
    with psycopg.connect(pg_url) as pg, pytest.raises(psycopg.errors.CheckViolation):
        pg.execute(
            "INSERT INTO ont_call_outcomes (call_id, outcome, follow_up_allowed) VALUES ('x', 'maybe_later', true)"
        )


def test_vocabulary_change_replaces_the_check(pg_url):
    with connect(ExportConfig(pg_url)) as pg:
        apply_schema(pg)
    grown = (*OUTCOMES, "wrong_number")  # the vocabulary grows one outcome
    table = dataclasses.replace(ONT_CALL_OUTCOMES, vocabularies=(("outcome", grown),))
    with connect(ExportConfig(pg_url)) as pg:
        apply_schema(pg, (table,))
        pg.execute(
            "INSERT INTO ont_call_outcomes (call_id, outcome, follow_up_allowed) VALUES ('x', 'wrong_number', true)"
        )
    names = [
        r[0]
        for r in _rows(
            pg_url, "SELECT conname FROM pg_constraint WHERE conname LIKE 'ont_call_outcomes_outcome_vocab%'"
        )
    ]
    assert names == [vocabulary_constraint_name("ont_call_outcomes", "outcome", grown)]


def test_first_load_then_rerun_writes_only_changed_rows(warehouse_path, pg_url):
    write_marts(warehouse_path, leads=10, calls=9)
    first = _export(warehouse_path, pg_url)
    assert {t: (c.inserted, c.updated, c.unchanged, c.batches) for t, c in first.items()} == {
        "ont_leads": (10, 0, 0, 3),
        "ont_calls": (9, 0, 0, 3),
        "ont_call_outcomes": (9, 0, 0, 3),
    }
    stamps = dict(_rows(pg_url, "SELECT call_id, updated_at FROM ont_call_outcomes"))

    again = _export(warehouse_path, pg_url)
    assert {t: (c.inserted, c.updated, c.unchanged) for t, c in again.items()} == {
        "ont_leads": (0, 0, 10),
        "ont_calls": (0, 0, 9),
        "ont_call_outcomes": (0, 0, 9),
    }
    assert dict(_rows(pg_url, "SELECT call_id, updated_at FROM ont_call_outcomes")) == stamps

    # a callback later yields an email; one new call
    execute(
        warehouse_path,
        "UPDATE marts.customer_journeys SET outcome = 'email_captured', captured_email = 'jane@glowspa.com', "
        "captured_email_is_generic = false WHERE call_id = 'C00000000'",
    )
    execute(
        warehouse_path,
        "INSERT INTO marts.customer_journeys SELECT 'C99999999', NULL, 'no_answer', NULL, NULL, NULL, [], true",
    )
    third = _export(warehouse_path, pg_url, tables=(ONT_CALL_OUTCOMES,))["ont_call_outcomes"]
    assert (third.inserted, third.updated, third.unchanged) == (1, 1, 8)
    after = dict(_rows(pg_url, "SELECT call_id, updated_at FROM ont_call_outcomes"))
    assert [k for k in stamps if after[k] != stamps[k]] == ["C00000000"]
    assert _rows(pg_url, "SELECT outcome, captured_email FROM ont_call_outcomes WHERE call_id = 'C00000000'") == [
        ("email_captured", "jane@glowspa.com")
    ]


def test_values_round_trip_and_dnc_never_carries_an_email(warehouse_path, pg_url):
    write_marts(warehouse_path, leads=3, calls=7)
    execute(warehouse_path, "UPDATE marts.customer_journeys SET captured_email = 'x@y.com' WHERE outcome = 'dnc'")
    _export(warehouse_path, pg_url)
    assert _rows(pg_url, "SELECT captured_email, follow_up_allowed FROM ont_call_outcomes WHERE outcome = 'dnc'") == [
        (None, False)
    ]
    assert _rows(pg_url, "SELECT objections FROM ont_call_outcomes WHERE call_id = 'C00000000'") == [(["bad_time"],)]
    assert _rows(pg_url, "SELECT start_ts::text FROM ont_calls WHERE call_id = 'C00000001'") == [
        ("2026-11-20 15:00:01+00",)
    ]
    with warehouse_connection(warehouse_path) as duck, connect(ExportConfig(pg_url)) as pg:
        for table in EXPORT_TABLES:
            result = compare(duck, pg, table)
            assert result.counts_agree and result.sample_agrees, result


def test_duplicates_give_one_row_per_key_and_bad_rows_are_rejected(warehouse_path, pg_url):
    write_marts(warehouse_path, leads=4, calls=0)
    execute(
        warehouse_path,
        """
        INSERT INTO marts.lead_status VALUES
            ('L00000001', '+12145550001', 'Second copy', false, 'callback', 1, NULL, 'callback', NULL),
            (NULL, '+12145550002', 'No key', false, 'open', 0, NULL, NULL, NULL),
            ('L_BAD_STATUS', NULL, 'Bad', false, 'maybe', 0, NULL, NULL, NULL),
            ('L_BAD_OUTCOME', NULL, 'Bad', false, 'open', 0, NULL, 'hung_up_angrily', NULL),
            ('L_NO_NAME', NULL, NULL, false, 'open', 0, NULL, NULL, NULL),
            ('L_NUL', NULL, 'Nul' || chr(0) || 'Spa', false, 'open', 0, NULL, NULL, NULL)
        """,
    )
    counts = _export(warehouse_path, pg_url, batch_size=100, tables=(ONT_LEADS,))["ont_leads"]
    assert (counts.source_rows, counts.inserted, counts.duplicates, counts.rejected) == (10, 5, 1, 4)
    assert _rows(pg_url, "SELECT business_name, status FROM ont_leads WHERE lead_id = 'L00000001'") in (
        [("Second copy", "callback")],
        [("Clinic 1", "open")],
    )
    assert _rows(pg_url, "SELECT business_name FROM ont_leads WHERE lead_id = 'L_NUL'") == [("NulSpa",)]
    assert _rows(pg_url, "SELECT count(*) FROM ont_leads WHERE lead_id LIKE 'L_BAD%' OR lead_id = 'L_NO_NAME'") == [
        (0,)
    ]


def test_batch_boundaries_and_progress(warehouse_path, pg_url):
    write_marts(warehouse_path, leads=25, calls=0)
    seen = []
    with warehouse_connection(warehouse_path) as duck, connect(ExportConfig(pg_url)) as pg:
        apply_schema(pg)
        counts = export_table(duck, pg, ONT_LEADS, batch_size=7, progress=lambda t, d, n: seen.append((t, d, n)))
    assert counts.batches == 4 and counts.inserted == 25
    assert seen == [("ont_leads", 7, 25), ("ont_leads", 14, 25), ("ont_leads", 21, 25), ("ont_leads", 25, 25)]
