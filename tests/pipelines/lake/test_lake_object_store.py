"""A DuckLake whose data lives in object storage (`WAREHOUSE_DATA_PATH=s3://bucket/lake`), on a real
S3 server on loopback (moto with SigV4 authentication on, `tests/support/s3.py`).

Writes through `open_warehouse` land as Parquet objects in the bucket (nothing on local disk); a
second process attaches the same lake and reads the committed rows; the lead factory materializes
on it; `make sql` reads it with the S3 secret piped in, never on its command line; a wrong secret or
a missing bucket is one line at attach that names neither the key nor the secret.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.commands.sql_shell import lake_cli_argv, lake_init_sql
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import WarehouseUnavailable, forget_lakes, open_warehouse
from tests.support.leads import lead_environment, lead_row, materialize_leads, write_jsonl

READ_BACK = (
    "from pipelines.platform.settings import PipelineSettings\n"
    "from pipelines.platform.warehouse import open_warehouse\n"
    "with open_warehouse(PipelineSettings(), read_only=True) as conn:\n"
    "    print(conn.execute('SELECT count(*), sum(i) FROM raw.probe').fetchone())\n"
)


def _write_probe(rows: int) -> None:
    with open_warehouse(PipelineSettings()) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
        conn.execute(
            f"CREATE OR REPLACE TABLE raw.probe AS SELECT range AS i, md5(range::VARCHAR) AS h FROM range({rows})"
        )


def test_writes_land_in_the_bucket_and_another_process_reads_them(s3_lake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a data path parsed as a local Path would show up here as ./s3:/…
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    settings = PipelineSettings()
    assert settings.lake is not None and settings.lake.data_path == s3_lake.data_path
    _write_probe(50_000)

    keys = s3_lake.parquet_keys()
    assert keys and all(key.startswith("lake/raw/probe/ducklake-") for key in keys), keys
    assert not any(tmp_path.rglob("*.parquet")) and not (tmp_path / "s3:").exists()
    assert not (tmp_path / "data" / "lake").exists()

    done = subprocess.run([sys.executable, "-c", READ_BACK], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str((50_000, sum(range(50_000))))


def test_a_wrong_secret_is_one_line_at_attach_without_any_key(s3_lake, monkeypatch):
    _write_probe(100)
    forget_lakes()
    wrong = "wrong" + s3_lake.server.secret[5:]
    monkeypatch.setenv("WAREHOUSE_S3_SECRET_ACCESS_KEY", wrong)
    for read_only in (False, True):
        with pytest.raises(WarehouseUnavailable) as caught:
            open_warehouse(PipelineSettings(), read_only=read_only)
        message = str(caught.value)
        assert len(message.splitlines()) == 1, message
        assert message.startswith(f"cannot open the warehouse DuckLake (data {s3_lake.data_path}")
        assert "403" in message and "SignatureDoesNotMatch" in message, message
        for secret in (wrong, s3_lake.server.secret, s3_lake.server.key_id, "password"):
            assert secret not in message


def test_a_missing_bucket_is_one_line_at_attach(s3_lake, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DATA_PATH", "s3://eve-no-such-bucket/lake")
    with pytest.raises(WarehouseUnavailable) as caught:
        open_warehouse(PipelineSettings())
    message = str(caught.value)
    assert len(message.splitlines()) == 1 and "NoSuchBucket" in message, message
    assert s3_lake.server.secret not in message


def test_the_lead_factory_materializes_on_s3(s3_lake, tmp_path):
    with lead_environment(tmp_path) as settings:
        rows = [
            lead_row(lead_id=f"s3-{i}", business_name=f"Dental {i}", phone=f"214-302-{3000 + i:04d}", ad_active="yes")
            for i in range(25)
        ]
        inbox = write_jsonl(settings.lead_inbox_dir / "s3.jsonl", rows)
        assert materialize_leads(PipelineSettings(), paths=[inbox]).success
        with open_warehouse(PipelineSettings(), read_only=True) as conn:
            assert conn.execute("SELECT count(*) FROM staging.leads").fetchone()[0] == 25
            tables = {row[0] for row in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert {"leads", "lead_scores", "call_queue"} <= tables
    assert any(key.startswith("lake/staging/leads/") for key in s3_lake.parquet_keys())
    assert not (Path(settings.data_dir) / "lake").exists()


def test_make_sql_reads_the_bucket_with_the_secret_piped_not_on_the_command_line(s3_lake, tmp_path):
    _write_probe(1_000)
    location = PipelineSettings().lake
    script = lake_init_sql(location)
    assert "httpfs" in script and "CREATE OR REPLACE TEMPORARY SECRET" in script
    argv = lake_cli_argv(location, ["-c", "SELECT 1"])
    assert s3_lake.server.secret not in " ".join(argv) and s3_lake.server.key_id not in " ".join(argv)

    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.commands.sql_shell", "-csv", "-c", "SELECT count(*) AS n FROM raw.probe"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["n", "1000"]
    assert f"reading DuckLake (data {s3_lake.data_path}" in done.stderr
    assert s3_lake.server.secret not in done.stderr + done.stdout
    piped = subprocess.run(  # statements on stdin, as an analyst pipes a file: the secret's "Success" row stays out
        [sys.executable, "-m", "pipelines.commands.sql_shell", "-csv"],
        input="SELECT sum(i) AS s FROM raw.probe;\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.split() == ["s", str(sum(range(1_000)))]

    env["WAREHOUSE_S3_SECRET_ACCESS_KEY"] = "not-the-secret"
    refused = subprocess.run(
        [sys.executable, "-m", "pipelines.commands.sql_shell", "-c", "SELECT 1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1
    assert len(refused.stderr.strip().splitlines()) == 1 and "SignatureDoesNotMatch" in refused.stderr
    assert "not-the-secret" not in refused.stderr


def test_housekeeping_deletes_expired_files_from_the_bucket(s3_lake):
    _write_probe(1_000)
    first = set(s3_lake.parquet_keys())
    _write_probe(2_000)  # CREATE OR REPLACE: the first table's files belong to an older snapshot only
    assert first < set(s3_lake.parquet_keys())
    with open_warehouse(PipelineSettings()) as conn:
        conn.execute("CALL ducklake_expire_snapshots('lake', older_than => now() + INTERVAL 1 SECOND)")
        conn.execute("CALL ducklake_cleanup_old_files('lake', cleanup_all => true)")
        assert conn.execute("SELECT count(*) FROM raw.probe").fetchone()[0] == 2_000
    assert not first & set(s3_lake.parquet_keys()) and s3_lake.parquet_keys()


def test_temporary_credentials_with_a_session_token_work_and_are_needed(s3_lake, monkeypatch):
    _write_probe(100)
    forget_lakes()
    temporary = s3_lake.server.temporary
    monkeypatch.setenv("WAREHOUSE_S3_ACCESS_KEY_ID", temporary["AccessKeyId"])
    monkeypatch.setenv("WAREHOUSE_S3_SECRET_ACCESS_KEY", temporary["SecretAccessKey"])
    monkeypatch.setenv("WAREHOUSE_S3_SESSION_TOKEN", temporary["SessionToken"])
    _write_probe(200)  # writes a new Parquet object with the role's credentials
    with open_warehouse(PipelineSettings(), read_only=True) as conn:
        assert conn.execute("SELECT count(*), max(h) IS NOT NULL FROM raw.probe").fetchone() == (200, True)
    forget_lakes()
    monkeypatch.delenv("WAREHOUSE_S3_SESSION_TOKEN")
    with pytest.raises(WarehouseUnavailable) as caught:
        open_warehouse(PipelineSettings(), read_only=True)
    message = str(caught.value)
    assert "403" in message and len(message.splitlines()) == 1
    assert temporary["SecretAccessKey"] not in message and temporary["AccessKeyId"] not in message
