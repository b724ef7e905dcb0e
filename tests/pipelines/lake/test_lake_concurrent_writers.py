"""Two writer processes and one live reader on one DuckLake: nothing lost, nothing half-visible.

The writers materialize the real `synthetic_world` asset (raw.synthetic_clinics replaced and
raw.synthetic_leads emptied and refilled, in one transaction) three times each, at once, with
different world sizes (40 and 60 clinics), so every commit conflicts with the other writer's on the
same tables and is rerun (`in_transaction`). A reader process reads both tables in one snapshot
the whole time. Every state it sees must be a committed one — both tables from the same world
(40/40 or 60/60, or not created yet) — never 40 clinics beside 60 leads or an emptied lead table,
and the lake at the end must equal a single writer's result for that world.
Coordination by files and deadlines (tests/support/lake_processes.py), no sleeps.
"""

from __future__ import annotations

import json

import pytest

from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import open_warehouse
from tests.support.lake import LAKE_ONLY
from tests.support.lake_runs import single_writer_digest, start, table_digest, tail
from tests.support.waiting import wait_for_sync

WORLDS = {"a": 40, "b": 60}
ROUNDS = 5


@pytest.mark.slow
@pytest.mark.timeout(300)
@LAKE_ONLY  # the file takes one writer process
def test_two_writer_processes_and_a_live_reader(warehouse_backend, tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    control = tmp_path / "control"
    control.mkdir()
    with open_warehouse(PipelineSettings()):  # an empty lake: a read-only attach never creates one
        pass
    reader = start("reader", "r", control)
    wait_for_sync(lambda: (control / "r.ready").exists() or reader.poll() is not None, timeout=120)
    assert reader.poll() is None, tail(control, "r")
    writers = {
        name: start(
            "writer", name, control, "--clinics", str(n), "--rounds", str(ROUNDS),
            *("--party", "a", "--party", "b"),
        )
        for name, n in WORLDS.items()
    }  # fmt: skip
    try:
        for name, proc in writers.items():
            assert proc.wait(timeout=240) == 0, tail(control, name)
    finally:
        (control / "stop").write_text("stop\n")
        assert reader.wait(timeout=60) == 0, tail(control, "r")
        for proc in writers.values():
            if proc.poll() is None:
                proc.kill()

    done = {name: json.loads((control / f"{name}.done").read_text()) for name in WORLDS}
    assert all(d["successes"] == ROUNDS for d in done.values()), done
    observed = json.loads((control / "r.done").read_text())
    assert observed["errors"] == []
    seen = {tuple(state): count for state, count in observed["seen"]}
    allowed = {(None, None)} | {(n, n) for n in WORLDS.values()}
    assert set(seen) <= allowed, f"a half-visible state: {seen}"
    assert set(seen) - {(None, None)}, f"the reader never saw a committed world: {seen}"

    with open_warehouse(PipelineSettings(), read_only=True) as conn:
        final = table_digest(conn)
    final_world = final[0][0]
    assert final_world in WORLDS.values()
    assert final == single_writer_digest(final_world, tmp_path, monkeypatch), "the concurrent result differs"
    print(f"reader: {observed['reads']} snapshots {seen}; writers retried conflicts: {done}")
