"""What each exported table is: its DuckDB source query, its key, its vocabulary checks.

Columns are not repeated here: the source query (`sql/exports/<table>/source.sql`) names them and
the DDL (`sql/exports/<table>/ddl.sql`) types them; `schema.target_columns` reads the latter back
from PostgreSQL. Vocabularies come from `vocabulary/outcomes.py` only.
"""

from __future__ import annotations

from dataclasses import dataclass

from vocabulary.outcomes import LEAD_STATUSES, OUTCOME_PRECEDENCE

OUTCOMES: tuple[str, ...] = tuple(o.value for o in OUTCOME_PRECEDENCE)


@dataclass(frozen=True, slots=True)
class ExportTable:
    name: str
    key: tuple[str, ...]
    vocabularies: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def ddl_file(self) -> str:
        return f"exports/{self.name}/ddl.sql"

    @property
    def source_file(self) -> str:
        return f"exports/{self.name}/source.sql"


ONT_LEADS = ExportTable(
    "ont_leads", key=("lead_id",), vocabularies=(("status", LEAD_STATUSES), ("last_outcome", OUTCOMES))
)
ONT_CALLS = ExportTable("ont_calls", key=("call_id",))
ONT_CALL_OUTCOMES = ExportTable("ont_call_outcomes", key=("call_id",), vocabularies=(("outcome", OUTCOMES),))

EXPORT_TABLES: tuple[ExportTable, ...] = (ONT_LEADS, ONT_CALLS, ONT_CALL_OUTCOMES)
TABLES_BY_NAME = {t.name: t for t in EXPORT_TABLES}
