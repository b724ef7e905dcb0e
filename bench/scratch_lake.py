"""A scratch DuckLake for the benchmarks' `--lake` option: a PostgreSQL database on the machine's
server (127.0.0.1:5432) for the catalog and a temporary folder for the Parquet data, both removed
afterwards. Sets WAREHOUSE_URL / WAREHOUSE_DATA_PATH so every `PipelineSettings()` picks the lake.

    with scratch_lake(enabled=args.lake):
        ...  # open_warehouse(PipelineSettings(...)) is the lake when enabled, the file otherwise
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def scratch_lake(*, enabled: bool, admin_url: str = ADMIN_URL) -> Iterator[str | None]:
    """Yield the lake's description (None when not enabled: the embedded file is used)."""
    if not enabled:
        yield None
        return
    import psycopg

    from pipelines.platform.warehouse import forget_lakes

    name = f"eve_bench_lake_{uuid.uuid4().hex[:10]}"
    data = tempfile.mkdtemp(prefix="eve-bench-lake-")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    saved = {k: os.environ.get(k) for k in ("WAREHOUSE_URL", "WAREHOUSE_DATA_PATH", "WAREHOUSE_METADATA_SCHEMA")}
    os.environ["WAREHOUSE_URL"] = f"ducklake:postgres:host=127.0.0.1 port=5432 user=postgres dbname={name}"
    os.environ["WAREHOUSE_DATA_PATH"] = data
    os.environ.pop("WAREHOUSE_METADATA_SCHEMA", None)
    try:
        yield f"DuckLake (catalog database {name}, data {data})"
    finally:
        forget_lakes()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(data, ignore_errors=True)
