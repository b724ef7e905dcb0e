"""The Dagster code location `pipelines`: every asset, check, job, sensor and schedule, by domain.

Each domain keeps its assets (and asset checks) in `assets/<domain>.py` and its jobs, sensors and
schedules in `pipelines/automation/<domain>.py` (exporting JOBS, SENSORS, SCHEDULES). Nothing here
opens a connection: resources connect only inside asset bodies.
"""

from __future__ import annotations

import importlib

import dagster as dg

from pipelines.resources import build_resources

# Domains in lineage order. A module that does not exist yet is simply not loaded.
DOMAINS = ["leads", "synthetic", "calls", "journeys", "revenue_ops"]


def _optional(module_name: str):
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise


def _collect():
    asset_modules, jobs, sensors, schedules = [], [], [], []
    for domain in DOMAINS:
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
)
