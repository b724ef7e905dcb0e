"""Step-by-step progress of an in-process run, for commands that take more than a few seconds.

`progress_logger(out)` is a Dagster logger that writes one line when a step starts, one per table it
materializes (with its row count) and one when it ends, each stamped with the seconds since the run
began:

    [  0.0 s] lead_records …
    [  2.9 s]   raw.lead_records: 1,000,000 rows
    [  2.9 s] lead_records done in 2.9 s

`materialize_and_publish(..., progress=out)` adds it to the run beside Dagster's own console logger
(which the commands keep quiet), so a person running `make leads` on a big file sees where it is.
"""

from __future__ import annotations

import logging
import time
from typing import Any, TextIO

import dagster as dg

PROGRESS_LOGGER = "progress"


class _ProgressHandler(logging.Handler):
    def __init__(self, out: TextIO) -> None:
        super().__init__(level=logging.DEBUG)
        self.out = out
        self.started = time.monotonic()
        self.step_started: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        try:
            meta = getattr(record, "dagster_meta", None) or {}
            event = meta.get("dagster_event")
            if event is None or not event.step_key:
                return
            line = self._line(event.event_type_value, event.step_key, event)
            if line:
                print(f"[{time.monotonic() - self.started:5.1f} s] {line}", file=self.out, flush=True)
        except Exception:  # a progress line must never fail the run it reports on
            self.handleError(record)

    def _line(self, kind: str, step: str, event: Any) -> str | None:
        now = time.monotonic()
        if kind == "STEP_START":
            self.step_started[step] = now
            return f"{step} …"
        if kind == "ASSET_MATERIALIZATION":
            materialization = event.event_specific_data.materialization
            rows = materialization.metadata.get("dagster/row_count")
            counted = "" if rows is None else f": {rows.value:,} row{'' if rows.value == 1 else 's'}"
            return f"  {'.'.join(materialization.asset_key.path)}{counted}"
        if kind in ("STEP_SUCCESS", "STEP_FAILURE"):
            took = now - self.step_started.pop(step, now)
            return f"{step} {'done' if kind == 'STEP_SUCCESS' else 'FAILED'} in {took:.1f} s"
        return None


def progress_logger(out: TextIO) -> dg.LoggerDefinition:
    """A logger definition that reports the run's steps on ``out`` (see the module docstring)."""

    def build(_init_context: dg.InitLoggerContext) -> logging.Logger:
        logger = logging.Logger(PROGRESS_LOGGER, level=logging.DEBUG)
        logger.addHandler(_ProgressHandler(out))
        return logger

    return dg.LoggerDefinition(build, description="Step-by-step progress for the command line.")
