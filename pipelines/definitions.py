"""The Dagster code location `pipelines`: every asset, check, job, sensor and schedule, by domain.

Each domain keeps its assets (and asset checks) in `assets/<domain>.py` and its jobs, sensors and
schedules in `pipelines/automation/<domain>.py` (exporting JOBS, SENSORS, SCHEDULES). Nothing here
opens a connection: resources connect only inside asset bodies.
"""

from __future__ import annotations

import importlib
import pkgutil

import dagster as dg

from pipelines.resources import build_resources

# Domains in lineage order; any other module found in `assets/` or `pipelines/automation/` is
# loaded too (after these), so a new domain only has to add its files.
DOMAINS = ["leads", "synthetic", "calls", "journeys", "revenue_ops", "prompts", "campaign", "exports", "serving"]


def _discovered_domains() -> list[str]:
    import assets
    import pipelines.automation

    found = {
        m.name
        for pkg in (assets, pipelines.automation)
        for m in pkgutil.iter_modules(pkg.__path__)
        if not m.name.startswith("_")
    }
    return DOMAINS + sorted(found - set(DOMAINS))


def _optional(module_name: str):
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise


def _collect():
    asset_modules, jobs, sensors, schedules = [], [], [], []
    for domain in _discovered_domains():
        assets_module = _optional(f"assets.{domain}")
        if assets_module is not None:
            asset_modules.append(assets_module)
        automation = _optional(f"pipelines.automation.{domain}")
        if automation is not None:
            jobs += list(getattr(automation, "JOBS", []))
            sensors += list(getattr(automation, "SENSORS", []))
            schedules += list(getattr(automation, "SCHEDULES", []))
    return asset_modules, jobs, sensors, schedules


_asset_modules, _jobs, _sensors, _schedules = _collect()

defs = dg.Definitions(
    assets=dg.load_assets_from_modules(_asset_modules),
    asset_checks=dg.load_asset_checks_from_modules(_asset_modules),
    jobs=_jobs,
    sensors=_sensors,
    schedules=_schedules,
    resources=build_resources(),
    # Every step of a run in the run's own process, one after another: the embedded DuckDB file takes
    # one writer at a time anyway, and a subprocess per step (the multiprocess default) cost a
    # Dagster import each plus a wait on the `duckdb_write` pool (docs/benchmarks.md, UI-launched runs).
    executor=dg.in_process_executor,
)
