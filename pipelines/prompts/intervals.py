"""Wilson score intervals for a proportion: the interval every prompt rate is reported with.

Wilson (not the normal "Wald" interval) because rates here are often near 0 (DNC) or computed on a
few dozen calls, where Wald collapses to a zero-width or negative interval. `sql/marts/
prompt_version_stats.sql` computes the same formula in SQL; a test holds the two together.
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
