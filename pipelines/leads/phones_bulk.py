"""Set-based E.164 normalisation in DuckDB, exactly per `vocabulary.phones`.

`build_phone_lookup(conn)` turns the distinct raw values of the temp table `phone_inputs(raw)`
into the temp table `phone_lookup(raw, e164, fast_path)`. Clean NANP formats (10 digits, or 11
starting with 1, with spaces, dots, dashes, parentheses or a leading +) are decided in SQL with
`vocabulary.phones.nanp_national_pattern()` — the same acceptance rule as `normalize_phone` — and
every other value (letters, extensions, other country codes, 00-prefixes) goes through
`normalize_phone` itself as a DuckDB Python function, once per distinct value.
"""

from __future__ import annotations

from typing import Any

import duckdb

from pipelines.platform.sql import run_sql_file
from vocabulary.phones import nanp_national_pattern, normalize_phone

UDF_NAME = "eve_normalize_phone"


def _normalize(raw: str) -> str | None:
    return normalize_phone(raw)


def register_phone_function(conn: Any) -> None:
    """Make `eve_normalize_phone(VARCHAR) -> VARCHAR` available on ``conn`` (idempotent)."""
    try:
        conn.remove_function(UDF_NAME)
    except (duckdb.InvalidInputException, duckdb.CatalogException):
        pass
    try:
        conn.create_function(
            UDF_NAME,
            _normalize,
            [duckdb.sqltype("VARCHAR")],
            duckdb.sqltype("VARCHAR"),
            null_handling="special",
            exception_handling="return_null",
            side_effects=False,
        )
    except duckdb.CatalogException as exc:
        # On DuckLake every cursor shares the process's one attached instance, so another cursor
        # may have registered the (same) function already; that registration serves this one too.
        if "already exists" not in str(exc):
            raise


def build_phone_lookup(conn: Any) -> None:
    """`phone_inputs(raw)` → `phone_lookup(raw, e164, fast_path)` (temp tables on ``conn``)."""
    register_phone_function(conn)
    run_sql_file(conn, "staging/leads/phone_lookup.sql", {"nanp_pattern": nanp_national_pattern()})
