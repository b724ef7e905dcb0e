"""A database of the test's own on the machine's PostgreSQL (127.0.0.1:5432, trust auth), dropped after."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from compose_helpers import PG_HOST, PG_PORT, PG_USER


def _admin() -> psycopg.Connection:
    return psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True, connect_timeout=5
    )


@pytest.fixture
def postgres_database() -> str:
    try:
        admin = _admin()
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL on {PG_HOST}:{PG_PORT} (bash .ci/ensure_postgres.sh starts it): {exc}")
    name = f"eve_deploy_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
