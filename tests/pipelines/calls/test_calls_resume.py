"""Kill-and-resume of the Retell sync: interrupted runs (injected outage, SIGKILL of a real sync
process) followed by a normal run leave every call in raw.retell_calls exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from assets.calls import assets as call_assets
from pipelines.platform.resources import build_resources
from pipelines.platform.settings import PipelineSettings
from pipelines.retell.config import SyncConfig
from pipelines.retell.fetch import RetellSyncError
from pipelines.retell.sync import sync_calls
from tests.fakes.fake_retell import FakeRetell, synthetic_call_set
from tests.support.warehouse import connect, warehouse_settings

REPO = Path(__file__).resolve().parents[3]


def load_and_count(db: Path) -> tuple[int, int, int]:
    result = dg.materialize([call_assets.raw_retell_calls], resources=build_resources(warehouse_settings(db)))
    assert result.success
    with connect(db) as conn:
        total, distinct = conn.execute("SELECT count(*), count(DISTINCT call_id) FROM raw.retell_calls").fetchone()
        rejects = conn.execute("SELECT count(*) FROM raw.call_rejects").fetchone()[0]
    return total, distinct, rejects


def test_outage_midway_then_rerun_has_no_gap_and_no_duplicate(data_dir, tmp_path, make_sync_config, warehouse_backend):
    with FakeRetell(synthetic_call_set(120, pending_every=7)) as fake:
        config = make_sync_config(fake, data_dir, page_size=25, retry_attempts=2)
        fake.fail_after = 60
        with pytest.raises(RetellSyncError):
            sync_calls(config)
        fake.fail_after = None
        sync_calls(config)
        total, distinct, rejects = load_and_count(tmp_path / "wh.duckdb")
        assert (total, distinct, rejects) == (120, 120, 0)


def test_sigkill_of_a_running_sync_then_rerun(data_dir, tmp_path, monkeypatch, warehouse_backend):
    n = 400
    with FakeRetell(synthetic_call_set(n, pending_every=11)) as fake:
        fake.get_delay_s = 0.01
        env = {
            **os.environ,
            "DATA_DIR": str(data_dir),
            "RETELL_API_KEY": fake.api_key,
            "RETELL_BASE_URL": fake.base_url,
            "RETELL_SYNC_LOOKBACK_HOURS": "1000000",
            "RETELL_SYNC_PENDING_MAX_AGE_HOURS": "1000000",
            "RETELL_SYNC_PAGE_SIZE": "40",
            "RETELL_SYNC_CONCURRENCY": "4",
            "RETELL_SYNC_SDK_MAX_RETRIES": "0",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipelines.commands.sync_calls"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 60
            while fake.total_get_requests < 130:  # mid-run: some pages committed, one in flight
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "sync made no progress"
                time.sleep(0.01)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == -signal.SIGKILL
        landed_before = sum(1 for p in data_dir.rglob("*.jsonl") for _ in p.open())
        assert 0 < landed_before < n

        for key, value in env.items():
            if key.startswith(("RETELL_", "DATA_DIR")):
                monkeypatch.setenv(key, value)
        fake.get_delay_s = 0
        report = sync_calls(SyncConfig.from_settings(PipelineSettings()))
        assert not report.truncated
        total, distinct, rejects = load_and_count(tmp_path / "wh.duckdb")
        assert (total, distinct, rejects) == (n, n, 0)
        # the resumed run started from the committed watermark, not from scratch
        assert report.fetched < n
