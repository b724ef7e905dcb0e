"""Timing of a synthetic call: per-word timings, turn gaps and Retell-style latency summaries.

All arithmetic is in integer milliseconds; seconds are written as ``ms / 1000`` (a float whose
shortest repr is fixed), so serialised timings are identical on every machine.

Model: the caller speaks first; the agent answers after a first-response gap drawn from the
call's latency profile (the gap *is* Retell's ``latency.e2e`` sample for that turn); the caller
answers the agent after a human pause; words last in proportion to their length.
"""

from __future__ import annotations

import json
import random

# Median first-response gap (ms) per prompt version, and spreads (lognormal sigmas).
E2E_MEDIAN_MS = {"syn-v1": 980.0, "syn-v2": 760.0}
CALL_SIGMA = 0.25
TURN_SIGMA = 0.18
E2E_MIN_MS, E2E_MAX_MS = 320, 4200


_WORD_JSON: dict[str, str] = {}
_encode = json.JSONEncoder(ensure_ascii=False).encode
_SECONDS: list[str] = []  # _SECONDS[ms] == repr(ms / 1000), grown on demand


def seconds_text(ms: int) -> str:
    """``repr(ms / 1000)`` (what `json` writes for that float) without float formatting: integer
    ms below 2**53 / 1000 have a shortest repr of at most three decimals, trailing zeros cut."""
    if ms >= len(_SECONDS):
        for value in range(len(_SECONDS), max(ms + 1, 2 * len(_SECONDS), 65_536)):
            whole, frac = divmod(value, 1000)
            _SECONDS.append(f"{whole}.{frac:03d}".rstrip("0") if frac else f"{whole}.0")
    return _SECONDS[ms]


def speak(rng: random.Random, text: str, start_ms: int, ms_per_char: int) -> tuple[str, int]:
    """Words of ``text`` starting at ``start_ms`` → (the JSON of ``[{end, start, word}, ...]`` with
    seconds, exactly as ``json.dumps(..., sort_keys=True, separators=(",", ":"))`` writes it; the
    end of the last word in ms). Rendered as text directly: millions of words per benchmark run."""
    tokens = text.split()
    if not tokens:
        return "[]", start_ms
    seconds_text(start_ms + 400 * len(text) + 1000)  # grow the table once for this utterance
    table = _SECONDS
    cache = _WORD_JSON
    jitter = rng.getrandbits  # jitter(6): 0..63 ms, cheaper than int(60 * random())
    parts = []
    t = start_ms
    end = start_ms
    for token in tokens:
        end = t + 70 + ms_per_char * len(token) + jitter(6)
        word = cache.get(token)
        if word is None:
            word = cache[token] = _encode(token)
        parts.append(f'{{"end":{table[end]},"start":{table[t]},"word":{word}}}')
        t = end + 30 + jitter(6)
    return "[" + ",".join(parts) + "]", end


def call_latency_scale(rng: random.Random, prompt_version: str) -> float:
    """The call's typical first-response gap in ms (network, model and TTS of that call)."""
    return E2E_MEDIAN_MS.get(prompt_version, 900.0) * rng.lognormvariate(0.0, CALL_SIGMA)


def e2e_gap(rng: random.Random, scale: float) -> int:
    return max(E2E_MIN_MS, min(E2E_MAX_MS, int(scale * rng.lognormvariate(0.0, TURN_SIGMA))))


def human_gap(rng: random.Random) -> int:
    return 250 + int(850 * rng.random())


_QUANTILES = (0.50, 0.90, 0.95, 0.99)
_POSITIONS: dict[int, tuple[tuple[int, int, float], ...]] = {}


def _positions(n: int) -> tuple[tuple[int, int, float], ...]:
    """(lower index, upper index, fraction) of each quantile for n sorted values (linear interpolation)."""
    found = _POSITIONS.get(n)
    if found is None:
        found = []
        for q in _QUANTILES:
            pos = (n - 1) * q
            lo = int(pos)
            found.append((lo, min(lo + 1, n - 1), pos - lo))
        found = _POSITIONS[n] = tuple(found)
    return found


def latency_summary(values: list[int]) -> dict:
    """Retell's latency component shape: ``{p50, p90, p95, p99, max, min, num, values}`` in ms;
    percentiles interpolate linearly and are rounded to 0.1 ms."""
    ordered = sorted(values)
    p50, p90, p95, p99 = (
        round(ordered[lo] + (ordered[hi] - ordered[lo]) * frac, 1) for lo, hi, frac in _positions(len(ordered))
    )
    return {
        "max": ordered[-1],
        "min": ordered[0],
        "num": len(ordered),
        "p50": p50,
        "p90": p90,
        "p95": p95,
        "p99": p99,
        "values": list(values),
    }
