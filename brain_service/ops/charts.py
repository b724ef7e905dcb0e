"""Inline SVG charts for ``/ops`` (no script, no external assets): a stacked histogram and bars.

Every label is escaped; sizes are attributes, not inline styles, so the page's CSP needs no
``unsafe-inline``. Each chart carries ``role="img"`` and an ``aria-label`` stating its numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

KIND_COLOURS = {"begin": "#6c8ebf", "response": "#2e7d5b", "reminder": "#c9a227"}
OUTCOME_COLOUR = "#4a6fa5"


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "more"
    ms = seconds * 1000
    return f"{ms:.0f}" if ms >= 1 else f"{ms:.1f}"


def latency_chart(bounds_s: Sequence[float | None], counts_by_kind: dict[str, Sequence[int]]) -> str:
    """Stacked bars: one per bucket (label = its upper bound in ms), one colour per turn kind."""
    width, height, left, bottom, top = 640, 200, 36, 34, 10
    n = len(bounds_s)
    if n == 0:
        return '<p class="empty">No latency buckets.</p>'
    totals = [sum(counts[i] for counts in counts_by_kind.values()) for i in range(n)]
    peak = max(max(totals), 1)
    slot = (width - left) / n
    bar = max(2.0, slot * 0.75)
    plot_h = height - bottom - top
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="First-response latency histogram, {sum(totals)} turns">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#888"/>',
        f'<text x="2" y="{top + 8}" class="axis">{peak}</text>',
        f'<text x="2" y="{height - bottom}" class="axis">0</text>',
    ]
    for i, bound in enumerate(bounds_s):
        x = left + i * slot + (slot - bar) / 2
        y = float(height - bottom)
        for kind, counts in counts_by_kind.items():
            count = counts[i]
            if count <= 0:
                continue
            h = plot_h * count / peak
            y -= h
            colour = KIND_COLOURS.get(kind, "#777")
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(kind)} ≤ {_ms(bound)} ms: {count}</title></rect>"
            )
        parts.append(
            f'<text x="{left + i * slot + slot / 2:.1f}" y="{height - bottom + 14}" class="axis" '
            f'text-anchor="middle">{_ms(bound)}</text>'
        )
    parts.append(
        f'<text x="{width - 2}" y="{height - 4}" class="axis" text-anchor="end">ms (bucket upper bound)</text>'
    )
    parts.append("</svg>")
    legend = " ".join(
        f'<span class="key"><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" '
        f'fill="{colour}"/></svg> {escape(kind)}</span>'
        for kind, colour in KIND_COLOURS.items()
    )
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def bar_chart(counts: dict[str, int], label: str) -> str:
    """Horizontal bars, one per key, largest first."""
    if not counts:
        return '<p class="empty">Nothing yet.</p>'
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    row_h, label_w, width = 22, 150, 640
    height = row_h * len(items) + 4
    peak = max(value for _, value in items) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}: ' + escape(", ".join(f"{k} {v}" for k, v in items)) + '">'
    ]
    for i, (key, value) in enumerate(items):
        y = 2 + i * row_h
        w = (width - label_w - 50) * value / peak
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" class="axis" text-anchor="end">{escape(key)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 1):.1f}" height="{row_h - 6}" fill="{OUTCOME_COLOUR}"/>'
        )
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" class="axis">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)
