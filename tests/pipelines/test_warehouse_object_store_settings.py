"""`WAREHOUSE_DATA_PATH` as a folder or an `s3://` URL, and the `WAREHOUSE_S3_*` settings: what is
accepted, what is refused (one line, at settings load, never echoing a credential), where the keys
go (a DuckDB secret, never the resource's config) and how messages are scrubbed of them."""

from __future__ import annotations

import duckdb
import pytest
from pydantic import SecretStr

from pipelines.platform.object_store import ObjectStore
from pipelines.platform.resources import build_resources
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import LakeLocation, unavailable

LAKE = "ducklake:postgres:host=127.0.0.1 dbname=eve"


@pytest.fixture
def lake_env(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WAREHOUSE_URL", LAKE)
    for name in list(PipelineSettings.model_fields):
        if name.startswith("warehouse_s3_") or name in ("warehouse_data_path", "warehouse_metadata_schema"):
            monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


def _refused(monkeypatch, **env: str) -> str:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError) as caught:
        PipelineSettings()
    return str(caught.value)


def test_local_folders_stay_as_they_were(lake_env, tmp_path):
    assert PipelineSettings().lake.data_path == str(tmp_path / "data" / "lake")
    lake_env.setenv("WAREHOUSE_DATA_PATH", f"{tmp_path}/lake/")
    location = PipelineSettings().lake
    assert location.data_path == str(tmp_path / "lake") and not location.in_object_store
    assert location.setup_sql() == [] and location.store is None  # no httpfs, no secret for a folder
    lake_env.setenv("WAREHOUSE_DATA_PATH", "relative/lake")
    assert PipelineSettings().lake.data_path == "relative/lake"


def test_an_s3_url_is_kept_whole_and_gets_httpfs_and_a_scoped_secret(lake_env):
    lake_env.setenv("WAREHOUSE_DATA_PATH", "s3://eve-data/warehouse/lake/")
    lake_env.setenv("WAREHOUSE_S3_ACCESS_KEY_ID", "AKIAEXAMPLE")
    lake_env.setenv("WAREHOUSE_S3_SECRET_ACCESS_KEY", "s3cr3t'quote")
    lake_env.setenv("WAREHOUSE_S3_ENDPOINT", "minio.internal:9000")
    lake_env.setenv("WAREHOUSE_S3_URL_STYLE", "path")
    settings = PipelineSettings()
    location = settings.lake
    assert location.data_path == "s3://eve-data/warehouse/lake" and location.in_object_store
    load, secret = location.setup_sql()
    assert load.startswith("LOAD '") and load.endswith("httpfs.duckdb_extension'")
    assert "TEMPORARY SECRET" in secret and "SCOPE 's3://eve-data/warehouse/lake'" in secret
    assert "SECRET 's3cr3t''quote'" in secret and "ENDPOINT 'minio.internal:9000'" in secret
    assert "URL_STYLE 'path'" in secret and "USE_SSL true" in secret
    assert "s3cr3t" not in repr(location) and "AKIAEXAMPLE" not in repr(location)
    with duckdb.connect() as conn:  # the statements are valid DuckDB (httpfs from its wheel, nothing downloaded)
        for statement in location.setup_sql():
            conn.execute(statement)
        assert conn.execute("SELECT name, scope FROM duckdb_secrets()").fetchall() == [
            ("eve_lake_s3", ["s3://eve-data/warehouse/lake"])
        ]
    config = build_resources(settings)["warehouse"]
    assert config.lake_data_path == "s3://eve-data/warehouse/lake"
    assert "s3cr3t" not in repr(config.model_dump()) and "AKIAEXAMPLE" not in repr(config.model_dump())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("s3://", "is not an S3 bucket name"),
        ("s3:///lake", "is not an S3 bucket name"),
        ("s3://Upper_Case/lake", "is not an S3 bucket name"),
        ("s3://ab", "is not an S3 bucket name"),
        ("s3://bucket//lake", "empty segment"),
        ("s3://bucket/lake?versionId=1", "s3://bucket/prefix only"),
        ("gs://bucket/lake", "gs:// is not supported"),
        ("r2://bucket/lake", "r2:// is not supported"),
        ("az://container/lake", "az:// is not supported"),
        ("https://bucket.s3.amazonaws.com/lake", "https:// is not supported"),
        ("file:///srv/lake", "file:// is not supported"),
    ],
)
def test_a_malformed_data_path_is_one_line_at_settings_load(lake_env, value, expected):
    message = _refused(lake_env, WAREHOUSE_DATA_PATH=value)
    assert expected in message and "WAREHOUSE_DATA_PATH" in message


def test_credentials_in_the_url_are_refused_without_echoing_them(lake_env):
    message = _refused(lake_env, WAREHOUSE_DATA_PATH="s3://AKIAX:hunter2@bucket/lake")
    assert "no credentials" in message and "hunter2" not in message and "AKIAX" not in message


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"WAREHOUSE_S3_ENDPOINT": "http://minio:9000"}, "host[:port] without scheme"),
        ({"WAREHOUSE_S3_ENDPOINT": "minio:9000/path"}, "host[:port] without scheme"),
        ({"WAREHOUSE_S3_URL_STYLE": "virtual"}, "'vhost' or 'path'"),
        ({"WAREHOUSE_S3_ACCESS_KEY_ID": "AKIAONLY"}, "set both or neither"),
        ({"WAREHOUSE_S3_SECRET_ACCESS_KEY": "hunter2"}, "set both or neither"),
    ],
)
def test_malformed_s3_settings_are_one_line_at_settings_load(lake_env, env, expected):
    message = _refused(lake_env, WAREHOUSE_DATA_PATH="s3://bucket/lake", **env)
    assert expected in message and "hunter2" not in message and "AKIAONLY" not in message


def test_unavailable_scrubs_every_credential_and_keeps_the_s3_error_code():
    store = ObjectStore(
        access_key_id=SecretStr("AKIAEXAMPLE"),
        secret_access_key=SecretStr("wJalrXUtnFEMI"),
        session_token=SecretStr("FwoGZXIvYXdzE"),
    )
    location = LakeLocation(url=LAKE, data_path="s3://bucket/lake", store=store)
    error = duckdb.HTTPException(
        "HTTP Error: HTTP GET error reading 's3://bucket/lake/.eve-probe' with AKIAEXAMPLE/wJalrXUtnFEMI/FwoGZXIvYXdzE"
        " (HTTP 403 Forbidden)\n\nSignatureDoesNotMatch: The request signature does not match.\n\nLINE 1: SELECT"
    )
    message = str(unavailable(location, error))
    assert len(message.splitlines()) == 1
    assert message.startswith("cannot open the warehouse DuckLake (data s3://bucket/lake)")
    assert "403 Forbidden" in message and "SignatureDoesNotMatch" in message
    for secret in ("AKIAEXAMPLE", "wJalrXUtnFEMI", "FwoGZXIvYXdzE"):
        assert secret not in message


def test_unavailable_scrubs_a_secret_also_as_quoted_in_sql():
    store = ObjectStore(access_key_id=SecretStr("AKIAEXAMPLE"), secret_access_key=SecretStr("ab'cd-secret"))
    location = LakeLocation(url=LAKE, data_path="s3://bucket/lake", store=store)
    error = duckdb.ParserException("Parser Error: syntax error at or near \"SECRET 'ab''cd-secret'\"\nDETAIL: x")
    message = str(unavailable(location, error))
    assert "cd-secret" not in message and "DETAIL" not in message and len(message.splitlines()) == 1


def test_a_bucket_without_prefix_is_accepted(lake_env):
    lake_env.setenv("WAREHOUSE_DATA_PATH", "s3://eve-data/")
    assert PipelineSettings().lake.data_path == "s3://eve-data"
