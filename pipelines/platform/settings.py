"""Settings for the data half (Dagster + DuckDB): one pydantic-settings object, offline defaults.

Every field reads the environment variable of the same name (upper-case) or `.env`. There is no
process-wide cached instance: the code location builds one `PipelineSettings()` when it loads and
hands it to assets as the `settings` resource (`pipelines/platform/resources.py`); commands and
tests build their own. Paths under `$DATA_DIR` come from the shared `contracts.layout.DataLayout`.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from contracts.layout import DataLayout
from pipelines.platform.object_store import DataPathError, ObjectStore
from pipelines.platform.warehouse import LakeLocation, WarehouseConfigError, lake_location


class PipelineSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", hide_input_in_errors=True
    )

    data_dir: Path = Field(default=Path("data"), description="Root of landing zones, inboxes, prompts, reports.")
    warehouse_path: Path | None = Field(
        default=None, description="DuckDB warehouse file; default $DATA_DIR/warehouse.duckdb."
    )
    serving_path: Path | None = Field(
        default=None, description="Analysts' read-only copy; default $DATA_DIR/serving.duckdb."
    )
    warehouse_url: str = Field(
        default="",
        description=(
            "Empty = the embedded DuckDB file (WAREHOUSE_PATH). 'ducklake:postgres:host=… dbname=…' = DuckLake "
            "with its catalog in PostgreSQL (password in PGPASSWORD, never in the URL)."
        ),
    )
    warehouse_data_path: str | None = Field(
        default=None,
        description="DuckLake's Parquet data: a folder or s3://bucket/prefix; empty = $DATA_DIR/lake.",
    )
    warehouse_metadata_schema: str = Field(
        default="", description="PostgreSQL schema of the DuckLake catalog; empty = DuckLake's default (public)."
    )
    # --- DuckLake data in object storage (WAREHOUSE_DATA_PATH=s3://…; pipelines/platform/object_store.py) ---
    warehouse_s3_access_key_id: SecretStr | None = Field(
        default=None, description="S3 access key id for an s3:// data path; unset = anonymous requests."
    )
    warehouse_s3_secret_access_key: SecretStr | None = Field(
        default=None, description="S3 secret access key (with WAREHOUSE_S3_ACCESS_KEY_ID)."
    )
    warehouse_s3_session_token: SecretStr | None = Field(
        default=None, description="S3 session token of temporary credentials (STS); unset = none."
    )
    warehouse_s3_region: str = Field(default="us-east-1", min_length=1, description="S3 region ('auto' on R2).")
    warehouse_s3_endpoint: str = Field(
        default="", description="S3-compatible endpoint host[:port] (MinIO, R2, GCS); empty = AWS S3."
    )
    warehouse_s3_url_style: str = Field(
        default="vhost", description="'vhost' (bucket.host, AWS) or 'path' (host/bucket, MinIO and most others)."
    )
    warehouse_s3_use_ssl: bool = Field(default=True, description="HTTPS to the S3 endpoint (false: plain HTTP).")
    warehouse_parallel_steps: bool = Field(
        default=False,
        description=(
            "DuckLake only: run a job's independent steps in parallel processes (multiprocess executor, "
            "forkserver). Off: steps one after another in the run's process, faster for short steps on few "
            "cores (docs/benchmarks.md, UI-launched runs). Ignored on the embedded file (one writer)."
        ),
    )

    # --- leads (lead factory, suppression list, n8n push, serving copy) ---
    lead_min_score: float = Field(default=60.0, description="Minimum ICP score for marts.qualified_leads.")
    lead_top_k: int = Field(
        default=500, description="Size of marts.call_queue (best qualified, callable, unsuppressed)."
    )
    lead_source_urls: str = Field(
        default="", description="Comma-separated HTTP(S) URLs returning lead JSON; empty = none."
    )
    lead_http_timeout_seconds: float = Field(default=30.0, description="Timeout of one lead-source HTTP request.")
    lead_max_file_bytes: int = Field(
        default=1_073_741_824, description="Lead/DNC files larger than this are rejected whole."
    )
    lead_sensor_interval_seconds: int = Field(
        default=30, description="How often the inbox sensor looks for new lead/DNC files."
    )
    n8n_lead_webhook_url: str = Field(
        default="", description="n8n webhook receiving the call queue in batches; empty = push disabled."
    )
    n8n_batch_size: int = Field(default=25, description="Leads per n8n POST ({batch_size, leads}).")
    n8n_max_attempts: int = Field(default=4, description="Attempts per n8n batch before the push job fails.")
    n8n_backoff_seconds: float = Field(
        default=1.0, description="First retry delay of an n8n batch; doubles per attempt."
    )
    n8n_timeout_seconds: float = Field(default=20.0, description="Timeout of one n8n POST.")
    dagster_host: str = Field(default="127.0.0.1", description="Interface of the Dagster UI started by `make run`.")
    dagster_port: int = Field(default=3000, description="Port of the Dagster UI started by `make run`.")

    # --- journeys and revenue ops (engineer D2) ---
    n8n_outcome_webhook_url: str = Field(
        default="",
        description="n8n webhook receiving journey rows (again when a row's outcome changes); empty = disabled.",
    )
    n8n_outcome_batch_size: int = Field(default=200, description="Journey rows per n8n outcome POST.")
    n8n_outcome_max_attempts: int = Field(
        default=4, description="Attempts per outcome batch (429/5xx/connection errors) before the push fails."
    )
    n8n_outcome_backoff_seconds: float = Field(
        default=1.0, description="First retry delay of an outcome batch; doubles per attempt."
    )
    n8n_outcome_timeout_seconds: float = Field(default=15.0, description="Timeout of one n8n outcome POST.")
    revenue_ops_trend_days: int = Field(
        default=14, description="Days shown in the revenue-ops report's trend and chart."
    )

    # --- synthetic world (engineer C2) ---
    synthetic_seed: int = Field(default=42, description="Seed of the synthetic world (same seed + as_of = same bytes).")
    synthetic_as_of: str = Field(
        default="2026-01-15", description="YYYY-MM-DD; synthetic calls fall on the days before it (never the clock)."
    )
    synthetic_clinics: int = Field(default=50, description="Number of synthetic clinics (= synthetic leads).")
    synthetic_calls: int = Field(default=200, description="Number of synthetic Retell-shaped calls.")
    synthetic_days: int = Field(default=14, description="Days before as_of over which synthetic calls are spread.")
    synthetic_bootstrap: bool = Field(
        default=True,
        description="`make run` materializes the synthetic world on first start (set false where real calls flow).",
    )

    # --- call sync (engineer D1) ---
    retell_api_key: SecretStr | None = Field(
        default=None, description="Retell API key; unset = the API sync sensor skips (landing files still load)."
    )
    retell_base_url: str = Field(
        default="https://api.retellai.com", description="Retell REST base URL (a local fake in tests/benchmarks)."
    )
    retell_sync_lookback_hours: float = Field(
        default=72.0, description="First sync (no cursor yet) lists calls started this many hours ago or later."
    )
    retell_sync_overlap_minutes: float = Field(
        default=15.0, description="Each sync re-lists this window before its watermark (late-indexed calls)."
    )
    retell_sync_page_size: int = Field(
        default=1000, ge=1, le=1000, description="list-calls page size (Retell max 1000)."
    )
    retell_sync_concurrency: int = Field(
        default=16, ge=1, le=256, description="Concurrent get-call requests (spread over clients of 4 connections)."
    )
    retell_sync_sdk_max_retries: int = Field(
        default=2, ge=0, description="retell-sdk's own retries per request (408/409/429/5xx, connection errors)."
    )
    retell_sync_retry_attempts: int = Field(
        default=4, ge=1, description="Our attempts per request on top of the SDK's, with exponential backoff."
    )
    retell_sync_backoff_seconds: float = Field(
        default=0.5, ge=0, description="First backoff between our attempts; doubles each time (capped at 30 s)."
    )
    retell_sync_timeout_seconds: float = Field(default=30.0, gt=0, description="Timeout of one Retell request.")
    retell_sync_max_calls_per_run: int = Field(
        default=50_000, ge=1, description="get-calls per sync run at most; the rest continue next run."
    )
    retell_sync_pending_max_age_hours: float = Field(
        default=48.0, description="Stop re-fetching a call whose analysis is still missing after this long."
    )
    retell_sync_sensor_interval_seconds: int = Field(
        default=300, description="How often the Retell sync sensor starts a sync."
    )
    calls_landing_sensor_interval_seconds: int = Field(
        default=30, description="How often the landing sensor looks for new webhook/brain/synthetic call files."
    )
    prompt_learn_min_calls: int = Field(
        default=250, ge=1, description="Answered calls a prompt version needs before a candidate is built from it."
    )
    prompt_lock: bool = Field(
        default=True,
        description="While on, nothing publishes or rolls back a prompt; PROMPT_LOCK=off on one command opens it.",
    )
    prompt_published_by: str = Field(
        default="operator", min_length=1, description="Who a publish or rollback is recorded as (a name or a job)."
    )
    gemini_api_key: SecretStr | None = Field(
        default=None, description="Gemini key: prompt candidates get model-written challenger lines when set."
    )
    gemini_model: str = Field(default="gemini-3-flash-preview", min_length=1, description="Model for candidates.")
    gemini_base_url: str | None = Field(default=None, description="Gemini API base URL override (tests: a fake).")

    # --- Supabase export (pipelines/exports) ---
    supabase_db_url: SecretStr | None = Field(
        default=None, description="Any PostgreSQL URL receiving ont_leads/ont_calls/ont_call_outcomes; unset = skip."
    )
    export_batch_size: int = Field(
        default=50_000, ge=1, description="Rows per export batch (one COPY + one upsert + one transaction)."
    )
    export_connect_timeout_seconds: int = Field(
        default=10, ge=1, description="Timeout of the export's PostgreSQL connection attempt."
    )

    # --- campaigns (dial queue + dispatcher; docs/campaigns.md) ---
    dry_run: bool | None = Field(
        default=None,
        description="Unset = dry run unless RETELL_API_KEY is set and the campaign is enabled; true = never dial.",
    )
    campaigns_stop: bool = Field(
        default=False,
        description="Stop switch: true halts every campaign before its next call (so does $DATA_DIR/campaigns/STOP).",
    )
    campaign_max_calls_per_tick: int = Field(default=20, ge=1, description="Calls one dispatch tick places at most.")
    campaign_sensor_interval_seconds: int = Field(
        default=60, ge=10, description="How often a started campaign sensor launches a dispatch tick."
    )
    campaign_dispatch_timeout_seconds: float = Field(
        default=30.0, gt=0, description="Timeout of one create-phone-call / list-calls request of the dispatcher."
    )

    @property
    def campaigns_dir(self) -> Path:
        return self.data_dir / "campaigns"

    @property
    def layout(self) -> DataLayout:
        return DataLayout(self.data_dir)

    @property
    def retell_sync_state_file(self) -> Path:
        return self.layout.retell_sync_state

    @property
    def retell_configured(self) -> bool:
        """True when a non-empty RETELL_API_KEY is set (the API sync can run)."""
        return self.retell_api_key is not None and bool(self.retell_api_key.get_secret_value())

    @model_validator(mode="after")
    def _warehouse_is_openable(self) -> PipelineSettings:
        try:
            self.lake  # noqa: B018 - validates WAREHOUSE_URL / WAREHOUSE_DATA_PATH / … / WAREHOUSE_S3_*
        except (WarehouseConfigError, DataPathError) as exc:
            raise ValueError(str(exc)) from exc
        return self

    @property
    def lake(self) -> LakeLocation | None:
        """The DuckLake to use, or None for the embedded DuckDB file (`pipelines/platform/warehouse.py`)."""
        data_path = (self.warehouse_data_path or "").strip() or self.data_dir / "lake"
        return lake_location(self.warehouse_url, data_path, self.warehouse_metadata_schema, self.object_store)

    @property
    def object_store(self) -> ObjectStore:
        """How to reach an s3:// data path (endpoint options and credentials); unused for a local folder."""
        return ObjectStore(
            region=self.warehouse_s3_region,
            endpoint=self.warehouse_s3_endpoint,
            url_style=self.warehouse_s3_url_style,
            use_ssl=self.warehouse_s3_use_ssl,
            access_key_id=self.warehouse_s3_access_key_id,
            secret_access_key=self.warehouse_s3_secret_access_key,
            session_token=self.warehouse_s3_session_token,
        )

    @property
    def warehouse_file(self) -> Path:
        return self.warehouse_path or self.layout.warehouse

    @property
    def serving_file(self) -> Path:
        return self.serving_path or self.layout.serving

    @property
    def landing_dir(self) -> Path:
        return self.layout.landing

    @property
    def lead_inbox_dir(self) -> Path:
        return self.layout.lead_inbox

    @property
    def dnc_inbox_dir(self) -> Path:
        return self.layout.dnc_inbox

    @property
    def lead_source_url_list(self) -> list[str]:
        return [u.strip() for u in self.lead_source_urls.split(",") if u.strip()]

    @property
    def gemini_configured(self) -> bool:
        return self.gemini_api_key is not None and bool(self.gemini_api_key.get_secret_value())

    @property
    def revenue_ops_dir(self) -> Path:
        return self.layout.revenue_ops_reports

    @property
    def lead_queue_csv(self) -> Path:
        return self.layout.lead_queue_csv
