"""The SQL rule (docs/architecture.md), enforced:

* a model — what an analyst reads — is `sql/<schema>/<table>.sql`, named after the table it builds
  (its text names `<schema>.<table>`); `sql/<schema>/schema.sql` creates the schema;
* a bookkeeping statement is `sql/<schema>/<table>/<verb>.sql`, grouped under a table that has a
  model file (ensure, insert, upsert, delete, expire, pending, checks, intermediate steps…);
* macros shared by several models live in `sql/<schema>/macros/`; analyst views in `sql/views/`;
* every SQL file is used by the code (views are all loaded by the serving copy).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SQL = ROOT / "sql"
CODE = [*sorted((ROOT / "pipelines").rglob("*.py")), *sorted((ROOT / "assets").rglob("*.py"))]
_NAME = re.compile(r"[a-z][a-z0-9_]*")


def _files() -> list[str]:
    return sorted(p.relative_to(SQL).as_posix() for p in SQL.rglob("*.sql"))


def test_every_sql_file_follows_the_rule():
    wrong = []
    for name in _files():
        parts = name.removesuffix(".sql").split("/")
        if not all(_NAME.fullmatch(part) for part in parts) or "__" in name:
            wrong.append(f"{name}: names are lower_snake_case, no '__'")
        elif parts[0] == "views":
            if len(parts) != 2:
                wrong.append(f"{name}: views are sql/views/<view>.sql")
        elif len(parts) == 2:
            schema, table = parts
            if table != "schema" and f"{schema}.{table}" not in (SQL / name).read_text():
                wrong.append(f"{name}: a model file must build {schema}.{table}")
        elif len(parts) == 3:
            schema, table, _verb = parts
            if table != "macros" and not (SQL / schema / f"{table}.sql").is_file():
                wrong.append(f"{name}: grouped under {schema}.{table}, which has no model file")
        else:
            wrong.append(f"{name}: too deep (sql/<schema>/<table>/<verb>.sql at most)")
    assert wrong == []


def test_every_sql_file_is_used():
    code = "\n".join(path.read_text(encoding="utf-8") for path in CODE)
    unused = [name for name in _files() if not name.startswith("views/") and f'"{name}"' not in code]
    assert unused == []


def test_the_rule_is_written_down():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert "sql/<schema>/<table>.sql" in text and "sql/<schema>/<table>/<verb>.sql" in text
