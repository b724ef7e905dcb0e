"""Where the warehouse lives, behind one `open_warehouse()`: the embedded DuckDB file or a DuckLake.

* **embedded** (default, `WAREHOUSE_URL` empty): the DuckDB file `$WAREHOUSE_PATH`; one writer
  process at a time (the `duckdb_write` pool), analysts read the published serving copy.
* **lake** (`WAREHOUSE_URL=ducklake:postgres:host=… dbname=…`): DuckLake, its catalog in PostgreSQL
  and its data as Parquet under `$WAREHOUSE_DATA_PATH` (a local folder or `s3://bucket/prefix`,
  `pipelines/platform/object_store.py`). Many processes write different tables at once and readers
  attach it read-only and see each committed snapshot live.

Both hand out an ordinary DuckDB connection whose default catalog is the warehouse, so the same SQL
(`raw.…`, `staging.…`, `marts.…`) runs on both. The lake's two extensions come from the package
registry (`duckdb-extension-ducklake`, `duckdb-extension-postgres-scanner`, pinned with the engine)
and are loaded by file path with autoinstall off: nothing is downloaded at run time. A data path in
object storage adds `httpfs` (`duckdb-extension-httpfs`) and a temporary S3 secret from the environment.

Attaching a lake costs a few hundred milliseconds (extension load + catalog read), so a process
keeps one attached DuckDB instance per lake and hands out cursors on it (`USE lake` per cursor).
The password never goes in `WAREHOUSE_URL` (it would show in logs and the Dagster UI): libpq reads
`PGPASSWORD` or `~/.pgpass`. Likewise the S3 keys never go in the data path: they are settings
(`WAREHOUSE_S3_*`, SecretStr) and are scrubbed from every `WarehouseUnavailable` message.
"""

from __future__ import annotations

import importlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from pipelines.platform.object_store import HTTPFS, DataPathError, ObjectStore, is_url, parse_data_path, probe_sql
from pipelines.platform.sql import sql_literal

LAKE_ALIAS = "lake"
LAKE_PREFIX = "ducklake:"
_EXTENSIONS = (
    ("duckdb_extension_ducklake", "ducklake"),
    ("duckdb_extension_postgres_scanner", "postgres_scanner"),
)


class WarehouseConfigError(ValueError):
    """`WAREHOUSE_URL` / `WAREHOUSE_DATA_PATH` do not describe a warehouse we can open."""


class WarehouseUnavailable(RuntimeError):
    """The configured lake cannot be attached (catalog server down, wrong database, …).

    The message is one line, names the lake by `LakeLocation.describe()` and never carries
    `WAREHOUSE_URL` (DuckDB's own message repeats the connection string, password included)."""


@dataclass(frozen=True)
class LakeLocation:
    """A DuckLake: catalog URL (`ducklake:postgres:…`), Parquet data path (a folder or `s3://…`),
    optional catalog schema, and for a data path in object storage how to reach it (`store`)."""

    url: str
    data_path: str
    metadata_schema: str = ""
    store: ObjectStore | None = field(default=None, repr=False)

    @property
    def in_object_store(self) -> bool:
        return is_url(self.data_path)

    def setup_sql(self) -> list[str]:
        """What a connection runs after loading the lake's extensions and before `attach_sql`: for
        object storage, httpfs and the S3 secret (holds the credentials: run it, never print it)."""
        if not self.in_object_store:
            return []
        return [
            f"LOAD {sql_literal(str(extension_file(*HTTPFS)))}",
            (self.store or ObjectStore()).secret_sql(self.data_path),
        ]

    def check_sql(self) -> str | None:
        """A cheap request that proves the credentials at attach (object storage with keys only)."""
        if self.in_object_store and self.store is not None and self.store.secret_values():
            return probe_sql(self.data_path)
        return None

    def attach_sql(self, *, read_only: bool) -> str:
        options = [f"DATA_PATH {sql_literal(str(self.data_path))}"]
        if self.metadata_schema:
            options.append(f"METADATA_SCHEMA {sql_literal(self.metadata_schema)}")
        if read_only:
            options.append("READ_ONLY")
        return f"ATTACH {sql_literal(self.url)} AS {LAKE_ALIAS} ({', '.join(options)})"

    def describe(self) -> str:
        """The location without connection details (safe to print): data path and catalog schema."""
        schema = f", catalog schema {self.metadata_schema}" if self.metadata_schema else ""
        return f"DuckLake (data {self.data_path}{schema})"


_URL_MARK = "<WAREHOUSE_URL>"
_SECRET_RE = re.compile(r"password\s*=\s*\S+", re.IGNORECASE)
_S3_CODE_RE = re.compile(r"^(?:[A-Z][a-z0-9]+){2,}: ")  # SignatureDoesNotMatch: …, NoSuchBucket: …


def unavailable(location: LakeLocation, error: BaseException) -> WarehouseUnavailable:
    """`error` (from attaching ``location``) as one line without the connection string."""
    text = str(error)
    for variant in sorted({location.url, location.url[len(LAKE_PREFIX) :], location.url.split(":", 2)[-1]}, key=len)[
        ::-1
    ]:
        text = text.replace(variant, _URL_MARK)
    text = _SECRET_RE.sub("password=***", text)
    for secret in location.store.secret_values() if location.store is not None else []:
        text = text.replace(secret.replace("'", "''"), "***").replace(secret, "***")  # quoted as in SQL, and raw
    reason = text.rsplit(_URL_MARK + '"', 1)[-1].lstrip(": ").strip()
    lines = [line.strip() for line in reason.splitlines() if line.strip()]
    reason = lines[0] if lines else (text.strip().splitlines() or ["unknown error"])[0]
    s3_code = next((line for line in lines[1:] if _S3_CODE_RE.match(line)), "") if "HTTP" in reason else ""
    if s3_code:  # httpfs: "HTTP Error: … (HTTP 403 Forbidden)" then "SignatureDoesNotMatch: …"
        reason = f"{reason}; {s3_code}"
    return WarehouseUnavailable(f"cannot open the warehouse {location.describe()}: {reason}")


def describe_warehouse(settings: Any) -> str:
    """Where the configured warehouse lives, safe to print: the file, or the lake's data path."""
    location = settings.lake
    return str(settings.warehouse_file) if location is None else location.describe()


def lake_location(
    url: str, data_path: str | Path | None, metadata_schema: str = "", store: ObjectStore | None = None
) -> LakeLocation | None:
    """The lake named by the settings, or None for the embedded file. Rejects a malformed URL or data path."""
    url = url.strip()
    if not url:
        return None
    if not url.startswith(LAKE_PREFIX) or len(url) == len(LAKE_PREFIX):
        raise WarehouseConfigError(
            "WAREHOUSE_URL must be empty (the embedded DuckDB file) or a DuckLake catalog such as "
            "'ducklake:postgres:host=127.0.0.1 port=5432 dbname=eve' (see .env.example)"
        )
    if data_path is None:
        raise WarehouseConfigError("WAREHOUSE_DATA_PATH is required with a DuckLake WAREHOUSE_URL")
    if metadata_schema and not metadata_schema.replace("_", "").isalnum():
        raise WarehouseConfigError(f"WAREHOUSE_METADATA_SCHEMA must be a plain identifier, got {metadata_schema!r}")
    try:
        parsed = parse_data_path(data_path)
    except DataPathError as exc:
        raise WarehouseConfigError(str(exc)) from None
    return LakeLocation(
        url=url, data_path=parsed, metadata_schema=metadata_schema, store=store if is_url(parsed) else None
    )


def extension_file(package: str, name: str) -> Path:
    """The extension binary shipped in a registry wheel (`duckdb_extension_<name>/extensions/v<ver>/`)."""
    module = importlib.import_module(package)
    wanted = f"v{duckdb.__version__}"
    for root in module.__path__:
        candidate = Path(root) / "extensions" / wanted / f"{name}.duckdb_extension"
        if candidate.is_file():
            return candidate
    raise WarehouseConfigError(
        f"{package} has no {name} extension for duckdb {duckdb.__version__}; "
        "pin it with the engine in pyproject.toml and run `make install`"
    )


def extension_files() -> list[Path]:
    """The lake's extension binaries (ducklake, postgres_scanner) from their registry wheels, in load order."""
    return [extension_file(package, name) for package, name in _EXTENSIONS]


_LAKES: dict[tuple[LakeLocation, bool], duckdb.DuckDBPyConnection] = {}
_LAKES_LOCK = threading.Lock()


def _attached_lake(location: LakeLocation, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    key = (location, read_only)
    with _LAKES_LOCK:
        conn = _LAKES.get(key)
        if conn is None:
            conn = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
            try:
                for path in extension_files():
                    conn.execute(f"LOAD {sql_literal(str(path))}")
                for statement in location.setup_sql():
                    conn.execute(statement)
                if not read_only and not location.in_object_store:
                    Path(location.data_path).mkdir(parents=True, exist_ok=True)
                conn.execute(location.attach_sql(read_only=read_only))
                check = location.check_sql()
                if check is not None:
                    conn.execute(check)
            except duckdb.Error as exc:
                conn.close()
                raise unavailable(location, exc) from None
            except Exception:
                conn.close()
                raise
            _LAKES[key] = conn
        return conn


def open_lake(location: LakeLocation, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A fresh cursor on this process's attached lake, its default catalog the lake. Close it when done."""
    cursor = _attached_lake(location, read_only=read_only).cursor()
    cursor.execute(f"USE {LAKE_ALIAS}")
    return cursor


def forget_lakes() -> None:
    """Detach every lake this process holds (tests; after a fork)."""
    with _LAKES_LOCK:
        for conn in _LAKES.values():
            conn.close()
        _LAKES.clear()


def open_warehouse(settings: Any, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection on the configured warehouse (`PipelineSettings`): the embedded file or the lake."""
    location = settings.lake
    if location is None:
        if not read_only:
            Path(settings.warehouse_file).parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(settings.warehouse_file), read_only=read_only)
    return open_lake(location, read_only=read_only)
