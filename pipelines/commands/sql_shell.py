"""`make sql`: the DuckDB CLI, read-only, on the analysts' serving copy (`$DATA_DIR/serving.duckdb`).

    python -m pipelines.commands.sql_shell                                  # the interactive DuckDB prompt
    python -m pipelines.commands.sql_shell -c "SELECT * FROM marts.call_queue LIMIT 5"
    python -m pipelines.commands.sql_shell -csv -c "FROM marts.lead_summary"  # any other duckdb CLI option

The prompt is DuckDB's own CLI (the `duckdb-cli` package pinned in pyproject.toml; why this tool
and this version: docs/analysts.md), started with `-readonly` on the serving copy — never on the live
warehouse, so it can never block a run. Every argument is passed on to the CLI. With no serving copy
yet it says how to make one and exits 2.
"""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path

from pipelines.platform.settings import PipelineSettings

NO_SERVING_COPY_EXIT = 2


def duckdb_cli() -> Path:
    """The CLI binary shipped inside the `duckdb-cli` wheel (no download, no PATH lookup)."""
    return Path(str(files("duckdb_cli") / "duckdb"))


def cli_argv(serving_file: Path, args: list[str]) -> list[str]:
    binary = str(duckdb_cli())
    return [binary, "-readonly", *args, str(serving_file)]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    serving_file = PipelineSettings().serving_file
    if not serving_file.is_file():
        print(
            f"no serving copy at {serving_file} yet: run `make leads INPUT=...`, `make report` or `make run` first",
            file=sys.stderr,
        )
        return NO_SERVING_COPY_EXIT
    argv_cli = cli_argv(serving_file, args)
    os.execv(argv_cli[0], argv_cli)  # the CLI takes over the terminal: Ctrl-C, history, completion are its own


if __name__ == "__main__":
    sys.exit(main())
