"""Determinism: the same seed and as_of give the same bytes, whatever the day or process state."""

from __future__ import annotations

import hashlib
import random

from pipelines.synthetic import SyntheticConfig, generate_clinics, lead_record_rows, write_landing
from pipelines.synthetic.calls import iter_call_lines
from pipelines.synthetic.world import land_calls


def _tree_digest(root):
    digest = hashlib.sha256()
    for path in sorted(root.rglob("calls.jsonl")):  # the landed data (the manifest holds mtimes)
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_same_inputs_give_identical_landing_bytes(tmp_path):
    config = SyntheticConfig.build(n_calls=300, n_clinics=30)
    land_calls(config, tmp_path / "a")
    random.seed(12345)  # global random state must not matter
    random.random()
    land_calls(config, tmp_path / "b")
    assert _tree_digest(tmp_path / "a") == _tree_digest(tmp_path / "b")
    assert any((tmp_path / "a").rglob("calls.jsonl"))


def test_same_inputs_give_identical_clinics_and_leads():
    config = SyntheticConfig.build(n_clinics=80)
    first = lead_record_rows(config, generate_clinics(config.seed, config.n_clinics))
    second = lead_record_rows(config, generate_clinics(config.seed, config.n_clinics))
    assert first == second
    assert len({row[3] for row in first}) == 80


def test_different_as_of_changes_calls_deterministically():
    a = SyntheticConfig.build(as_of="2026-01-15")
    b = SyntheticConfig.build(as_of="2026-03-02")
    lines_a = [line for line, _ in iter_call_lines(a)]
    lines_b = [line for line, _ in iter_call_lines(b)]
    assert lines_a != lines_b
    assert lines_b == [line for line, _ in iter_call_lines(SyntheticConfig.build(as_of="2026-03-02"))]
    assert not set(lines_a) & set(lines_b)


def test_different_seed_changes_the_world():
    a = generate_clinics(1, 20)
    b = generate_clinics(2, 20)
    assert [c.name for c in a] != [c.name for c in b]


def test_a_larger_world_keeps_the_smaller_worlds_clinics():
    assert generate_clinics(42, 200)[:50] == generate_clinics(42, 50)


def test_stream_lines_equal_sorted_compact_json_of_the_dicts(default_config):
    """The fast text renderer writes exactly what json.dumps(sort_keys, compact) would."""
    from pipelines.synthetic import call_line, generate_calls

    lines = [line for line, _ in iter_call_lines(default_config)]
    assert lines == [call_line(call) for call in generate_calls(default_config)]


def test_write_landing_from_dicts_matches_the_streamed_landing(tmp_path, default_config):
    from pipelines.synthetic import generate_calls

    land_calls(default_config, tmp_path / "streamed")
    write_landing(list(reversed(generate_calls(default_config))), tmp_path / "dicts")
    assert _tree_digest(tmp_path / "streamed") == _tree_digest(tmp_path / "dicts")


def test_writer_refuses_unsorted_input_and_leaves_no_partial_file(tmp_path):
    import pytest

    from pipelines.synthetic.writers import write_landing_lines

    good = write_landing_lines([("2026-01-02", "{}"), ("2026-01-03", "{}")], tmp_path)
    assert good.calls == 2
    with pytest.raises(ValueError, match="out of order"):
        write_landing_lines([("2026-01-03", '{"a":1}'), ("2026-01-02", '{"a":2}')], tmp_path)
    assert not list(tmp_path.rglob("*.tmp"))
    assert (tmp_path / "landing/retell_calls/synthetic/2026-01-02/calls.jsonl").read_text() == "{}\n"


def test_a_failing_generator_leaves_no_temporary_file(tmp_path):
    import pytest

    from pipelines.synthetic.writers import write_landing_lines

    def lines():
        yield "2026-01-02", "{}"
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_landing_lines(lines(), tmp_path)
    assert not list(tmp_path.rglob("*.tmp"))
    assert not list(tmp_path.rglob("calls.jsonl"))


def test_cli_lands_calls_and_rejects_bad_settings(data_dir, capsys):
    import json

    from pipelines.commands.synthetic import main

    assert main(["--calls", "25", "--clinics", "5"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["calls"] == 25 and sum(summary["by_expected_outcome"].values()) == 25
    assert len(list((data_dir / "landing/retell_calls/synthetic").glob("*/calls.jsonl"))) == summary["day_files"]
    assert main(["--as-of", "2026-02-31"]) == 2
    assert "as_of" in capsys.readouterr().err


def test_parallel_workers_write_the_same_bytes(tmp_path):
    config = SyntheticConfig.build(n_calls=400, n_clinics=40)
    single = land_calls(config, tmp_path / "one", workers=1)
    double = land_calls(config, tmp_path / "two", workers=2)
    assert _tree_digest(tmp_path / "one") == _tree_digest(tmp_path / "two")
    assert single.scenarios == double.scenarios and sum(double.outcomes.values()) == 400


def test_an_untouched_landing_of_the_same_world_is_reused_and_a_touched_one_rebuilt(tmp_path, monkeypatch):
    import pipelines.synthetic.world as world

    config = SyntheticConfig.build(n_calls=120, n_clinics=20)
    first = land_calls(config, tmp_path)
    digest = _tree_digest(tmp_path)

    def no_render(*args, **kwargs):
        raise AssertionError("the same untouched world must not be regenerated")

    monkeypatch.setattr(world, "render_call", no_render)
    again = land_calls(config, tmp_path)
    assert again.scenarios == first.scenarios and again.outcomes == first.outcomes
    assert again.report.files_written == 0 and again.report.calls == 120
    monkeypatch.undo()

    victim = sorted(tmp_path.rglob("calls.jsonl"))[0]
    victim.write_bytes(victim.read_bytes()[:-10] + b"corrupted\n")
    repaired = land_calls(config, tmp_path)
    assert repaired.report.files_written == 1 and _tree_digest(tmp_path) == digest

    other = land_calls(SyntheticConfig.build(n_calls=121, n_clinics=20), tmp_path)
    assert other.report.calls == 121  # a different world is never mistaken for the landed one
