"""`make leads` never looks like success when it is not: a non-zero exit when nothing usable was
loaded, and the summary says why no lead was queued. Driven from outside: the real command in a
child process on files written as a user would hand them over."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.commands.leads import run
from tests.support.leads import write_csv

REPO = Path(__file__).resolve().parents[3]
SPA = {
    "business_name": "Glow Med Spa",
    "phone": "2143020151",
    "category": "med spa",
    "google_ads_active": "yes",
    "reviews_count": "120",
    "rating": "4.8",
}


def _make_leads(lead_env, path: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "pipelines.commands.leads", "--input", str(path), *extra],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.embedded_only
@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.csv", b"", "empty file"),
        ("binary.csv", bytes(range(256)) * 4, "rejected "),
        ("undecodable.json", '[{"name": "Caf\u00e9"}]'.encode("utf-16-le"), "invalid"),
        ("nameless.csv", b"phone,city\n2143020151,Dallas\n", "no business name"),
    ],
)
def test_nothing_usable_loaded_exits_non_zero_and_says_why(lead_env, name, content, reason):
    path = lead_env.data_dir / name
    path.write_bytes(content)
    done = _make_leads(lead_env, path)
    assert done.returncode == 3, done.stderr
    assert "nothing usable loaded" in done.stderr
    assert reason in done.stdout
    assert "nothing queued: " in done.stdout


def _why(lead_env, rows, **kwargs) -> tuple[int, str]:
    out = io.StringIO()
    code = run([write_csv(lead_env.data_dir / "leads.csv", rows)], push=False, out=out, **kwargs)
    line = next((x for x in out.getvalue().splitlines() if "nothing queued:" in x), "")
    return code, line


def test_no_phone_column_says_so(lead_env):
    no_phone = {k: v for k, v in SPA.items() if k != "phone"} | {"website": "glow.com"}
    assert _why(lead_env, [no_phone], min_score=None, top_k=None) == (
        0,
        "  nothing queued: no lead has a usable phone number (is there a phone column?)",
    )


def test_all_below_the_minimum_score_says_so(lead_env):
    code, line = _why(lead_env, [SPA], min_score=99, top_k=None)
    assert code == 0 and "score below the minimum 99" in line


def test_nobody_fits_the_icp_says_so(lead_env):
    code, line = _why(lead_env, [{"business_name": "Corner Shop", "phone": "2143020152"}], min_score=None, top_k=None)
    assert code == 0 and "no lead fits the ICP" in line


def test_all_suppressed_says_so(lead_env):
    (lead_env.dnc_inbox_dir / "dnc.txt").write_text("214-302-0151\n")
    code, line = _why(lead_env, [SPA], min_score=None, top_k=None)
    assert code == 0 and "suppression list" in line


def test_a_queue_has_no_excuse_line(lead_env):
    assert _why(lead_env, [SPA], min_score=None, top_k=None) == (0, "")
