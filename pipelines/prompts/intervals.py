"""Wilson score intervals for a proportion: the interval every prompt rate is reported with; and
the two-proportion z test the stats use to say when a challenger is significantly better or worse.

Wilson (not the normal "Wald" interval) because rates here are often near 0 (DNC) or computed on a
few dozen calls, where Wald collapses to a zero-width or negative interval. `sql/marts/
prompt_version_stats.sql` computes the same formulas in SQL; a test holds the two together.

Why a two-proportion z test (pooled, two-sided, 95 %) for the "significantly better / worse"
statement rather than a Bayesian posterior: the statement is a yes/no at a fixed level, the same
95 % as the intervals next to it; the test needs no prior to choose and defend, is reproduced by
anyone with a calculator from the counts in the same row, and at the call volumes where prompt
decisions are made (dozens to hundreds per arm) its normal approximation is adequate — where it
is not (a pooled rate of exactly 0 or 1) no statement is made. Caveat written into the docs: the
stats are rebuilt every run, so a reader who watches until a verdict appears is peeking; the
candidate builder therefore promotes only on non-overlapping Wilson intervals (stricter).
"""

from __future__ import annotations

import math

Z_95 = 1.959963984540054


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """(low, high) of the Wilson score interval; (0, 1) when there are no trials."""
    if trials <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= trials:
        raise ValueError(f"successes {successes} outside 0..{trials}")
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def two_proportion_z(k1: int, n1: int, k2: int, n2: int) -> float | None:
    """Pooled z of k1/n1 against k2/n2 (positive: the first is higher); None when untestable."""
    if n1 <= 0 or n2 <= 0 or k1 + k2 == 0 or k1 + k2 == n1 + n2:
        return None
    pooled = (k1 + k2) / (n1 + n2)
    return (k1 / n1 - k2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))


def verdict(z: float | None, critical: float = Z_95) -> str | None:
    """'better' / 'worse' when |z| reaches the two-sided 95 % critical value, else 'no clear difference'."""
    if z is None:
        return None
    if z >= critical:
        return "better"
    if z <= -critical:
        return "worse"
    return "no clear difference"
