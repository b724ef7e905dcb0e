"""Benchmark: the synthetic world at N calls — generation + writing the landing zone.

Default mode materializes the real `synthetic_world` asset (clinics and leads into a fresh DuckDB
file, calls into the landing zone) with `dg.materialize`; `--direct` times only
`pipelines.synthetic.world.land_calls` (generator → JSONL), the path other benchmarks use.
A second run checks the regeneration is byte-identical and reports its (no-rewrite) time.
Target: 100k calls ≤ 60 s on this machine.

    .venv/bin/python bench/synthetic.py --calls 100000 --clinics 5000
    .venv/bin/python bench/synthetic.py --calls 10000 --direct --json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("calls.jsonl")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _run_once(args, data_dir: Path) -> float:
    from pipelines.synthetic.config import SyntheticConfig
    from pipelines.synthetic.world import land_calls

    started = time.perf_counter()
    if args.direct:
        land_calls(
            SyntheticConfig.build(seed=args.seed, as_of=args.as_of, n_calls=args.calls, n_clinics=args.clinics),
            data_dir,
            workers=args.workers,
        )
    else:
        import dagster as dg

        from assets.synthetic.assets import synthetic_world
        from pipelines.platform.resources import build_resources
        from pipelines.platform.settings import PipelineSettings

        result = dg.materialize(
            [synthetic_world],
            resources=build_resources(PipelineSettings(warehouse_path=data_dir / "warehouse.duckdb")),
            run_config={
                "ops": {
                    "synthetic_world": {
                        "config": {
                            "seed": args.seed,
                            "as_of": args.as_of,
                            "n_calls": args.calls,
                            "n_clinics": args.clinics,
                        }
                    }
                }
            },
        )
        assert result.success
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--clinics", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--as-of", default="2026-01-15")
    parser.add_argument("--direct", action="store_true", help="time land_calls only (no Dagster, no DuckDB)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--workers", type=int, default=None, help="--direct only: render processes (default: 2 from 20k calls)"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench_synthetic_"))
    data_dir = workdir / "data"
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ.pop("WAREHOUSE_PATH", None)
    import logging

    logging.getLogger("dagster").setLevel(logging.WARNING)
    try:
        cpu0 = os.times()
        first_s = _run_once(args, data_dir)
        cpu1 = os.times()
        cpu_s = (
            cpu1.user
            + cpu1.system
            + cpu1.children_user
            + cpu1.children_system
            - cpu0.user
            - cpu0.system
            - cpu0.children_user
            - cpu0.children_system
        )  # incl. worker processes
        files = sorted((data_dir / "landing" / "retell_calls" / "synthetic").rglob("calls.jsonl"))
        size = sum(p.stat().st_size for p in files)
        lines = sum(1 for p in files for _ in p.open("rb"))
        digest = _digest(data_dir)
        again_s = _run_once(args, data_dir)
        identical = _digest(data_dir) == digest
        report = {
            "mode": "direct" if args.direct else "asset",
            "calls": args.calls,
            "clinics": args.clinics,
            "lines_written": lines,
            "day_files": len(files),
            "bytes": size,
            "wall_s": round(first_s, 2),
            "cpu_s": round(cpu_s, 2),
            "calls_per_s": round(args.calls / first_s) if first_s else None,
            "rerun_wall_s": round(again_s, 2),
            "rerun_identical": identical,
            "peak_rss_mib": round(_peak_rss_mib(), 1),
            "load_avg_1m": round(os.getloadavg()[0], 2),
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key:>16}: {value}")
    return 0 if report["lines_written"] == args.calls and report["rerun_identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
