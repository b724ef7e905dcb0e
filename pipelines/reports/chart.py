"""The revenue-ops chart: email capture rate and first-response latency by day, as a PNG.

Rendered with matplotlib's Agg backend (no display needed), written atomically.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after selecting the backend)


def render_chart(days: Sequence[dict[str, Any]], path: Path) -> Path:
    """Two stacked panels over ``days`` (rows of revenue_ops_daily, grain 'day', oldest first)."""
    labels = [str(d["day"]) for d in days]
    capture = [100.0 * (d.get("email_capture_rate") or 0.0) for d in days]
    direct = [100.0 * (d.get("direct_email_capture_rate") or 0.0) for d in days]
    fr_p50 = [d.get("first_response_latency_p50_ms") for d in days]
    fr_p95 = [d.get("first_response_latency_p95_ms") for d in days]
    e2e = [d.get("retell_e2e_p50_ms") for d in days]

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
    x = list(range(len(labels)))
    top.plot(x, capture, marker="o", label="email capture rate")
    top.plot(x, direct, marker="s", label="direct email capture rate")
    top.set_ylabel("% of answered calls")
    top.set_ylim(bottom=0)
    top.legend(loc="upper left", fontsize=8)
    top.set_title("Revenue ops by day")

    def series(values):
        return [float("nan") if v is None else v for v in values]

    bottom.plot(x, series(fr_p50), marker="o", label="first response p50")
    bottom.plot(x, series(fr_p95), marker="^", label="first response p95")
    bottom.plot(x, series(e2e), marker="x", linestyle="--", label="Retell e2e p50")
    for threshold, colour in ((700, "green"), (1000, "orange"), (1500, "red")):
        bottom.axhline(threshold, color=colour, linewidth=0.8, linestyle=":")
    bottom.set_ylabel("ms")
    bottom.set_ylim(bottom=0)
    bottom.legend(loc="upper left", fontsize=8)
    bottom.set_xticks(x)
    bottom.set_xticklabels(labels, rotation=45, ha="right", fontsize=8)
    fig.tight_layout()

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".chart-", suffix=".png", dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, format="png", dpi=90)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
