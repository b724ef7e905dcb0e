"""The call sync's configuration, decoupled from pydantic settings so tests build it directly."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from contracts.layout import DataLayout
from pipelines.platform.settings import PipelineSettings


@dataclass(frozen=True)
class SyncConfig:
    api_key: str
    base_url: str
    landing_dir: Path  # $DATA_DIR/landing/retell_calls/api
    state_file: Path  # $DATA_DIR/state/retell_sync.json
    lookback_ms: int = 72 * 3_600_000
    overlap_ms: int = 15 * 60_000
    page_size: int = 1000
    concurrency: int = 16
    sdk_max_retries: int = 2
    retry_attempts: int = 4
    backoff_s: float = 0.5
    timeout_s: float = 30.0
    max_calls_per_run: int = 50_000
    pending_max_age_ms: int = 48 * 3_600_000

    @classmethod
    def from_settings(cls, settings: PipelineSettings) -> SyncConfig:
        if not settings.retell_configured:
            raise ValueError("RETELL_API_KEY is not configured")
        return cls(
            api_key=settings.retell_api_key.get_secret_value(),
            base_url=settings.retell_base_url,
            landing_dir=DataLayout(settings.data_dir).retell_api_calls,
            state_file=settings.retell_sync_state_file,
            lookback_ms=int(settings.retell_sync_lookback_hours * 3_600_000),
            overlap_ms=int(settings.retell_sync_overlap_minutes * 60_000),
            page_size=settings.retell_sync_page_size,
            concurrency=settings.retell_sync_concurrency,
            sdk_max_retries=settings.retell_sync_sdk_max_retries,
            retry_attempts=settings.retell_sync_retry_attempts,
            backoff_s=settings.retell_sync_backoff_seconds,
            timeout_s=settings.retell_sync_timeout_seconds,
            max_calls_per_run=settings.retell_sync_max_calls_per_run,
            pending_max_age_ms=int(settings.retell_sync_pending_max_age_hours * 3_600_000),
        )

    def __repr__(self) -> str:  # never print the key
        return f"SyncConfig(base_url={self.base_url!r}, landing_dir={str(self.landing_dir)!r}, concurrency={self.concurrency})"
