"""The Dagster code location `pipelines`: every domain's definitions, listed explicitly.

Each domain keeps its assets, checks, jobs, sensors and schedules together in `assets/<domain>/`,
exporting `definitions(settings)`. `DOMAINS` is the whole list, in lineage order: a missing or
broken domain package stops the code location from loading with a clear error (never a silent
skip). Nothing here opens a connection: resources connect only inside asset bodies.
"""

from __future__ import annotations

import importlib

import dagster as dg

from pipelines.platform.pools import warehouse_executor
from pipelines.platform.resources import build_resources
from pipelines.platform.settings import PipelineSettings

DOMAINS = ("synthetic", "leads", "calls", "journeys", "revenue_ops", "campaigns", "prompts", "exports", "serving")


class DomainLoadError(RuntimeError):
    """A domain listed in DOMAINS could not be loaded."""


def domain_definitions(domain: str, settings: PipelineSettings) -> dg.Definitions:
    try:
        package = importlib.import_module(f"assets.{domain}")
    except ModuleNotFoundError as exc:
        raise DomainLoadError(f"domain {domain!r} is listed in DOMAINS but assets/{domain}/ is missing: {exc}") from exc
    build = getattr(package, "definitions", None)
    if build is None:
        raise DomainLoadError(f"assets/{domain}/__init__.py does not export definitions(settings)")
    return build(settings)


def build_definitions(settings: PipelineSettings, domains: tuple[str, ...] = DOMAINS) -> dg.Definitions:
    """All domains' definitions merged, with the resources built from ``settings``."""
    return dg.Definitions.merge(
        *(domain_definitions(domain, settings) for domain in domains),
        dg.Definitions(
            resources=build_resources(settings),
            # Every step of a run in the run's own process, one after another: a subprocess per step
            # cost a Dagster import each plus a wait on the `duckdb_write` pool. On DuckLake,
            # WAREHOUSE_PARALLEL_STEPS=true runs independent steps in parallel processes
            # (pipelines/platform/pools.py; docs/benchmarks.md, UI-launched runs).
            executor=warehouse_executor(settings),
        ),
    )


defs = build_definitions(PipelineSettings())
