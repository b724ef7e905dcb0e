"""`make sql`: the DuckDB CLI, read-only, on what analysts read — the serving copy or the lake.

    python -m pipelines.commands.sql_shell                                  # the interactive DuckDB prompt
    python -m pipelines.commands.sql_shell -c "SELECT * FROM marts.call_queue LIMIT 5"
    python -m pipelines.commands.sql_shell -csv -c "FROM marts.lead_summary"  # any other duckdb CLI option

The prompt is DuckDB's own CLI (the `duckdb-cli` package pinned in pyproject.toml; why this tool
and this version: docs/analysts.md). Every argument is passed on to the CLI.

* embedded warehouse (default): started with `-readonly` on the serving copy
  (`$DATA_DIR/serving.duckdb`) — never on the live file, so it can never block a run. With no serving
  copy yet it says how to make one and exits 2.
* DuckLake (`WAREHOUSE_URL` set): the CLI attaches the lake READ_ONLY and `USE`s it, so it sees every
  committed snapshot live. The ducklake and postgres_scanner extensions are LOADed from their
  registry wheels (`pipelines.platform.warehouse.extension_files`) with autoinstall/autoload off:
  nothing is downloaded. A data path in object storage (`s3://…`) adds httpfs (same wheel-and-path
  rule) and the temporary S3 secret built from `WAREHOUSE_S3_*`. The statements reach the CLI as an
  `-init` script through a pipe (`/dev/fd/N`), never on the command line nor on disk — so the S3 keys
  never show in `ps` either; the catalog password comes from PGPASSWORD or ~/.pgpass (libpq), never
  from the URL. A lake that cannot be attached (catalog down, wrong S3 key, missing bucket) is one
  line without the URL or any key, exit 1.
"""

from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path

from pipelines.platform.settings import PipelineSettings
from pipelines.platform.sql import sql_literal
from pipelines.platform.warehouse import (
    LAKE_ALIAS,
    LakeLocation,
    WarehouseUnavailable,
    extension_files,
    open_warehouse,
)

NO_SERVING_COPY_EXIT = 2
LAKE_UNAVAILABLE_EXIT = 1


def duckdb_cli() -> Path:
    """The CLI binary shipped inside the `duckdb-cli` wheel (no download, no PATH lookup)."""
    return Path(str(files("duckdb_cli") / "duckdb"))


def cli_argv(serving_file: Path, args: list[str]) -> list[str]:
    binary = str(duckdb_cli())
    return [binary, "-readonly", *args, str(serving_file)]


def lake_init_sql(location: LakeLocation) -> str:
    """The CLI's init script on the lake: extensions from the wheels, the S3 secret for an object-store data
    path, lake attached read-only and in use. Holds credentials then: only ever written to `init_pipe`."""
    lines = [
        "SET autoinstall_known_extensions = false;",
        "SET autoload_known_extensions = false;",
        *(f"LOAD {sql_literal(str(path))};" for path in extension_files()),
    ]
    setup = location.setup_sql()
    if setup:  # CREATE SECRET answers with a "Success" row: into /dev/null, not into the analyst's output
        lines += [".output /dev/null", *(statement + ";" for statement in setup), ".output"]
    lines += [location.attach_sql(read_only=True) + ";", f"USE {LAKE_ALIAS};"]
    return "\n".join(lines) + "\n"


def init_pipe(script: str) -> int:
    """A readable fd (inherited across exec) holding ``script``; the CLI reads it as `/dev/fd/N`."""
    data = script.encode()
    read_fd, write_fd = os.pipe()
    try:
        if len(data) >= 60_000:  # a pipe buffers 64 KiB: a longer script would block this write
            raise ValueError("init script too long for a pipe")
        os.write(write_fd, data)
    finally:
        os.close(write_fd)
    os.set_inheritable(read_fd, True)
    return read_fd


def lake_cli_argv(location: LakeLocation, args: list[str]) -> list[str]:
    fd = init_pipe(lake_init_sql(location))
    return [str(duckdb_cli()), "-init", f"/dev/fd/{fd}", *args]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    settings = PipelineSettings()
    location = settings.lake
    if location is not None:
        try:  # the CLI would only warn and go on in memory: say it here, once, without the URL
            open_warehouse(settings, read_only=True).close()
        except WarehouseUnavailable as exc:
            print(f"make sql: {exc}", file=sys.stderr)
            return LAKE_UNAVAILABLE_EXIT
        print(f"make sql: reading {location.describe()} live, read-only", file=sys.stderr)
        argv_cli = lake_cli_argv(location, args)
        os.execv(argv_cli[0], argv_cli)
    serving_file = settings.serving_file
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
