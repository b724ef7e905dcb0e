"""Export settings and the PostgreSQL connection of the Supabase export.

`ExportConfig` is built from whatever settings object the caller holds (the Dagster assets pass
`PipelineSettings`; tests and the benchmark build it directly). `SUPABASE_DB_URL` may hold a
password: it is never logged or put into an error message — errors name the host and port only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

NOT_CONFIGURED = "SUPABASE_DB_URL is not set: the Supabase export is skipped"


class ExportError(RuntimeError):
    """The export could not run (bad URL, unreachable server, schema conflict); nothing was half-written."""


@dataclass(frozen=True, slots=True)
class ExportConfig:
    db_url: str = field(repr=False)
    batch_size: int = 50_000
    connect_timeout_seconds: int = 10

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ExportError("EXPORT_BATCH_SIZE must be at least 1")
        if self.connect_timeout_seconds < 1:
            raise ExportError("EXPORT_CONNECT_TIMEOUT_SECONDS must be at least 1")

    @classmethod
    def from_settings(cls, settings: Any) -> ExportConfig | None:
        """The config of a settings object with `supabase_db_url` (str or SecretStr); None when unset."""
        raw = getattr(settings, "supabase_db_url", None)
        url = raw.get_secret_value() if hasattr(raw, "get_secret_value") else (raw or "")
        if not url.strip():
            return None
        return cls(
            db_url=url.strip(),
            batch_size=int(getattr(settings, "export_batch_size", 50_000)),
            connect_timeout_seconds=int(getattr(settings, "export_connect_timeout_seconds", 10)),
        )

    @property
    def target(self) -> str:
        """`host:port/dbname` of the URL — safe to log (no user, no password)."""
        params = _parse(self.db_url)
        return f"{params.get('host', 'localhost')}:{params.get('port', '5432')}/{params.get('dbname', '')}"


def _parse(url: str) -> dict[str, Any]:
    if not url.startswith(("postgresql://", "postgres://")) and "=" not in url:
        raise ExportError("SUPABASE_DB_URL must be a postgresql:// URL (or a libpq key=value string)")
    try:
        return conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        # psycopg's message may quote the URL (and its password): say only that it is malformed
        raise ExportError("SUPABASE_DB_URL is malformed (not a valid PostgreSQL connection URL)") from None


def connect(config: ExportConfig) -> psycopg.Connection:
    """A connection without server-side prepared statements (safe behind Supabase's transaction
    pooler); every export transaction sets its own time zone (`SET LOCAL TimeZone = 'UTC'`)."""
    params = _parse(config.db_url)
    try:
        conn = psycopg.connect(
            config.db_url,
            connect_timeout=config.connect_timeout_seconds,
            application_name="eve-export",
            autocommit=True,  # every batch is its own explicit transaction (conn.transaction())
        )
    except psycopg.OperationalError as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if params.get("password") and params["password"] in reason:
            reason = type(exc).__name__
        raise ExportError(f"cannot connect to PostgreSQL at {config.target}: {reason}") from None
    conn.prepare_threshold = None
    return conn
