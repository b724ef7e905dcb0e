"""Apply the DDL of the exported tables idempotently, and read their columns back.

`apply_schema` runs `sql/exports/<table>/create.sql` (CREATE … IF NOT EXISTS) when the table or one of
its indexes is missing (so a steady-state export takes no DDL lock), and keeps one vocabulary
CHECK per (table, column) whose name carries a hash of the vocabulary: when `vocabulary/outcomes.py`
changes, the old check is replaced; otherwise nothing is touched. All of it in one transaction
under an advisory lock, so two exports starting at once do not race on CREATE.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import psycopg
from psycopg import sql

from pipelines.exports.connection import ExportError
from pipelines.exports.tables import EXPORT_TABLES, ExportTable
from pipelines.platform.sql import read_sql

SCHEMA_LOCK_ID = 0x657665_0001  # pg_advisory_xact_lock key of the DDL step ("eve" + 1)
DDL_LOCK_TIMEOUT = "30s"  # a DDL step waiting longer on other sessions' locks fails clearly
_INDEX_NAME = re.compile(r"CREATE\s+INDEX\s+IF\s+NOT\s+EXISTS\s+(\w+)", re.IGNORECASE)
# Columns the database maintains itself: never read from the marts.
MANAGED_COLUMNS = frozenset({"created_at", "updated_at"})


# DuckDB hands over naive UTC timestamps: staged as `timestamp`, cast on insert under
# `SET LOCAL TimeZone = 'UTC'` (binary COPY refuses a naive value for timestamptz).
_STAGE_TYPES = {1184: ("timestamp", 1114), 1185: ("timestamp[]", 1115)}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type_sql: str
    type_oid: int
    not_null: bool

    @property
    def stage_type(self) -> tuple[str, int]:
        """(SQL type, oid) of this column in the COPY staging table."""
        return _STAGE_TYPES.get(self.type_oid, (self.type_sql, self.type_oid))


def vocabulary_constraint_name(table: str, column: str, values: tuple[str, ...]) -> str:
    digest = hashlib.sha256("\n".join(values).encode("utf-8")).hexdigest()[:10]
    return f"{table}_{column}_vocab_{digest}"


def _vocabulary_checks(cur: psycopg.Cursor, table: ExportTable) -> None:
    for column, values in table.vocabularies:
        wanted = vocabulary_constraint_name(table.name, column, values)
        prefix = f"{table.name}_{column}_vocab_"
        cur.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND starts_with(conname, %s)",
            (table.name, prefix),
        )
        existing = [row[0] for row in cur.fetchall()]
        if existing == [wanted]:
            continue
        for old in existing:
            cur.execute(
                sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.Identifier(table.name), sql.Identifier(old))
            )
        cur.execute(
            sql.SQL(read_sql("exports/macros/vocabulary_check.sql")).format(
                table=sql.Identifier(table.name),
                old_constraint=sql.Identifier(wanted),
                constraint=sql.Identifier(wanted),
                column=sql.Identifier(column),
                values=sql.Literal(list(values)),
            )
        )


def _schema_complete(cur: psycopg.Cursor, table: ExportTable) -> bool:
    """True when the table and every index of its DDL exist: then the DDL is not run at all (CREATE
    INDEX IF NOT EXISTS would still wait for a share lock behind other sessions' writes)."""
    indexes = _INDEX_NAME.findall(read_sql(table.ddl_file))
    cur.execute(
        "SELECT to_regclass(%s) IS NOT NULL, "
        "(SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ANY(%s))",
        (table.name, indexes),
    )
    exists, found = cur.fetchone() or (False, 0)
    return bool(exists) and found == len(indexes)


def apply_schema(conn: psycopg.Connection, tables: tuple[ExportTable, ...] = EXPORT_TABLES) -> None:
    """Create the tables, indexes and vocabulary checks when missing (one transaction)."""
    current = ""
    try:
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK_ID,))
            cur.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(DDL_LOCK_TIMEOUT)))
            for table in tables:
                current = table.name
                if not _schema_complete(cur, table):
                    cur.execute(read_sql(table.ddl_file))
                _vocabulary_checks(cur, table)
    except psycopg.errors.CheckViolation as exc:
        raise ExportError(
            f"rows already in {current} violate the current vocabulary: {exc.diag.message_primary}"
        ) from None


def target_columns(conn: psycopg.Connection, table: str) -> list[Column]:
    """The columns of ``table`` in PostgreSQL (ordinal order) with their types and NOT NULL."""
    rows = conn.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid::int, a.attnotnull FROM pg_attribute AS a "
        "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        (table,),
    ).fetchall()
    return [Column(name, type_sql, oid, not_null) for name, type_sql, oid, not_null in rows]
