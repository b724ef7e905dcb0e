"""Read do-not-call files (`$DATA_DIR/inbox/dnc/`) into `raw.dnc_entries`, normalised to E.164.

A DNC file is a CSV/TSV with a `phone` column (any delimiter, any other columns), or plain text
with one number per line (`#` comments allowed); numbers may be in any common format. Lines that
are not phone numbers, undecodable files and empty files are recorded in `raw.lead_ingest_rejects`
with source `dnc`. Each file is an idempotent slice (delete, insert, one transaction).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pipelines.leads.encoding import UTF8, detect_encoding
from pipelines.leads.files import IngestReport, ensure_raw_tables, source_file_name, utc_now
from pipelines.leads.phones_bulk import build_phone_lookup
from pipelines.platform.sql import run_sql_file

DNC_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ""}


def is_dnc_file(path: Path) -> bool:
    return path.is_file() and not path.name.startswith(".") and path.suffix.lower() in DNC_SUFFIXES


def parse_dnc_text(text: str) -> list[tuple[int, str]]:
    """(line number, raw number) pairs from a DNC file's text."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    header = [cell.strip().strip('"').lower() for cell in _split_header(first)]
    if any("phone" in cell for cell in header):
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t|") if len(header) > 1 else csv.excel
        reader = csv.reader(io.StringIO(text), dialect)
        column = next(i for i, cell in enumerate(header) if cell == "phone" or "phone" in cell)
        rows: list[tuple[int, str]] = []
        seen_header = False
        for row in reader:
            if not seen_header:
                if row and any(cell.strip() for cell in row):
                    seen_header = True
                continue
            if column < len(row) and row[column].strip():
                rows.append((reader.line_num, row[column].strip()))
        return rows
    return [
        (no, line.strip())
        for no, line in enumerate(lines, start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _split_header(line: str) -> list[str]:
    for delimiter in (",", "\t", ";", "|"):
        if delimiter in line:
            return line.split(delimiter)
    return [line]


def ingest_dnc_file(conn: Any, path: Path, *, max_bytes: int, now: datetime | None = None) -> IngestReport:
    now = now or utc_now()
    name = source_file_name(path)
    report = IngestReport(source_file=name, source="dnc")
    ensure_raw_tables(conn)
    run_sql_file(conn, "raw/dnc_entries.sql")
    problem, entries = _read(path, max_bytes)
    conn.execute("BEGIN TRANSACTION")
    try:
        run_sql_file(conn, "raw/dnc_entries/delete_file.sql", {"source_file": name})
        run_sql_file(conn, "raw/lead_ingest_rejects/delete_file.sql", {"source_file": name})
        if problem:
            report.file_error = problem
            report.rejected = 1
            run_sql_file(
                conn,
                "raw/lead_ingest_rejects/insert_dnc_file_error.sql",
                {"source_file": name, "reason": problem, "now": now},
            )
        else:
            frame = pd.DataFrame(
                {
                    "line_no": pd.Series([n for n, _ in entries], dtype="int64"),
                    "phone_raw": pd.Series([p for _, p in entries], dtype="object"),
                }
            )
            conn.register("dnc_frame", frame)
            try:
                run_sql_file(conn, "raw/dnc_entries/stage.sql")
            finally:
                conn.unregister("dnc_frame")
            build_phone_lookup(conn)
            params = {"source_file": name, "now": now}
            run_sql_file(conn, "raw/dnc_entries/insert.sql", params)
            run_sql_file(conn, "raw/lead_ingest_rejects/insert_dnc.sql", params)
            report.loaded = run_sql_file(conn, "raw/dnc_entries/count_file.sql", {"source_file": name}).fetchone()[0]
            report.rejected = len(entries) - report.loaded
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    return report


def _read(path: Path, max_bytes: int) -> tuple[str | None, list[tuple[int, str]]]:
    if not path.is_file():
        return "file not found", []
    size = path.stat().st_size
    if size > max_bytes:
        return f"file too large: {size} bytes exceeds the limit of {max_bytes} bytes (LEAD_MAX_FILE_BYTES)", []
    # Undecodable bytes become U+FFFD so every other line still counts (a lost DNC line would mean
    # calling someone who asked us not to); such lines are rejected as "not a phone number".
    # Excel's encodings too (cp1252, UTF-16 "Unicode text"): a list Excel saved must still suppress.
    encoding = detect_encoding(path)
    text = path.read_bytes().decode("utf-8-sig" if encoding == UTF8 else encoding, errors="replace")
    entries = parse_dnc_text(text)
    if not entries:
        return "empty file: no phone numbers", []
    return None, entries
