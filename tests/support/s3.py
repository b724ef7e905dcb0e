"""A real S3 server on loopback (moto's `ThreadedMotoServer`) and DuckLakes whose data lives in it.

`s3_server` (session): moto on 127.0.0.1 at a free port, an IAM user with an `s3:*` policy and its
access key, temporary credentials (key, secret, session token) of a role with the same policy, then
request authentication switched on (`/moto-api/reset-auth 0`): from there every
request must carry a valid SigV4 signature of that key, so a wrong secret is refused with
SignatureDoesNotMatch exactly as AWS does. At the end authentication is switched off again and the
server stopped.

`s3_lake` (per test): a fresh bucket and a DuckLake on it — the catalog in the session's PostgreSQL
database (`lake_database`, a schema per test), `WAREHOUSE_DATA_PATH=s3://<bucket>/lake`, the
`WAREHOUSE_S3_*` settings set in the environment as a deployment would set them (path-style URLs,
plain HTTP on loopback). Every `PipelineSettings()` and every subprocess then picks that lake.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import httpx
import pytest

from pipelines.platform.warehouse import forget_lakes
from tests.support.lake import lake_url

REGION = "us-east-1"
ALLOW_S3 = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
TRUST_ANYONE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
}


@dataclass(frozen=True)
class S3Server:
    """The running server, the key it accepts and temporary (STS) credentials of a role with S3 access."""

    host: str
    port: int
    key_id: str
    secret: str
    temporary: dict[str, str]

    @property
    def endpoint(self) -> str:
        return f"{self.host}:{self.port}"

    def client(self, secret: str | None = None) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=f"http://{self.endpoint}",
            aws_access_key_id=self.key_id,
            aws_secret_access_key=self.secret if secret is None else secret,
            region_name=REGION,
        )

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", []))


@dataclass(frozen=True)
class S3Lake:
    """A DuckLake with its data in a bucket of `server`; `env` is what the fixture set."""

    server: S3Server
    bucket: str
    env: dict[str, str]

    @property
    def data_path(self) -> str:
        return f"s3://{self.bucket}/lake"

    def parquet_keys(self) -> list[str]:
        return [key for key in self.server.keys(self.bucket, "lake/") if key.endswith(".parquet")]


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    base = f"http://{host}:{port}"
    try:
        anonymous = {"endpoint_url": base, "region_name": REGION}
        iam = boto3.client("iam", aws_access_key_id="setup", aws_secret_access_key="setup", **anonymous)
        iam.create_user(UserName="eve-lake")
        iam.put_user_policy(UserName="eve-lake", PolicyName="s3", PolicyDocument=json.dumps(ALLOW_S3))
        key = iam.create_access_key(UserName="eve-lake")["AccessKey"]
        role = iam.create_role(RoleName="eve-lake-role", AssumeRolePolicyDocument=json.dumps(TRUST_ANYONE))["Role"]
        iam.put_role_policy(RoleName="eve-lake-role", PolicyName="s3", PolicyDocument=json.dumps(ALLOW_S3))
        sts = boto3.client(
            "sts", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], **anonymous
        )
        temporary = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="eve-test")["Credentials"]
        httpx.post(f"{base}/moto-api/reset-auth", content=b"0", timeout=10).raise_for_status()
        yield S3Server(
            host=host,
            port=port,
            key_id=key["AccessKeyId"],
            secret=key["SecretAccessKey"],
            temporary={k: temporary[k] for k in ("AccessKeyId", "SecretAccessKey", "SessionToken")},
        )
    finally:
        forget_lakes()
        httpx.post(f"{base}/moto-api/reset-auth", content=b"inf", timeout=10)
        server.stop()


def s3_env(server: S3Server, data_path: str, secret: str | None = None) -> dict[str, str]:
    """The `WAREHOUSE_S3_*` settings a deployment on this server sets (``secret`` overrides the key's)."""
    return {
        "WAREHOUSE_DATA_PATH": data_path,
        "WAREHOUSE_S3_ACCESS_KEY_ID": server.key_id,
        "WAREHOUSE_S3_SECRET_ACCESS_KEY": server.secret if secret is None else secret,
        "WAREHOUSE_S3_REGION": REGION,
        "WAREHOUSE_S3_ENDPOINT": server.endpoint,
        "WAREHOUSE_S3_URL_STYLE": "path",
        "WAREHOUSE_S3_USE_SSL": "false",
    }


@pytest.fixture
def s3_lake(s3_server: S3Server, lake_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[S3Lake]:
    bucket = f"eve-lake-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(Bucket=bucket)
    env = {
        "WAREHOUSE_URL": lake_url(lake_database),
        "WAREHOUSE_METADATA_SCHEMA": f"t_{uuid.uuid4().hex[:12]}",
        **s3_env(s3_server, f"s3://{bucket}/lake"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        yield S3Lake(server=s3_server, bucket=bucket, env=env)
    finally:
        forget_lakes()
