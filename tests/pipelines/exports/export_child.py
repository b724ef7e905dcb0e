"""A real export process for the kill -9 test: exports ont_leads from the warehouse (the file
EXPORT_TEST_WAREHOUSE, or the DuckLake of WAREHOUSE_URL) to
SUPABASE_DB_URL in batches of EXPORT_BATCH_SIZE, printing `committed <rows>` after each batch."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pipelines.exports.connection import ExportConfig, connect
from pipelines.exports.schema import apply_schema
from pipelines.exports.tables import ONT_LEADS
from pipelines.exports.upsert import export_table
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import open_warehouse


def main() -> int:
    config = ExportConfig.from_settings(PipelineSettings())
    assert config is not None
    settings = PipelineSettings(warehouse_path=Path(os.environ["EXPORT_TEST_WAREHOUSE"]))
    with open_warehouse(settings, read_only=True) as duck, connect(config) as pg:
        apply_schema(pg)
        export_table(
            duck,
            pg,
            ONT_LEADS,
            batch_size=config.batch_size,
            progress=lambda t, done, n: print(f"committed {done}", flush=True),
        )
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
