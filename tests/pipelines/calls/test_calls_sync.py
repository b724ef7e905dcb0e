"""The Retell call sync through retell-sdk against the fake Retell API (real HTTP on loopback)."""

from __future__ import annotations

import json
import os

import pytest

from pipelines.retell.fetch import RetellSyncError
from pipelines.retell.state import SyncState
from pipelines.retell.sync import sync_calls
from tests.fakes.fake_retell import FakeRetell, synthetic_call_set
from tests.fakes.retell_call_factory import BASE_START_MS, CALL_SPACING_MS, make_call

NOW_MS = BASE_START_MS + 10 * 24 * 3_600_000  # ten days after the first synthetic call


def landed_calls(config) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted(config.landing_dir.rglob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def test_pages_through_every_call_and_lands_full_objects(tmp_path, make_sync_config):
    with FakeRetell(synthetic_call_set(230)) as fake:
        config = make_sync_config(fake, tmp_path, page_size=50)
        report = sync_calls(config, now_ms=NOW_MS)
        assert report.listed == 230 and report.fetched == 230 and report.pages == 5
        # paging: ascending, start-time lower bound, and the opaque key passed back each time
        assert [r.get("sort_order") for r in fake.list_requests] == ["ascending"] * 5
        assert all(r["filter_criteria"]["start_timestamp"]["op"] == "ge" for r in fake.list_requests)
        assert [bool(r.get("pagination_key")) for r in fake.list_requests] == [False, True, True, True, True]
        calls = landed_calls(config)
        assert sorted(c["call_id"] for c in calls) == sorted(fake.calls)
        assert all(c["transcript_object"] for c in calls)  # hydrated by get-call, not list summaries
        raw_lines = [line for p in config.landing_dir.rglob("*.jsonl") for line in p.read_bytes().splitlines()]
        assert sorted(raw_lines) == sorted(json.dumps(c).encode() for c in fake.calls.values())  # raw bodies kept
        assert set(fake.get_counts.values()) == {1}
        assert not list(config.landing_dir.rglob("*.tmp"))


def test_rerun_fetches_only_new_and_pending_calls(tmp_path, make_sync_config):
    calls = synthetic_call_set(40, pending_every=10)  # calls 0, 10, 20, 30 await their analysis
    with FakeRetell(calls) as fake:
        config = make_sync_config(fake, tmp_path, page_size=25, overlap_ms=5 * CALL_SPACING_MS)
        first = sync_calls(config, now_ms=NOW_MS)
        assert first.fetched == 40 and first.still_pending == 4
        fake.get_counts.clear()
        # analysis arrives for two pending calls; two new calls appear
        for i in (0, 30):
            fake.calls[f"call_{i:08d}"] = make_call(i)
        for i in (40, 41):
            fake.calls[f"call_{i:08d}"] = make_call(i)
        second = sync_calls(config, now_ms=NOW_MS)
        assert set(fake.get_counts) == {
            "call_00000000",
            "call_00000010",
            "call_00000020",
            "call_00000030",
            "call_00000040",
            "call_00000041",
        }
        assert second.still_pending == 2
        state = SyncState.load(config.state_file)
        assert set(state.pending) == {"call_00000010", "call_00000020"}
        assert state.watermark_ms == make_call(41)["start_timestamp"]
        latest = {c["call_id"]: c for c in landed_calls(config)}
        assert "call_analysis" in latest["call_00000030"] or any(
            "call_analysis" in c for c in landed_calls(config) if c["call_id"] == "call_00000030"
        )


def test_pending_calls_are_abandoned_after_max_age(tmp_path, make_sync_config):
    with FakeRetell(synthetic_call_set(5, pending_every=5)) as fake:
        config = make_sync_config(fake, tmp_path, overlap_ms=0, pending_max_age_ms=3_600_000)
        sync_calls(config, now_ms=NOW_MS)
        fake.calls.update({c["call_id"]: c for c in [make_call(50)]})
        report = sync_calls(config, now_ms=NOW_MS)
        assert report.gave_up == 1 and report.still_pending == 0


def test_429_and_500_are_retried_until_success(tmp_path, make_sync_config):
    with FakeRetell(synthetic_call_set(30)) as fake:
        fake.fail_next("list", [429, 500])
        fake.fail_next("get", [429, 500, 503, 429])
        config = make_sync_config(fake, tmp_path, retry_attempts=3, sdk_max_retries=1)
        report = sync_calls(config, now_ms=NOW_MS)
        assert report.fetched == 30
        assert fake.errors_sent[429] >= 3 and fake.errors_sent[500] >= 2
        assert sorted(c["call_id"] for c in landed_calls(config)) == sorted(fake.calls)


def test_slow_pages_still_complete(tmp_path, make_sync_config):
    with FakeRetell(synthetic_call_set(60)) as fake:
        fake.list_delay_s = 0.2
        config = make_sync_config(fake, tmp_path, page_size=20)
        report = sync_calls(config, now_ms=NOW_MS)
        assert report.pages == 3 and report.fetched == 60


def test_a_lasting_outage_fails_clearly_and_saves_the_cursor_so_far(tmp_path, make_sync_config):
    with FakeRetell(synthetic_call_set(100)) as fake:
        fake.fail_after = 50
        config = make_sync_config(fake, tmp_path, page_size=25, retry_attempts=2)
        with pytest.raises(RetellSyncError, match="HTTP 500"):
            sync_calls(config, now_ms=NOW_MS)
        state = SyncState.load(config.state_file)
        assert state.watermark_ms == make_call(49)["start_timestamp"]  # two whole pages committed


def test_wrong_key_is_not_retried(tmp_path, make_sync_config):
    with FakeRetell(synthetic_call_set(3)) as fake:
        config = make_sync_config(fake, tmp_path, api_key="wrong")
        with pytest.raises(RetellSyncError, match="401"):
            sync_calls(config, now_ms=NOW_MS)
        assert fake.list_attempts == 1 and not fake.list_requests


def test_budget_per_run_continues_next_run_without_gap(tmp_path, make_sync_config):
    with FakeRetell(synthetic_call_set(70)) as fake:
        config = make_sync_config(fake, tmp_path, page_size=20, max_calls_per_run=30)
        first = sync_calls(config, now_ms=NOW_MS)
        assert first.truncated and first.fetched == 30
        second = sync_calls(config, now_ms=NOW_MS)
        third = sync_calls(config, now_ms=NOW_MS)
        assert not third.truncated
        assert {c["call_id"] for c in landed_calls(config)} == set(fake.calls)
        assert second.fetched + third.fetched >= 40


def test_corrupt_state_file_is_a_clear_error(tmp_path, make_sync_config):
    with FakeRetell(synthetic_call_set(1)) as fake:
        config = make_sync_config(fake, tmp_path)
        config.state_file.parent.mkdir(parents=True)
        config.state_file.write_text("{not json")
        with pytest.raises(ValueError, match="corrupt Retell sync state"):
            sync_calls(config, now_ms=NOW_MS)


def test_batches_are_content_named_and_stale_temp_files_cleaned(tmp_path, make_sync_config):
    from pipelines.retell.batches import write_batch

    calls = [make_call(1), make_call(2)]
    first = write_batch(tmp_path / "api", calls)
    second = write_batch(tmp_path / "api", calls)
    assert first == second and len(list((tmp_path / "api").rglob("*.jsonl"))) == 1
    with FakeRetell(synthetic_call_set(2)) as fake:
        config = make_sync_config(fake, tmp_path)
        day = config.landing_dir / "2026-01-01"
        day.mkdir(parents=True)
        old, fresh = day / ".batch.old.tmp", day / ".batch.fresh.tmp"
        old.write_text("half a batch")
        fresh.write_text("being written")
        os.utime(old, (0, 0))
        sync_calls(config, now_ms=NOW_MS)
        assert not old.exists() and fresh.exists()


def test_cli_without_api_key_explains_and_exits_2(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("RETELL_")}
    env["DATA_DIR"] = str(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.commands.sync_calls"],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "RETELL_API_KEY is not configured" in proc.stderr
