"""record_no is each record's position in its file, also when DuckDB reads a big file in parallel
(the rows go through a temp table and are numbered by its rowid; raw/lead_records/insert_file_rows.sql)."""

from __future__ import annotations

import json

import duckdb

from pipelines.leads.files import ingest_lead_file
from pipelines.platform.sql import sql_literal
from pipelines.platform.warehouse import open_warehouse

# ~40 MB: more than one of DuckDB's CSV buffers, so the read is split between threads
ROWS = 150_000
PADDING = 220


def write_numbered_csv(path, *, delimiter: str) -> None:
    """Row i (1-based) names its own position: business_name 'Biz <i>'; a wide notes column."""
    duckdb.sql(
        f"COPY (SELECT 'Biz ' || i AS business_name, '(214) 555-' || lpad((i % 10000)::VARCHAR, 4, '0') AS phone, "
        f"repeat('x', {PADDING}) AS notes FROM range(1, {ROWS + 1}) AS t(i)) "
        f"TO {sql_literal(str(path))} (HEADER, DELIMITER {sql_literal(delimiter)})"
    )


def misnumbered(conn, source_file: str) -> tuple[int, int]:
    return conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE ('Biz ' || record_no) <> (record->>'business_name')) "
        "FROM raw.lead_records WHERE source_file = ?",
        [source_file],
    ).fetchone()


def test_every_record_numbered_by_its_line_in_a_big_file(lead_env, tmp_path):
    csv_path = tmp_path / "big.csv"
    tsv_path = tmp_path / "big.tsv"
    write_numbered_csv(csv_path, delimiter=",")
    write_numbered_csv(tsv_path, delimiter="\t")
    conn = open_warehouse(lead_env)
    try:
        for path in (csv_path, tsv_path):
            report = ingest_lead_file(conn, path, max_bytes=10**9)
            assert (report.loaded, report.rejected) == (ROWS, 0)
            assert misnumbered(conn, report.source_file) == (ROWS, 0)
        # reingesting the same file replaces its slice and numbers it the same way again
        report = ingest_lead_file(conn, csv_path, max_bytes=10**9)
        assert misnumbered(conn, report.source_file) == (ROWS, 0)
        leftovers = conn.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'lead_file_rows'").fetchone()
        assert leftovers == (0,)
    finally:
        conn.close()


def test_columns_named_like_rowid_or_an_alias_are_plain_cells(lead_env, tmp_path):
    """A file column named rowid, s or cells is just another cell of the record (it neither numbers
    the rows nor stands in for the whole row)."""
    path = tmp_path / "crm_export.csv"
    path.write_text(
        "RowID,s,cells,business_name,phone\n"
        "r-9,small,x,Prime Smile Dental,(214) 302-0101\n"
        "r-3,large,y,North Star Plastic Surgery,(214) 302-0102\n"
    )
    conn = open_warehouse(lead_env)
    try:
        report = ingest_lead_file(conn, path, max_bytes=10**6)
        rows = conn.execute(
            "SELECT record_no, record FROM raw.lead_records WHERE source_file = ? ORDER BY record_no",
            [report.source_file],
        ).fetchall()
    finally:
        conn.close()
    assert (report.loaded, report.rejected) == (2, 0)
    assert [(n, json.loads(record)) for n, record in rows] == [
        (
            1,
            {
                "RowID": "r-9",
                "s": "small",
                "cells": "x",
                "business_name": "Prime Smile Dental",
                "phone": "(214) 302-0101",
            },
        ),
        (
            2,
            {
                "RowID": "r-3",
                "s": "large",
                "cells": "y",
                "business_name": "North Star Plastic Surgery",
                "phone": "(214) 302-0102",
            },
        ),
    ]
