"""The data half of Eve: the Dagster code location `pipelines` and what it is built from.

Rooms, bottom to top (docs/architecture.md; tests/deploy/test_import_graph.py keeps the direction):
`platform/` (settings, resources, catalog, conventions, SQL, metadata, serving copy), the domain
libraries `leads/`, `synthetic/`, `retell/`, `landing/`, `journeys/`, `reports/` (pure Python +
SQL), then `assets/<domain>/` (outside this package: each domain's Dagster definitions),
`definitions.py` (the code location) and `commands/` (what `make` runs).
"""
