"""Lead factory benchmark: N lead rows as CSV → ingest → staging → score → queue, through the real assets.

    .venv/bin/python bench/leads.py                 # 1,000,000 rows (the floor: <= 20 s, <= 2 GiB)
    .venv/bin/python bench/leads.py --rows 100000   # quicker while developing
    .venv/bin/python bench/leads.py --backend ducklake  # the assets on DuckLake (PostgreSQL 127.0.0.1:5432)

Generates a deterministic CSV (mixed phone formats incl. extensions and junk, keywords, states,
numbers, some bad values) into bench/out/, then times `dg.materialize` of the lead assets on a
fresh warehouse and reports wall time, CPU seconds, peak RSS of this process, the machine's load
average (other work on the same cores inflates wall time) and the per-asset step times.
`make leads` itself (start-up, queue CSV, serving publish included) is timed by bench/make_leads.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GENERATE_SQL = """
COPY (
    SELECT
        'Biz ' || i || ' ' || (['Dental', 'Med Spa', 'Plastic Surgery', 'Auto Repair', 'Bakery', 'Dermatology',
                                'Accidental Insurance', 'Orthodontics', 'Law Office', 'Botox Bar'])[1 + i % 10]
            AS business_name,
        CASE i % 7
            WHEN 0 THEN '(' || a || ') ' || b || '-' || c
            WHEN 1 THEN a || '.' || b || '.' || c
            WHEN 2 THEN '+1 ' || a || ' ' || b || ' ' || c
            WHEN 3 THEN a || b || c
            WHEN 4 THEN '1-' || a || '-' || b || '-' || c
            WHEN 5 THEN a || '-' || b || '-' || c || CASE WHEN i % 1000 = 5 THEN ' x12' ELSE '' END
            ELSE CASE WHEN i % 500 = 6 THEN 'n/a' ELSE a || b || c END
        END AS phone,
        CASE WHEN i % 3 = 0 THEN '' ELSE 'https://www.biz' || i || '.example.com/' END AS website,
        CASE i % 4 WHEN 0 THEN '' WHEN 1 THEN 'info@biz' || i || '.example.com'
                   ELSE 'owner' || i || '@biz' || i || '.example.com' END AS email,
        (['Dallas', 'Austin', 'Miami', 'Pensacola', 'Los Angeles', 'El Paso', 'Denver', 'Phoenix'])[1 + i % 8] AS city,
        (['TX', 'Texas', 'FL', 'Florida', 'CA', 'TX', 'CO', 'AZ'])[1 + i % 8] AS state,
        (['dental clinic', 'medical spa', 'plastic surgeon', 'auto shop', 'bakery'])[1 + i % 5] AS category,
        CASE WHEN i % 2 = 0 THEN 'yes' ELSE 'no' END AS ad_active,
        CASE WHEN i % 999 = 1 THEN 'lots' ELSE ((i * 7919) % 5000)::VARCHAR END AS google_ads_monthly,
        ((i * 31) % 40)::VARCHAR AS employee_count,
        ((i * 17) % 300)::VARCHAR AS reviews_count,
        (3.0 + ((i * 13) % 21) / 10.0)::VARCHAR AS rating,
        CASE WHEN i % 5 = 0 THEN 'missed calls at lunch' ELSE '' END AS pain_signals
    FROM (
        SELECT i,
               (200 + (i * 7) % 800)::VARCHAR AS a,
               lpad(((i * 13) % 1000)::VARCHAR, 3, '0') AS b,
               lpad((i % 10000)::VARCHAR, 4, '0') AS c
        FROM range(?) AS t(i)
    )
) TO '{path}' (HEADER, DELIMITER ',')
"""


def generate(path: Path, rows: int) -> float:
    import duckdb

    started = time.perf_counter()
    conn = duckdb.connect()
    # the path comes from this script (bench/out), not from user input
    conn.execute(GENERATE_SQL.format(path=str(path).replace("'", "''")), [rows])
    conn.close()
    return time.perf_counter() - started


def benchmark_csv(rows: int) -> Path:
    """bench/out/leads_<rows>.csv, generated on first use (shared with bench/make_leads.py)."""
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / f"leads_{rows}.csv"
    if not csv_path.exists():
        print(f"generating {rows:,} rows → {csv_path} ({generate(csv_path, rows):.1f} s)", flush=True)
    return csv_path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated CSV and warehouse")
    parser.add_argument("--backend", choices=("embedded", "ducklake"), default="embedded")
    args = parser.parse_args()

    out_dir = ROOT / "bench" / "out"
    csv_path = benchmark_csv(args.rows)
    work = Path(tempfile.mkdtemp(prefix="bench_leads_", dir=out_dir))
    os.environ["DATA_DIR"] = str(work / "data")
    os.environ["WAREHOUSE_PATH"] = str(work / "data" / "warehouse.duckdb")
    (work / "data" / "inbox" / "dnc").mkdir(parents=True)
    database = None
    if args.backend == "ducklake":
        from bench.make_leads import admin_sql

        database = f"eve_bench_leads_{os.getpid()}"
        admin_sql(f'DROP DATABASE IF EXISTS "{database}"')
        admin_sql(f'CREATE DATABASE "{database}"')
        os.environ["WAREHOUSE_URL"] = f"ducklake:postgres:host=127.0.0.1 port=5432 user=postgres dbname={database}"
        os.environ["WAREHOUSE_DATA_PATH"] = str(work / "lake")
    else:
        os.environ.pop("WAREHOUSE_URL", None)

    import dagster as dg

    import assets.leads.assets as leads
    from pipelines.platform.resources import build_resources
    from pipelines.platform.settings import PipelineSettings

    settings = PipelineSettings()
    chosen = [
        leads.lead_records,
        leads.dnc_entries,
        leads.staged_leads,
        leads.suppression_list,
        leads.lead_scores,
        leads.qualified_leads,
        leads.call_queue,
        leads.lead_summary,
    ]
    run_config = {
        "ops": {"lead_records": {"config": {"paths": [str(csv_path)]}}},
        "loggers": {"console": {"config": {"log_level": "WARNING"}}},
    }
    load_before = os.getloadavg()[0]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    result = dg.materialize(chosen, resources=build_resources(settings), run_config=run_config)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    steps = {}
    for event in result.all_events:
        if event.event_type_value == "STEP_SUCCESS":
            steps[event.step_key] = round(event.event_specific_data.duration_ms / 1000, 2)
    from pipelines.platform.warehouse import open_warehouse

    with open_warehouse(settings, read_only=True) as conn:
        summary = conn.execute(
            "SELECT records_loaded, records_rejected, leads_scored, qualified, queued FROM marts.lead_summary"
        ).fetchone()
    if database:
        from bench.make_leads import admin_sql

        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    report = {
        "rows": args.rows,
        "backend": args.backend,
        "success": result.success,
        "wall_seconds": round(wall, 2),
        "peak_rss_mib": round(peak_rss_mib, 1),
        "cpu_seconds": round(cpu_seconds, 2),
        "cpu_count": os.cpu_count(),
        "load_avg_1m_before": round(load_before, 2),
        "load_avg_1m_after": round(os.getloadavg()[0], 2),
        "records_loaded": summary[0],
        "records_rejected": summary[1],
        "leads_scored": summary[2],
        "qualified": summary[3],
        "queued": summary[4],
        "steps_seconds": steps,
    }
    print(json.dumps(report, indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    floor_ok = wall <= 20 and peak_rss_mib <= 2048
    print(f"floor (<= 20 s, <= 2048 MiB at 1M rows): {'met' if floor_ok else 'NOT met'}")
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
