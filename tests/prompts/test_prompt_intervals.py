"""Wilson intervals: known values, and the SQL macros agree with the Python formula."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.platform.sql import run_sql_file
from pipelines.prompts.intervals import two_proportion_z, verdict, wilson_interval


@pytest.mark.parametrize(
    "k, n, low, high",
    [
        (5, 10, 0.2366, 0.7634),  # the textbook example (Wilson 1927 / Newcombe 1998)
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (81, 263, 0.2553, 0.3662),  # Newcombe 1998, table I
        (1, 29, 0.0061, 0.1718),  # Newcombe 1998, table I
    ],
)
def test_known_values(k: int, n: int, low: float, high: float) -> None:
    got = wilson_interval(k, n)
    assert got == pytest.approx((low, high), abs=1e-4)


def test_no_trials_is_the_whole_range_and_bad_counts_fail() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


def test_sql_macros_match_python(tmp_path) -> None:
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    run_sql_file(conn, "marts/prompt_version_stats/macros.sql")
    for k, n in [(0, 1), (1, 1), (3, 7), (5, 10), (81, 263), (250, 1000), (0, 0)]:
        low, high = conn.execute("SELECT eve_wilson_low(?, ?), eve_wilson_high(?, ?)", [k, n, k, n]).fetchone()
        assert (low, high) == pytest.approx(wilson_interval(k, n), abs=1e-12)


@pytest.mark.parametrize(
    "k1, n1, k2, n2, z, said",
    [
        (56, 70, 48, 80, 2.6502, "better"),  # 80 % vs 60 %: pooled 104/150, se 0.07547
        (48, 80, 56, 70, -2.6502, "worse"),
        (30, 100, 25, 100, 0.7918, "no clear difference"),
        (0, 40, 0, 40, None, None),  # no variance: no statement
        (3, 0, 2, 10, None, None),
    ],
)
def test_two_proportion_z_python_and_sql_agree(k1: int, n1: int, k2: int, n2: int, z, said) -> None:
    got = two_proportion_z(k1, n1, k2, n2)
    assert (got is None and z is None) or got == pytest.approx(z, abs=1e-4)
    assert verdict(got) == said
    with duckdb.connect() as conn:
        run_sql_file(conn, "marts/prompt_version_stats/macros.sql")
        (sql,) = conn.execute("SELECT eve_two_proportion_z(?, ?, ?, ?)", [k1, n1, k2, n2]).fetchone()
    assert (sql is None and z is None) or sql == pytest.approx(z, abs=1e-9 if got is None else 1e-4)
