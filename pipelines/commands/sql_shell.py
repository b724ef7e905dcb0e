"""`make sql`: a read-only SQL prompt on the analysts' serving copy (`$DATA_DIR/serving.duckdb`).

    python -m pipelines.commands.sql_shell                 # interactive; end statements with ';'
    python -m pipelines.commands.sql_shell -c "SELECT * FROM marts.call_queue LIMIT 5"

It opens the serving copy read-only (never the live warehouse, so it can never block a run), and
when a newer copy has been published it reopens it before the next statement. Commands:
`.tables`, `.reload`, `.quit`. Works without the `duckdb` CLI binary.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb

from pipelines.platform.settings import PipelineSettings

PROMPT, CONTINUE = "eve-sql> ", "     ...> "


class ServingReader:
    """A read-only connection that follows atomic republishes of the serving file."""

    def __init__(self, path: Path):
        self.path = path
        self._conn: duckdb.DuckDBPyConnection | None = None
        self._inode: int | None = None

    def connection(self) -> duckdb.DuckDBPyConnection:
        inode = os.stat(self.path).st_ino
        if self._conn is None or inode != self._inode:
            if self._conn is not None:
                self._conn.close()
            self._conn = duckdb.connect(str(self.path), read_only=True)
            self._inode = inode
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def run_statement(reader: ServingReader, sql: str, out=sys.stdout) -> bool:
    text = sql.strip().rstrip(";").strip()
    if not text:
        return True
    if text in (".tables", "\\dt"):
        text = "SELECT table_schema || '.' || table_name AS name, table_type FROM information_schema.tables ORDER BY 1"
    if text == ".reload":
        reader.close()
        print(f"reopened {reader.path}", file=out)
        return True
    try:
        cursor = reader.connection().execute(text)
        if cursor.description is None:
            print("ok", file=out)
            return True
        frame = cursor.fetchdf()
        print(frame.to_string(index=False, max_rows=200, max_colwidth=60) if len(frame) else "(no rows)", file=out)
        print(f"({len(frame)} rows)", file=out)
        return True
    except duckdb.Error as exc:
        print(f"error: {str(exc).splitlines()[0]}", file=out)
        return False


def repl(reader: ServingReader) -> int:
    try:
        import readline  # noqa: F401  (line editing and history when available)
    except ImportError:
        pass
    print(f"read-only SQL on {reader.path} — end statements with ';', .tables, .reload, .quit")
    buffer: list[str] = []
    while True:
        try:
            line = input(CONTINUE if buffer else PROMPT)
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not buffer and line.strip() in (".quit", ".exit", "\\q"):
            return 0
        if not buffer and line.strip().startswith("."):
            run_statement(reader, line)
            continue
        buffer.append(line)
        if line.rstrip().endswith(";"):
            run_statement(reader, "\n".join(buffer))
            buffer.clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Read-only SQL prompt on the serving copy.")
    parser.add_argument("-c", "--command", help="run one statement and exit")
    parser.add_argument("--path", type=Path, default=None, help="serving file (default SERVING_PATH)")
    args = parser.parse_args(argv)
    path = args.path or PipelineSettings().serving_file
    if not path.exists():
        print(f"no serving copy at {path} yet: run `make leads INPUT=...` or `make run` first", file=sys.stderr)
        return 2
    reader = ServingReader(path)
    try:
        if args.command:
            return 0 if run_statement(reader, args.command) else 1
        return repl(reader)
    finally:
        reader.close()


if __name__ == "__main__":
    sys.exit(main())
