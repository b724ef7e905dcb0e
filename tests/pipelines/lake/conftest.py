"""Fixtures of the DuckLake tests: besides the backends (tests/conftest.py), a real S3 server on
loopback and lakes whose data lives in it (`tests/support/s3.py`)."""

from tests.support.s3 import s3_lake, s3_server

__all__ = ["s3_lake", "s3_server"]
