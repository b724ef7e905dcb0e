"""`make demo` end to end, twice, on a fresh DATA_DIR: the real command as a child process (real
brain child, real simulated Retell, real DuckDB, real Dagster materializations). The printed
summary must equal what the warehouse says (read here with our own queries), and the second run —
the next simulated day — must not dial a number that asked not to be called on the first. The
end-to-end run goes on both backends (`warehouse_backend`; on DuckLake the demo's own catalog schema)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.campaigns.ledger import Ledger
from pipelines.commands.demo import demo_settings
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import open_warehouse

ROOT = Path(__file__).resolve().parents[3]
FIGURES = ("dialled", "connected", "emails captured", "DNC")


def run_demo(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    foreign = ("RETELL_", "SIM_", "GEMINI_", "DAGSTER_HOME", "WAREHOUSE_PATH", "SERVING_PATH")
    env = {k: v for k, v in os.environ.items() if not k.startswith(foreign)}
    env["DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "pipelines.commands.demo", "--leads", "12", "--concurrency", "4", "--seed", "7", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def printed(stdout: str) -> dict[str, int]:
    figures = {}
    for name in FIGURES:
        match = re.search(rf"^  {re.escape(name)} +(\d+)$", stdout, re.MULTILINE)
        assert match, f"summary line {name!r} missing in:\n{stdout}"
        figures[name] = int(match.group(1))
    return figures


def open_demo_warehouse(data_dir: Path):
    """The warehouse the demo in ``data_dir`` wrote (its file, or its own lake catalog schema), read-only."""
    return open_warehouse(demo_settings(PipelineSettings(data_dir=data_dir)), read_only=True)


def warehouse_figures(data_dir: Path, call_ids: list[str]) -> dict[str, int]:
    with open_demo_warehouse(data_dir) as conn:
        calls = conn.execute(
            "SELECT c.call_id, f.answered, f.email_captured, j.outcome FROM staging.calls c "
            "LEFT JOIN marts.call_features f USING (call_id) LEFT JOIN marts.customer_journeys j USING (call_id) "
            "WHERE list_contains($ids, c.call_id)",
            {"ids": call_ids},
        ).fetchall()
    return {
        "dialled": len(calls),
        "connected": sum(1 for _, answered, _, _ in calls if answered),
        "emails captured": sum(1 for _, answered, email, _ in calls if answered and email),
        "DNC": sum(1 for *_, outcome in calls if outcome == "dnc"),
    }


def dispatched_by_day(data_dir: Path) -> dict[str, list]:
    days: dict[str, list] = {}
    for attempt in Ledger(data_dir / "state").read_all():
        if attempt.campaign == "demo" and attempt.status == "dispatched":
            days.setdefault(str(attempt.local_day), []).append(attempt)
    return days


def dnc_numbers(data_dir: Path) -> set[str]:
    with open_demo_warehouse(data_dir) as conn:
        return {
            r[0]
            for r in conn.execute(
                "SELECT contact_number_e164 FROM marts.customer_journeys WHERE outcome = 'dnc'"
            ).fetchall()
        }


@pytest.mark.timeout(900)
def test_demo_twice_summary_is_the_warehouse_and_dnc_is_never_redialled(tmp_path, warehouse_backend):
    data_dir = tmp_path / "demo"
    first = run_demo(data_dir)
    assert first.returncode == 0, first.stdout + first.stderr
    days = dispatched_by_day(data_dir)
    assert len(days) == 1
    (day1,) = days
    first_calls = days[day1]
    assert printed(first.stdout) == warehouse_figures(data_dir, [a.call_id for a in first_calls])
    assert printed(first.stdout)["dialled"] == len(first_calls) > 0
    dnc_after_first = dnc_numbers(data_dir)
    assert dnc_after_first, "seed 7 casts at least one caller who says stop calling"
    assert (data_dir / "revenue_ops" / "latest.md").exists()
    assert "WARNING" not in first.stdout

    second = run_demo(data_dir)
    assert second.returncode == 0, second.stdout + second.stderr
    days = dispatched_by_day(data_dir)
    second_day = [d for d in days if d != day1]
    assert len(second_day) == 1 and second_day[0] > day1  # the next simulated day
    second_calls = days[second_day[0]]
    assert printed(second.stdout) == warehouse_figures(data_dir, [a.call_id for a in second_calls])
    assert not {a.phone_e164 for a in second_calls} & dnc_after_first
    assert "DNC'd numbers dialled again: 0" in second.stdout


def test_demo_rejects_bad_sizes(tmp_path):
    result = run_demo(tmp_path / "demo", "--leads", "0")
    assert result.returncode == 2 and "--leads" in result.stderr
    assert not (tmp_path / "demo").exists()


def test_fresh_refuses_a_data_dir_the_demo_did_not_make(tmp_path):
    precious = tmp_path / "real"
    precious.mkdir()
    (precious / "warehouse.duckdb").write_bytes(b"not mine")
    result = run_demo(precious, "--fresh")
    assert result.returncode != 0 and "not a demo DATA_DIR" in result.stderr
    assert (precious / "warehouse.duckdb").read_bytes() == b"not mine"
