"""Fixtures every test folder may use: the warehouse backends (`tests/support/lake.py`)."""

from tests.support.lake import lake_database, warehouse_backend

__all__ = ["lake_database", "warehouse_backend"]
