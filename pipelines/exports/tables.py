"""What each exported table is: its DuckDB source query, its key, its vocabulary checks.

Columns are not repeated here: the source query (`sql/exports/<table>.sql`) names them and
the DDL (`sql/exports/<table>/create.sql`) types them; `schema.target_columns` reads the latter back
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
    source_file: str  # DuckDB: the rows to export, in key order (the model, `sql/exports/<table>.sql`)
    ddl_file: str  # PostgreSQL: CREATE … IF NOT EXISTS of the target table
    vocabularies: tuple[tuple[str, tuple[str, ...]], ...] = ()


ONT_LEADS = ExportTable(
    "ont_leads",
    key=("lead_id",),
    source_file="exports/ont_leads.sql",
    ddl_file="exports/ont_leads/create.sql",
    vocabularies=(("status", LEAD_STATUSES), ("last_outcome", OUTCOMES)),
)
ONT_CALLS = ExportTable(
    "ont_calls", key=("call_id",), source_file="exports/ont_calls.sql", ddl_file="exports/ont_calls/create.sql"
)
ONT_CALL_OUTCOMES = ExportTable(
    "ont_call_outcomes",
    key=("call_id",),
    source_file="exports/ont_call_outcomes.sql",
    ddl_file="exports/ont_call_outcomes/create.sql",
    vocabularies=(("outcome", OUTCOMES),),
)

EXPORT_TABLES: tuple[ExportTable, ...] = (ONT_LEADS, ONT_CALLS, ONT_CALL_OUTCOMES)
TABLES_BY_NAME = {t.name: t for t in EXPORT_TABLES}
