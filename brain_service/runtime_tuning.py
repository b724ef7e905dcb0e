"""Process tuning the brain needs to keep its latency floors, applied by the app's lifespan.

It lives in the lifespan (not in ``python -m brain_service``) so that any ASGI server running
``brain_service.app:app`` gets the same behaviour: measured at 1000 calls, without it the ping
echo p99 was 154-246 ms instead of ~5 ms.

* **Freeze the start-up heap.** Everything imported and warmed before the first call (FastAPI,
  pydantic, google-genai and the validators its warm-up built: ~350k objects) lives for the whole
  process; freezing it keeps every later full GC pass from rescanning it (a gen-2 pass over it
  paused the loop for ~0.6-0.9 s under load).
* **Older passes rarer.** Middle passes scan everything still alive that survived a young pass:
  with model turns in flight that is ~10k objects, a ~5 ms pause, and at CPython's default (every
  10 young passes) one came every ~0.8 s at 300 calls, inside ~1 % of first tokens. Every 100 young
  passes (~8 s) instead: A/B at 300 calls, p99 overhead 9.1-13.2 -> 5.9-9.0 ms. Full passes scan
  every long-lived object (≈200 per live call, more as conversations grow); at 1000 calls each
  stalled the loop 0.27-0.48 s, so they are 10x rarer too. Objects that die young are freed by
  reference counting and never wait for a pass.
"""

from __future__ import annotations

import gc
import logging

from brain_service.logs import get_logger, log_event
from brain_service.settings import BrainSettings

logger = get_logger("app")


def tune_process(settings: BrainSettings) -> None:
    """Freeze the start-up heap and space out older GC passes (``BRAIN_GC_TUNING``; idempotent)."""
    if not settings.brain_gc_tuning:
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(
        gc.get_threshold()[0], settings.brain_gc_middle_collection_every, settings.brain_gc_full_collection_every
    )
    log_event(logger, logging.INFO, "gc_tuned", frozen=gc.get_freeze_count(), threshold=list(gc.get_threshold()))
