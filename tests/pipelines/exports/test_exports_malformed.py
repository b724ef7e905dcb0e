"""Malformed settings and unreachable targets: a clear ExportError, never the password in it."""

from __future__ import annotations

import socket

import pytest

from pipelines.exports.connection import ExportConfig, ExportError, connect
from pipelines.platform.settings import PipelineSettings


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "http://user:s3cr3t@127.0.0.1/db",
        "postgresql://user:s3cr3t@127.0.0.1:notaport/db",
        "host=127.0.0.1 password='s3cr3t",
        "postgresql://user:s3cr3t@[::1/db",
    ],
)
def test_malformed_url_is_a_clear_error_without_the_password(url):
    with pytest.raises(ExportError) as info:
        connect(ExportConfig(url, connect_timeout_seconds=2))
    assert "SUPABASE_DB_URL" in str(info.value) or "cannot connect" in str(info.value)
    assert "s3cr3t" not in str(info.value)


def test_unreachable_server_names_host_and_port_only():
    port = _closed_port()
    with pytest.raises(ExportError) as info:
        connect(ExportConfig(f"postgresql://eve:s3cr3t@127.0.0.1:{port}/eve", connect_timeout_seconds=2))
    message = str(info.value)
    assert f"127.0.0.1:{port}/eve" in message and "s3cr3t" not in message


def test_missing_database_and_wrong_user_are_clear(pg_url):
    with pytest.raises(ExportError, match="does not exist"):
        connect(ExportConfig(pg_url + "_missing"))
    with pytest.raises(ExportError, match="cannot connect"):
        connect(ExportConfig(pg_url.replace("postgres@", "nobody_here:pw@")))


def test_unset_or_blank_url_means_skip(monkeypatch):
    assert ExportConfig.from_settings(PipelineSettings()) is None
    monkeypatch.setenv("SUPABASE_DB_URL", "   ")
    assert ExportConfig.from_settings(PipelineSettings()) is None
    monkeypatch.setenv("SUPABASE_DB_URL", "postgresql://u:p@db.example:6543/postgres")
    monkeypatch.setenv("EXPORT_BATCH_SIZE", "123")
    config = ExportConfig.from_settings(PipelineSettings())
    assert config is not None and config.batch_size == 123 and config.target == "db.example:6543/postgres"
    assert "p@db" not in repr(config)


@pytest.mark.parametrize("kwargs", [{"batch_size": 0}, {"connect_timeout_seconds": 0}])
def test_bad_numbers_are_rejected(kwargs):
    with pytest.raises(ExportError):
        ExportConfig("postgresql://127.0.0.1/x", **kwargs)


def test_source_column_missing_in_postgres_is_a_clear_error(warehouse_path, pg_url):
    from pipelines.exports.schema import apply_schema
    from pipelines.exports.tables import ONT_LEADS
    from pipelines.exports.upsert import export_table
    from tests.support.exports import write_marts
    from tests.support.warehouse import connect as warehouse_connection

    write_marts(warehouse_path, leads=2, calls=0)
    with warehouse_connection(warehouse_path) as duck, connect(ExportConfig(pg_url)) as pg:
        apply_schema(pg)
        pg.execute("ALTER TABLE ont_leads DROP COLUMN captured_email")
        with pytest.raises(ExportError, match="captured_email"):
            export_table(duck, pg, ONT_LEADS)


def test_missing_marts_is_a_clear_error(warehouse_path, pg_url):
    from pipelines.exports.schema import apply_schema
    from pipelines.exports.tables import ONT_CALLS
    from pipelines.exports.upsert import export_table
    from tests.support.warehouse import connect as warehouse_connection

    with warehouse_connection(warehouse_path) as duck, connect(ExportConfig(pg_url)) as pg:
        apply_schema(pg)
        with pytest.raises(ExportError, match="ont_calls: its mart is not built yet"):
            export_table(duck, pg, ONT_CALLS)
