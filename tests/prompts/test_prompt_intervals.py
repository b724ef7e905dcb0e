"""Wilson intervals: known values, and the SQL macros agree with the Python formula."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.platform.sql import run_sql_file
from pipelines.prompts.intervals import wilson_interval


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
