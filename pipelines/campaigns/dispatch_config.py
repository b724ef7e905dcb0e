"""The dispatcher's configuration (from `PipelineSettings`) and the summary of one tick."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class DispatchConfig:
    data_dir: Path
    api_key: str | None
    base_url: str
    dry_run: bool | None = None  # None = auto: dry unless a key is set and the campaign is enabled
    stop: bool = False
    max_calls_per_tick: int = 20
    timeout_s: float = 30.0

    @property
    def state_dir(self) -> Path:
        return self.data_dir / "state"

    @property
    def stop_file(self) -> Path:
        return self.data_dir / "campaigns" / "STOP"

    def __repr__(self) -> str:  # never print the key
        return f"DispatchConfig(data_dir={str(self.data_dir)!r}, base_url={self.base_url!r}, dry_run={self.dry_run})"


@dataclass
class TickSummary:
    campaign: str
    dry_run: bool
    dispatched: int = 0
    would_dial: int = 0
    failed: int = 0
    unknown: int = 0
    skipped: Counter = field(default_factory=Counter)
    reconciled: Counter = field(default_factory=Counter)
    stopped_because: str | None = None

    def line(self) -> str:
        parts = [f"campaign {self.campaign}", "DRY RUN" if self.dry_run else "live"]
        parts.append(f"would dial {self.would_dial}" if self.dry_run else f"dispatched {self.dispatched}")
        if self.failed or self.unknown:
            parts.append(f"failed {self.failed}, unknown {self.unknown}")
        if self.skipped:
            parts.append("skipped " + ", ".join(f"{k} {v}" for k, v in sorted(self.skipped.items())))
        if self.reconciled:
            parts.append("reconciled " + ", ".join(f"{k} {v}" for k, v in sorted(self.reconciled.items())))
        if self.stopped_because:
            parts.append(f"stopped: {self.stopped_because}")
        return "; ".join(parts)


def config_from_settings(settings: Any) -> DispatchConfig:
    """The dispatcher's configuration from `PipelineSettings` (key read here, never logged)."""
    key = settings.retell_api_key.get_secret_value() if settings.retell_configured else None
    return DispatchConfig(
        data_dir=settings.data_dir,
        api_key=key,
        base_url=settings.retell_base_url,
        dry_run=settings.dry_run,
        stop=settings.campaigns_stop,
        max_calls_per_tick=settings.campaign_max_calls_per_tick,
        timeout_s=settings.campaign_dispatch_timeout_seconds,
    )
