"""Build the staging call tables (staging.calls, transcript_lines, tool_events) from the raw ones.

The SQL is in `sql/staging/*.sql`; this module only prepares the connection: the phone UDF
(`eve_normalize_phone` = `vocabulary.phones.normalize_phone`, used for numbers that are not clean
NANP) and the two bound NANP regexes that normalise clean numbers set-based.
"""

from __future__ import annotations

from typing import Any

import duckdb

from pipelines.platform.sql import run_sql_file
from vocabulary.phones import nanp_national_pattern, normalize_phone

PHONE_UDF = "eve_normalize_phone"


def register_phone_udf(conn: Any) -> None:
    try:
        conn.create_function(
            PHONE_UDF,
            normalize_phone_or_none,
            [duckdb.sqltype("VARCHAR")],
            duckdb.sqltype("VARCHAR"),
            null_handling="special",  # an unusable number is NULL, never an error for the whole batch
            exception_handling="return_null",
            side_effects=False,
        )
    except duckdb.Error as exc:  # already registered on this connection
        if "already" not in str(exc).lower():
            raise


def normalize_phone_or_none(raw: str | None) -> str | None:
    return normalize_phone(raw)


def phone_params() -> dict[str, str]:
    national = nanp_national_pattern()
    return {"e164_nanp_re": r"\+1(?:" + national + ")", "national_nanp_re": national}


def build_staging_calls(conn: Any) -> None:
    run_sql_file(conn, "staging/schema.sql")
    register_phone_udf(conn)
    run_sql_file(conn, "staging/calls.sql", phone_params())


def build_staging_transcript_lines(conn: Any) -> None:
    run_sql_file(conn, "staging/schema.sql")
    run_sql_file(conn, "staging/transcript_lines.sql")


def build_staging_tool_events(conn: Any) -> None:
    run_sql_file(conn, "staging/schema.sql")
    run_sql_file(conn, "staging/tool_events.sql")


def build_staging_tables(conn: Any) -> None:
    """staging.calls, staging.transcript_lines and staging.tool_events (one Dagster step)."""
    build_staging_calls(conn)
    build_staging_transcript_lines(conn)
    build_staging_tool_events(conn)
