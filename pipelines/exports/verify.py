"""Compare an exported table with its mart: row counts and a sample of keys (present, same values).

Used by the export asset checks. The sample is deterministic (`REPEATABLE`), so a failing check
names the same keys on every run until they are fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import sql

from pipelines.exports.tables import ExportTable
from pipelines.platform.sql import read_sql


@dataclass(slots=True)
class Comparison:
    table: str
    mart_rows: int
    postgres_rows: int
    sampled: int
    missing_keys: list[str] = field(default_factory=list)
    differing_keys: list[str] = field(default_factory=list)

    @property
    def counts_agree(self) -> bool:
        return self.mart_rows == self.postgres_rows

    @property
    def sample_agrees(self) -> bool:
        return not self.missing_keys and not self.differing_keys


def _normalise(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return value.replace("\x00", "")
    return value


def postgres_row_count(pg: psycopg.Connection, table: ExportTable) -> int:
    return int(pg.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table.name))).fetchone()[0])


def compare(duck: Any, pg: psycopg.Connection, table: ExportTable, sample_size: int = 200) -> Comparison:
    source = read_sql(table.source_file).rstrip().rstrip(";")
    key_list = ", ".join(table.key)
    mart_rows = duck.execute(f"SELECT count(*) FROM (SELECT DISTINCT {key_list} FROM ({source}))").fetchone()[0]
    cursor = duck.execute(f"SELECT * FROM ({source}) USING SAMPLE reservoir({int(sample_size)} ROWS) REPEATABLE (7)")
    columns = [d[0] for d in cursor.description]
    sample = cursor.fetchall()
    key_idx = [columns.index(k) for k in table.key]
    with pg.transaction():
        pg.execute("SET LOCAL TimeZone = 'UTC'")
        postgres_rows = postgres_row_count(pg, table)
        query = sql.SQL("SELECT {} FROM {} WHERE ({}) = ({})").format(
            sql.SQL(", ").join(sql.Identifier(c) for c in columns),
            sql.Identifier(table.name),
            sql.SQL(", ").join(sql.Identifier(k) for k in table.key),
            sql.SQL(", ").join(sql.Placeholder() for _ in table.key),
        )
        result = Comparison(table.name, int(mart_rows), int(postgres_rows), len(sample))
        for row in sample:
            key = tuple(row[i] for i in key_idx)
            found = pg.execute(query, key).fetchone()
            label = "/".join(str(k) for k in key)
            if found is None:
                result.missing_keys.append(label)
            elif [_normalise(v) for v in found] != [_normalise(v) for v in row]:
                result.differing_keys.append(label)
    return result
