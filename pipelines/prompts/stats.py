"""`marts.prompt_version_stats`: rates per prompt version and per line wording, with Wilson intervals.

The SQL (`sql/marts/prompt_version_stats.sql`) attributes answered calls to wordings by the variant
ids the brain wrote on its records (temp view `prompt_call_records` over `raw.brain_calls`; empty
when that table does not exist yet), and older records by matching agent lines against the wordings
of the version the call was pinned to. This module turns version documents into those match
patterns (`wording_patterns`), loads them as the temp table `prompt_wordings` and runs the SQL on a
DuckDB connection the caller opened (an asset body, or a test). Each version's `parent` goes into
the temp table `prompt_parents`, so a version row is compared with its parent's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pipelines.platform.sql import read_sql, run_sql_file
from vocabulary.prompt_versions import iter_wordings

_SLOT_RE = re.compile(r"\{[a-z_]+\}")


def like_pattern(template: str) -> str:
    """A lower-case LIKE pattern (escape '\\') matching an agent line that contains ``template``."""
    pieces = _SLOT_RE.split(template.lower())
    escaped = [re.sub(r"([\\%_])", r"\\\1", piece) for piece in pieces]
    return "%" + "%".join(escaped) + "%"


def wording_patterns(versions: Iterable[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """(prompt_version, line_key, variant_id, pattern) for every wording of every version."""
    rows = set()
    for doc in versions:
        for key, variant, _, text in iter_wordings(doc):
            rows.add((doc["version"], key, variant, like_pattern(text)))
    return sorted(rows)


def build_prompt_version_stats(conn: Any, versions: Iterable[dict[str, Any]]) -> int:
    """Rebuild `marts.prompt_version_stats` on ``conn``; the number of rows."""
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE prompt_wordings "
        "(prompt_version VARCHAR, line_key VARCHAR, variant_id VARCHAR, pattern VARCHAR)"
    )
    documents = list(versions)
    rows = wording_patterns(documents)
    if rows:
        conn.executemany("INSERT INTO prompt_wordings VALUES (?, ?, ?, ?)", rows)
    run_sql_file(conn, "marts/prompt_version_stats/parents.sql")
    parents = sorted({(d["version"], d["parent"]) for d in documents if d.get("parent")})
    if parents:
        conn.executemany("INSERT INTO prompt_parents VALUES (?, ?)", parents)
    (has_records,) = conn.execute(read_sql("marts/prompt_version_stats/has_brain_calls.sql")).fetchone()
    if has_records:
        run_sql_file(conn, "marts/prompt_version_stats/call_records.sql")
    else:
        run_sql_file(conn, "marts/prompt_version_stats/call_records_empty.sql")
    run_sql_file(conn, "marts/prompt_version_stats/macros.sql")
    run_sql_file(conn, "marts/prompt_version_stats.sql")
    (count,) = conn.execute("SELECT count(*) FROM marts.prompt_version_stats").fetchone()
    return int(count)


def read_stats(conn: Any) -> list[dict[str, Any]]:
    """The stats table as dicts (for the candidate builder and `make prompts`)."""
    cursor = conn.execute("SELECT * FROM marts.prompt_version_stats")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def challenger_statement(row: dict[str, Any]) -> str:
    """', significantly better than p-1 (z 2.65, two-proportion test at 95 %)' — or nothing."""
    said, other = row.get("capture_verdict"), row.get("compared_with")
    if said not in ("better", "worse") or not other:
        return ""
    return f", email capture significantly {said} than {other} (z {row['capture_z']:+.2f}, two-proportion test at 95 %)"
