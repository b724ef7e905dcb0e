"""Two call loaders writing the lake at once: DuckLake refuses the later of two commits that both
delete from (or merge into) one table, and the loaders run their transaction again
(`pipelines/platform/transactions.py`) — nothing lost, nothing doubled. DuckLake only: the
embedded file has one writer process. The rerun rule itself (bounded attempts, other errors raised
at once) is tested in tests/pipelines/lake/test_lake_write_conflicts.py."""

from __future__ import annotations

import json
import threading
from datetime import datetime

from pipelines.landing.brain import load_brain_files
from pipelines.landing.files import BRAIN_CALL, RETELL_JSONL, ledger_snapshot, new_or_changed, scan
from pipelines.landing.retell import ensure_tables, load_retell_files
from pipelines.platform.settings import PipelineSettings
from tests.support.calls_landing import brain_record, jsonl, retell_calls, write
from tests.support.lake import LAKE_ONLY
from tests.support.warehouse import query

pytestmark = LAKE_ONLY
NOW = datetime(2026, 1, 3, 12, 0)


def test_the_retell_and_brain_loaders_write_the_lake_at_once(warehouse_backend, data_dir):
    landing = data_dir / "landing"
    settings = PipelineSettings()
    with warehouse_backend.open(settings) as conn:
        ensure_tables(conn)
    rounds = 3
    errors: list[BaseException] = []

    def load(loader, kind: str) -> None:
        try:
            with warehouse_backend.open(settings) as conn:
                todo = new_or_changed(scan(landing, (kind,)), ledger_snapshot(conn))
                loader(conn, todo, NOW)
        except BaseException as exc:  # reported below
            errors.append(exc)

    for n in range(rounds):
        write(
            landing / "retell_calls" / "api" / f"2026-01-0{n + 1}" / "b.jsonl",
            jsonl([*retell_calls(3 * n, 3 * n + 1), "{bad"]),
        )
        write(landing / "brain_calls" / f"2026-01-0{n + 1}" / f"b{n}.json", json.dumps(brain_record(f"b{n}")))
        write(landing / "brain_calls" / f"2026-01-0{n + 1}" / f"bad{n}.json", "not json")

        threads = [
            threading.Thread(target=load, args=(load_retell_files, RETELL_JSONL)),
            threading.Thread(target=load, args=(load_brain_files, BRAIN_CALL)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
    assert query(None, "SELECT count(*), count(DISTINCT call_id) FROM raw.retell_calls") == [(2 * rounds, 2 * rounds)]
    assert query(None, "SELECT count(*), count(DISTINCT call_id) FROM raw.brain_calls") == [(rounds, rounds)]
    assert query(None, "SELECT kind, count(*) FROM raw.call_rejects GROUP BY kind ORDER BY kind") == [
        ("brain_call", rounds),
        ("retell_jsonl", rounds),
    ]
    assert query(
        None, "SELECT count(*), count(DISTINCT path), sum(rows_loaded), sum(rows_rejected) FROM raw.landing_files"
    ) == [(3 * rounds, 3 * rounds, 3 * rounds, 2 * rounds)]
