"""`python bench/prompt_stats.py [N]`: time `marts.prompt_version_stats` and the candidate builder.

Builds a DuckDB file with N answered calls of a version whose email ask has a challenger (the
fixture builder of tests/prompts), then times the stats SQL and the deterministic candidate.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.prompts.candidates import build_candidate  # noqa: E402
from pipelines.prompts.stats import build_prompt_version_stats, read_stats  # noqa: E402
from tests.support.prompt_stats import make_warehouse, simulated_calls, version_with_challengers  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    version = version_with_challengers()
    with tempfile.TemporaryDirectory(prefix="eve-prompt-bench-") as tmp:
        print(f"building {n} answered calls ...", flush=True)
        conn = make_warehouse(Path(tmp) / "w.duckdb", simulated_calls(version, n, base_rate=0.2, b_rate=0.3))
        started = time.perf_counter()
        rows = build_prompt_version_stats(conn, [version])
        stats_s = time.perf_counter() - started
        started = time.perf_counter()
        result = build_candidate(version, read_stats(conn), min_calls=250)
        candidate_ms = (time.perf_counter() - started) * 1000
        conn.close()
    print(f"{n} answered calls: stats {stats_s:.2f} s ({rows} rows); candidate {candidate_ms:.0f} ms ({result.reason})")


if __name__ == "__main__":
    main()
