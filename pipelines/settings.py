"""Settings for the data half (Dagster + DuckDB): one pydantic-settings object, offline defaults.

Every field reads the environment variable of the same name (upper-case) or `.env`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PipelineSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Root of landing zones, inboxes, prompts, reports.")
    warehouse_path: Path | None = Field(default=None, description="DuckDB warehouse file; default $DATA_DIR/warehouse.duckdb.")
    serving_path: Path | None = Field(default=None, description="Analysts' read-only copy; default $DATA_DIR/serving.duckdb.")

    @property
    def warehouse_file(self) -> Path:
        return self.warehouse_path or self.data_dir / "warehouse.duckdb"

    @property
    def serving_file(self) -> Path:
        return self.serving_path or self.data_dir / "serving.duckdb"

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    @property
    def inbox_dir(self) -> Path:
        return self.data_dir / "inbox"


@lru_cache(maxsize=1)
def get_settings() -> PipelineSettings:
    return PipelineSettings()
