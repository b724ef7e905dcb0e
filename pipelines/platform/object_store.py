"""DuckLake's data path in object storage: which URLs are accepted and the DuckDB secret that reads them.

`WAREHOUSE_DATA_PATH` is a local folder (as before) or an `s3://bucket/prefix` URL. Only `s3://` is
accepted: it is the scheme this repository tests (against a real S3 server on loopback,
tests/pipelines/lake/test_lake_object_store.py), and every S3-compatible store — AWS S3, MinIO,
Cloudflare R2, Google Cloud Storage's XML API with HMAC keys — is reached through it with
`WAREHOUSE_S3_ENDPOINT`. Other schemes (`gs://`, `r2://`, `az://`, `http://`, `file://` …) are refused
with one line rather than half-supported: `az://` needs DuckDB's azure extension, and `gs://` / `r2://`
go through the same httpfs code as `s3://` with another endpoint, which `s3://` already covers.

Object storage needs DuckDB's `httpfs` extension (the registry's `duckdb-extension-httpfs`, pinned
with the engine, loaded by file path like the lake's other extensions). It is loaded only for a lake
whose data path is a URL: its 21 MB binary costs 70-100 ms per attach (240 ms cold), on top of the
~0.3 s of ducklake + postgres_scanner, and a local lake never needs it.

Credentials come from the environment only (`WAREHOUSE_S3_ACCESS_KEY_ID`, `…_SECRET_ACCESS_KEY`,
`…_SESSION_TOKEN`, as `SecretStr`), become a TEMPORARY DuckDB secret (in memory, never persisted)
scoped to the data path, and are never part of the URL, a log line, a command line or an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import SecretStr

from pipelines.platform.sql import sql_literal

SECRET_NAME = "eve_lake_s3"
HTTPFS = ("duckdb_extension_httpfs", "httpfs")
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$")
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_ENDPOINT_RE = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
URL_STYLES = ("vhost", "path")


class DataPathError(ValueError):
    """`WAREHOUSE_DATA_PATH` or a `WAREHOUSE_S3_*` setting is malformed (the message is one line)."""


def is_url(data_path: str) -> bool:
    """True for an object-store URL (`scheme://…`), False for a local folder."""
    return _SCHEME_RE.match(data_path) is not None


def parse_data_path(value: str | Path) -> str:
    """The data path as DuckLake's DATA_PATH: a local folder as `str(Path(value))` (unchanged behaviour),
    or a checked `s3://bucket[/prefix]` without a trailing slash. Raises `DataPathError`."""
    text = str(value).strip()
    match = _SCHEME_RE.match(text)
    if match is None:
        return str(Path(text))
    scheme, rest = match.group(1).lower(), match.group(2)
    if scheme != "s3":
        raise DataPathError(
            f"WAREHOUSE_DATA_PATH: {scheme}:// is not supported; use a local folder or s3://bucket/prefix "
            "(GCS, R2, MinIO: s3:// with WAREHOUSE_S3_ENDPOINT, see docs/operations.md)"
        )
    if any(c in rest for c in "@?#\\") or any(c.isspace() for c in rest):
        raise DataPathError(
            "WAREHOUSE_DATA_PATH: an s3:// URL is s3://bucket/prefix only (no credentials, query, fragment or "
            "spaces; keys go in WAREHOUSE_S3_ACCESS_KEY_ID / WAREHOUSE_S3_SECRET_ACCESS_KEY)"
        )
    bucket, _, prefix = rest.partition("/")
    if not _BUCKET_RE.match(bucket) or ".." in bucket:
        raise DataPathError(
            f"WAREHOUSE_DATA_PATH: {bucket!r} is not an S3 bucket name (3-63 characters: a-z, 0-9, '.', '-'); "
            "expected s3://bucket/prefix"
        )
    prefix = prefix.rstrip("/")
    if prefix.startswith("/") or "//" in prefix:
        raise DataPathError("WAREHOUSE_DATA_PATH: the prefix of an s3:// URL has an empty segment ('//')")
    return f"s3://{bucket}/{prefix}" if prefix else f"s3://{bucket}"


def check_endpoint(endpoint: str) -> str:
    """`WAREHOUSE_S3_ENDPOINT` is empty (AWS) or host[:port] — no scheme, TLS is `WAREHOUSE_S3_USE_SSL`."""
    endpoint = endpoint.strip()
    if endpoint and not _ENDPOINT_RE.match(endpoint):
        raise DataPathError(
            "WAREHOUSE_S3_ENDPOINT must be host[:port] without scheme or path (e.g. minio.internal:9000; "
            "TLS is WAREHOUSE_S3_USE_SSL)"
        )
    return endpoint


def _secret_value(secret: SecretStr | None) -> str:
    return secret.get_secret_value() if secret is not None else ""


@dataclass(frozen=True)
class ObjectStore:
    """How to reach an S3-compatible store: endpoint options and the credentials (never printed)."""

    region: str = "us-east-1"
    endpoint: str = ""
    url_style: str = "vhost"
    use_ssl: bool = True
    access_key_id: SecretStr | None = field(default=None, repr=False)
    secret_access_key: SecretStr | None = field(default=None, repr=False)
    session_token: SecretStr | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        check_endpoint(self.endpoint)
        if self.url_style not in URL_STYLES:
            raise DataPathError(f"WAREHOUSE_S3_URL_STYLE must be 'vhost' or 'path', got {self.url_style!r}")
        if bool(_secret_value(self.access_key_id)) != bool(_secret_value(self.secret_access_key)):
            raise DataPathError(
                "WAREHOUSE_S3_ACCESS_KEY_ID and WAREHOUSE_S3_SECRET_ACCESS_KEY go together: set both or neither"
            )

    def secret_values(self) -> list[str]:
        """The credential strings, to scrub from any message."""
        values = (self.access_key_id, self.secret_access_key, self.session_token)
        return [v for v in (_secret_value(s) for s in values) if v]

    def secret_sql(self, scope: str) -> str:
        """`CREATE TEMPORARY SECRET` (in memory only) for requests under ``scope``. Holds the credentials:
        run it, never log or print it."""
        options = ["TYPE s3", "PROVIDER config"]
        for name, secret in (
            ("KEY_ID", self.access_key_id),
            ("SECRET", self.secret_access_key),
            ("SESSION_TOKEN", self.session_token),
        ):
            if _secret_value(secret):
                options.append(f"{name} {sql_literal(_secret_value(secret))}")
        options.append(f"REGION {sql_literal(self.region)}")
        if self.endpoint:
            options.append(f"ENDPOINT {sql_literal(self.endpoint)}")
        options.append(f"URL_STYLE {sql_literal(self.url_style)}")
        options.append(f"USE_SSL {'true' if self.use_ssl else 'false'}")
        options.append(f"SCOPE {sql_literal(scope)}")
        return f"CREATE OR REPLACE TEMPORARY SECRET {SECRET_NAME} ({', '.join(options)})"


def probe_sql(data_path: str) -> str:
    """One LIST request under the data path (matches nothing): fails at attach on a wrong key, a missing
    bucket or an unreachable endpoint instead of at the first read or write."""
    return f"SELECT count(*) FROM glob({sql_literal(data_path + '/.eve-probe-*')})"
