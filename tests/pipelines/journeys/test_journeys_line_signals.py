"""marts.line_signals: vocabulary over caller lines only, cached per distinct text, parallel = serial."""

from __future__ import annotations

import assets.journeys.assets as journeys_assets
from assets.journeys.assets import customer_journeys, line_signals
from pipelines.journeys.line_signals import signals_frame
from tests.support.journeys import Call, agent, materialize, query, user, write_fixture


def _classified(result) -> int:
    [event] = [e for e in result.get_asset_materialization_events() if e.asset_key.path == ["marts", "line_signals"]]
    return event.materialization.metadata["new_texts_classified"].value


def test_only_user_lines_and_cache_reuse(warehouse_path, monkeypatch):
    calls = [
        Call("a", [agent("stop calling? jane@eve.ai", 0, 1), user("how much is it?", 1, 2), user("yes", 2, 3)]),
        Call("b", [user("how much is it?", 0, 1), user("jane@glowspa.com", 1, 2)]),
    ]
    write_fixture(warehouse_path, calls)
    first = materialize(warehouse_path, [line_signals, customer_journeys])
    assert _classified(first) == 3  # distinct caller texts: "how much is it?", "yes", "jane@glowspa.com"
    rows = query(
        warehouse_path,
        "SELECT call_id, idx, user_turn, email, is_dnc, objections FROM marts.line_signals ORDER BY call_id, idx",
    )
    assert rows == [
        ("a", 1, 1, None, False, ["price"]),
        ("b", 0, 1, None, False, ["price"]),
        ("b", 1, 2, "jane@glowspa.com", False, []),
    ]

    # a new call: only its new text is classified, the rest comes from the cache
    write_fixture(warehouse_path, [*calls, Call("c", [user("yes", 0, 1), user("please stop calling", 1, 2)])])
    second = materialize(warehouse_path, [line_signals, customer_journeys])
    assert _classified(second) == 1
    assert query(warehouse_path, "SELECT outcome FROM marts.customer_journeys WHERE call_id = 'c'") == [("dnc",)]

    # another vocabulary version invalidates the cache: everything is classified again
    monkeypatch.setattr(journeys_assets, "vocabulary_version", lambda: "another-version")
    third = materialize(warehouse_path, [line_signals, customer_journeys])
    assert _classified(third) == 4
    assert query(warehouse_path, "SELECT DISTINCT vocabulary_version FROM marts.line_signal_cache") == [
        ("another-version",)
    ]


def test_parallel_classification_equals_serial():
    texts = [
        f"line {i}: how much? jane{i}@glowspa.com"
        if i % 3 == 0
        else f"stop calling {i}"
        if i % 3 == 1
        else f"nothing here {i}"
        for i in range(300)
    ]
    serial = signals_frame(texts, workers=1)
    parallel = signals_frame(texts, workers=2)
    assert serial.equals(parallel)
    assert len(serial) == 300 and int(serial["has_signal"].sum()) == 200
