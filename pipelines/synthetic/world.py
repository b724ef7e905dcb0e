"""The whole synthetic world in one call each: land the calls, count what was landed.

`land_calls(config, data_dir)` plans every call, then renders and writes them day file by day
file (flat memory at any size), tallying scenarios and expected outcomes for the asset's metadata
and the benchmark. Large worlds are rendered by `workers` processes, each owning whole UTC days;
every call depends only on (config, its plan, its clinic), so the bytes are the same for any
number of workers (tested).

A dot-file manifest (`.world.json`, ignored by the landing scanners) records the fingerprint of
the world (config + the generator's and vocabularies' source code) and each day file's size and
mtime. When the same world is asked for again and every file is still exactly as written, nothing
is regenerated: the landing zone is already byte-identical to what generation would produce.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from contracts.atomic import atomic_write_text
from pipelines.synthetic.calls import render_call
from pipelines.synthetic.clinics import Clinic, generate_clinics
from pipelines.synthetic.config import SyntheticConfig
from pipelines.synthetic.planning import CallPlan, plan_calls
from pipelines.synthetic.scenarios import expected_outcome
from pipelines.synthetic.writers import (
    DayFile,
    LandingReport,
    remove_stale_days,
    synthetic_landing_dir,
    utc_day,
)

PARALLEL_FROM_CALLS = 20_000  # below this, process start-up costs more than it saves
MANIFEST_NAME = ".world.json"
_SOURCE_PACKAGES = (Path(__file__).resolve().parent, Path(__file__).resolve().parents[2] / "vocabulary")
_source_digest_cache: list[str] = []


@dataclass
class LandedCalls:
    report: LandingReport
    scenarios: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)


def default_workers(n_calls: int) -> int:
    return 1 if n_calls < PARALLEL_FROM_CALLS else max(1, min(2, os.cpu_count() or 1))


def _land_days(
    config: SyntheticConfig, clinics: list[Clinic], days: list[tuple[str, list[CallPlan]]], root: Path
) -> tuple[dict[str, dict], Counter]:
    """Render and write whole days; returns {day: file report} and scenario counts."""
    files: dict[str, dict] = {}
    scenarios: Counter = Counter()
    for day, plans in days:
        writer = DayFile(root, day)
        try:
            for plan in plans:
                line, _truth = render_call(config, plan, clinics[plan.lead])
                writer.add(line)
                scenarios[plan.scenario] += 1
        except BaseException:
            writer.abort()
            raise
        files[day] = writer.commit()
    return files, scenarios


def _balanced(days: list[tuple[str, list[CallPlan]]], workers: int) -> list[list[tuple[str, list[CallPlan]]]]:
    shares: list[list] = [[] for _ in range(workers)]
    loads = [0] * workers
    for day, plans in sorted(days, key=lambda item: (-len(item[1]), item[0])):
        target = loads.index(min(loads))
        shares[target].append((day, plans))
        loads[target] += len(plans)
    return [sorted(share) for share in shares if share]


def _outcomes(scenarios: Counter) -> Counter:
    outcomes: Counter = Counter()
    for scenario, count in scenarios.items():
        outcomes[expected_outcome(scenario)] += count
    return outcomes


def _source_digest() -> str:
    """SHA-256 of the generator's and the vocabularies' source: any code change is a new world."""
    if not _source_digest_cache:
        digest = hashlib.sha256()
        for package in _SOURCE_PACKAGES:
            for path in sorted(package.rglob("*.py")):
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
        _source_digest_cache.append(digest.hexdigest())
    return _source_digest_cache[0]


def world_fingerprint(config: SyntheticConfig) -> str:
    text = json.dumps(
        {
            "seed": config.seed,
            "as_of": config.as_of_text,
            "n_clinics": config.n_clinics,
            "n_calls": config.n_calls,
            "days": config.days,
            "source": _source_digest(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _reuse(root: Path, fingerprint: str) -> LandedCalls | None:
    """The landed world described by the manifest, if it is this world and untouched; else None."""
    try:
        manifest = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
        if manifest.get("fingerprint") != fingerprint:
            return None
        files = manifest["files"]
        on_disk = {entry.name for entry in root.iterdir() if entry.is_dir() and not entry.name.startswith(".")}
        if on_disk != set(files):
            return None
        for day, info in files.items():
            stat = (root / day / "calls.jsonl").stat()
            if (stat.st_size, stat.st_mtime_ns) != (info["bytes"], info["mtime_ns"]):
                return None
        scenarios = Counter({str(k): int(v) for k, v in manifest["scenarios"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    report = LandingReport(root=root)
    report.files = {
        day: {"path": str(root / day / "calls.jsonl"), "calls": info["calls"], "bytes": info["bytes"], "written": False}
        for day, info in sorted(files.items())
    }
    return LandedCalls(report=report, scenarios=scenarios, outcomes=_outcomes(scenarios))


def _write_manifest(root: Path, fingerprint: str, landed: LandedCalls) -> None:
    files = {}
    for day, info in landed.report.files.items():
        stat = Path(info["path"]).stat()
        files[day] = {"calls": info["calls"], "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    text = json.dumps(
        {"fingerprint": fingerprint, "files": files, "scenarios": dict(sorted(landed.scenarios.items()))},
        sort_keys=True,
        indent=1,
    )
    atomic_write_text(root / MANIFEST_NAME, text)


def land_calls(
    config: SyntheticConfig,
    data_dir: Path | str,
    clinics: list[Clinic] | None = None,
    workers: int | None = None,
    reuse: bool = True,
) -> LandedCalls:
    """Generate and write every call of the world; idempotent (see `writers`). With ``reuse``, an
    untouched landing of the very same world (manifest check) is kept without regenerating."""
    root = synthetic_landing_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    fingerprint = world_fingerprint(config)
    if reuse:
        kept = _reuse(root, fingerprint)
        if kept is not None:
            return kept
    (root / MANIFEST_NAME).unlink(missing_ok=True)  # never a stale manifest beside new files
    clinics = clinics if clinics is not None else generate_clinics(config.seed, config.n_clinics)
    by_day: dict[str, list[CallPlan]] = {}
    for plan in plan_calls(config, clinics):
        by_day.setdefault(utc_day(plan.start_ms), []).append(plan)
    days = sorted(by_day.items())
    workers = default_workers(config.n_calls) if workers is None else max(1, workers)

    if workers == 1 or len(days) < 2:
        results = [_land_days(config, clinics, days, root)]
    else:
        shares = _balanced(days, workers)
        context = multiprocessing.get_context("spawn")  # no fork of a threaded (Dagster) process
        with ProcessPoolExecutor(max_workers=len(shares), mp_context=context) as pool:
            futures = [pool.submit(_land_days, config, clinics, share, root) for share in shares]
            results = [future.result() for future in futures]

    report = LandingReport(root=root)
    scenarios: Counter = Counter()
    for files, counts in results:
        report.files.update(files)
        scenarios.update(counts)
    report.files = dict(sorted(report.files.items()))
    report.removed_days = remove_stale_days(root, set(report.files))
    landed = LandedCalls(report=report, scenarios=scenarios, outcomes=_outcomes(scenarios))
    _write_manifest(root, fingerprint, landed)
    return landed
