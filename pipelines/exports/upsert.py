"""Upsert the marts into PostgreSQL in batches: each batch one transaction, only changed rows written.

A batch of source rows (DuckDB, key order) is COPYed into a temporary table, then one statement

    INSERT INTO t SELECT DISTINCT ON (key) … FROM stage WHERE <valid> ORDER BY key, ord DESC
    ON CONFLICT (key) DO UPDATE SET … , updated_at = now()
    WHERE (t.cols) IS DISTINCT FROM (EXCLUDED.cols)

writes it: duplicates of a key inside a batch keep the last row, rows that break a NOT NULL or a
vocabulary are counted as rejected (never written), unchanged rows are not touched (no dead tuple,
`updated_at` kept). The batch commits as a whole, so a crash leaves no partial batch and a rerun
converges: rows already written compare equal and are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import duckdb
import psycopg
from psycopg import sql

from pipelines.exports.connection import ExportError
from pipelines.exports.schema import MANAGED_COLUMNS, Column, target_columns
from pipelines.exports.tables import EXPORT_TABLES, ExportTable
from pipelines.platform.sql import read_sql

Progress = Callable[[str, int, int], None]  # (table, rows done, rows total)
STAGE = "eve_export_stage"


@dataclass(slots=True)
class TableCounts:
    table: str
    source_rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejected: int = 0
    batches: int = 0

    def as_dict(self) -> dict[str, int | str]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Plan:
    columns: list[Column]
    create_stage: sql.Composed
    copy: sql.Composed
    upsert: sql.Composed


def _plan(table: ExportTable, source_columns: list[str], target: list[Column]) -> _Plan:
    by_name = {c.name: c for c in target}
    missing = [c for c in source_columns if c not in by_name or c in MANAGED_COLUMNS]
    if missing:
        raise ExportError(f"{table.name}: source columns not in the PostgreSQL table: {', '.join(missing)}")
    if not set(table.key) <= set(source_columns):
        raise ExportError(f"{table.name}: the source query does not return the key {table.key}")
    columns = [by_name[c] for c in source_columns]
    ident = sql.Identifier
    names = sql.SQL(", ").join(ident(c.name) for c in columns)
    key = sql.SQL(", ").join(ident(k) for k in table.key)
    non_key = [c for c in columns if c.name not in table.key]
    create_stage = sql.SQL("CREATE TEMPORARY TABLE {} (ord bigint, {}) ON COMMIT DROP").format(
        ident(STAGE),
        sql.SQL(", ").join(sql.SQL("{} {}").format(ident(c.name), sql.SQL(c.stage_type[0])) for c in columns),
    )
    copy = sql.SQL("COPY {} (ord, {}) FROM STDIN (FORMAT BINARY)").format(ident(STAGE), names)
    vocab = dict(table.vocabularies)
    valid = [sql.SQL("{} IS NOT NULL").format(ident(c.name)) for c in columns if c.not_null or c.name in table.key]
    valid += [
        sql.SQL("({0} IS NULL OR {0} = ANY ({1}::text[]))").format(ident(name), sql.Literal(list(values)))
        for name, values in vocab.items()
        if name in source_columns
    ]
    upsert = sql.SQL(read_sql("exports/macros/upsert.sql")).format(
        stage=ident(STAGE),
        table=ident(table.name),
        columns=names,
        key=key,
        valid=sql.SQL(" AND ").join(valid) if valid else sql.SQL("true"),
        set_columns=sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(ident(c.name)) for c in non_key),
        old_values=sql.SQL(", ").join(sql.SQL("{}.{}").format(ident(table.name), ident(c.name)) for c in non_key),
        new_values=sql.SQL(", ").join(sql.SQL("EXCLUDED.{}").format(ident(c.name)) for c in non_key),
        key_t=sql.SQL(", ").join(sql.SQL("t.{}").format(ident(k)) for k in table.key),
        key_c=sql.SQL(", ").join(sql.SQL("c.{}").format(ident(k)) for k in table.key),
        old_values_t=sql.SQL(", ").join(sql.SQL("t.{}").format(ident(c.name)) for c in non_key),
        new_values_c=sql.SQL(", ").join(sql.SQL("c.{}").format(ident(c.name)) for c in non_key),
    )
    return _Plan(columns=columns, create_stage=create_stage, copy=copy, upsert=upsert)


def _clean(value: Any) -> Any:
    # PostgreSQL text cannot hold NUL; everything else goes through as DuckDB typed it
    if type(value) is str and "\x00" in value:
        return value.replace("\x00", "")
    return value


def _write_batch(pg: psycopg.Connection, plan: _Plan, rows: list[tuple], first_ord: int) -> tuple[int, int, int, int]:
    """One transaction: stage ``rows``, upsert; (inserted, updated, candidates, rejected)."""
    types = [20] + [c.stage_type[1] for c in plan.columns]
    with pg.transaction(), pg.cursor() as cur:
        cur.execute("SET LOCAL TimeZone = 'UTC'")
        cur.execute(plan.create_stage)
        with cur.copy(plan.copy) as copy:
            copy.set_types(types)
            for offset, row in enumerate(rows):
                copy.write_row((first_ord + offset, *map(_clean, row)))
        cur.execute(plan.upsert)
        inserted, updated, candidates, rejected = cur.fetchone() or (0, 0, 0, 0)
    return int(inserted), int(updated), int(candidates), int(rejected)


def export_table(
    duck: Any,
    pg: psycopg.Connection,
    table: ExportTable,
    batch_size: int = 50_000,
    progress: Progress | None = None,
) -> TableCounts:
    """Upsert every row of ``table``'s source query (on the DuckDB connection ``duck``)."""
    counts = TableCounts(table.name)
    try:
        total = duck.execute(f"SELECT count(*) FROM ({read_sql(table.source_file).rstrip().rstrip(';')})").fetchone()[0]
        cursor = duck.execute(read_sql(table.source_file))
    except duckdb.CatalogException as exc:
        raise ExportError(
            f"{table.name}: its mart is not built yet in this warehouse ({str(exc).splitlines()[0]}); "
            "run the pipelines first (make report, or materialize the journeys)"
        ) from None
    source_columns = [d[0] for d in cursor.description]
    plan = _plan(table, source_columns, target_columns(pg, table.name))
    done = 0
    while rows := cursor.fetchmany(batch_size):
        try:
            inserted, updated, candidates, rejected = _write_batch(pg, plan, rows, done)
        except psycopg.DataError as exc:
            raise ExportError(f"{table.name}: batch at row {done} refused: {exc.diag.message_primary}") from None
        counts.batches += 1
        counts.inserted += inserted
        counts.updated += updated
        counts.rejected += rejected
        counts.unchanged += candidates - inserted - updated
        counts.duplicates += len(rows) - candidates - rejected
        done += len(rows)
        counts.source_rows = done
        if progress is not None:
            progress(table.name, done, total)
    return counts


def export_all(
    duck: Any,
    pg: psycopg.Connection,
    tables: tuple[ExportTable, ...] = EXPORT_TABLES,
    batch_size: int = 50_000,
    progress: Progress | None = None,
) -> list[TableCounts]:
    """Export ``tables`` in order (schema must be applied: see `schema.apply_schema`)."""
    return [export_table(duck, pg, t, batch_size=batch_size, progress=progress) for t in tables]
