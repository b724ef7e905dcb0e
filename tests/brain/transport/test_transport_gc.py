"""The brain's garbage-collector set-up: start-up heap frozen, gen-1 and full passes rarer — under
`python -m brain_service`'s server and under a plain uvicorn server alike (it is the app's lifespan).

Run in a child process (a freeze in the pytest process would outlive the test): the server starts
on an ephemeral port with the real app, then reports what it configured.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

CHILD = """
import asyncio, gc, json, os
import uvicorn
from brain_service.app import create_app
from brain_service.server import DrainingServer, uvicorn_config
from brain_service.settings import BrainSettings
from tests.support.servers import serve_until_started

async def main():
    settings = BrainSettings(brain_port=0)
    app = create_app(settings)
    if os.environ["ENTRY"] == "service":
        server = DrainingServer(uvicorn_config(app, settings), app.state.brain)
    else:  # what `uvicorn brain_service.app:app` builds
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0))
    young_before = gc.get_threshold()[0]
    serving = await serve_until_started(server)
    report = {"threshold": gc.get_threshold(), "young_before": young_before, "frozen": gc.get_freeze_count()}
    server.should_exit = True
    await serving
    print(json.dumps(report))

asyncio.run(main())
"""


def _run_child(entry: str = "service", **env: str) -> subprocess.CompletedProcess[str]:
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(("BRAIN_", "GEMINI_"))}
    child_env.update(env, DATA_DIR=env.get("DATA_DIR", "/tmp/eve-gc-test"), ENTRY=entry)
    return subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=child_env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("entry", ["service", "plain_uvicorn"])
def test_service_freezes_start_up_heap_and_spaces_out_older_passes(tmp_path: Path, entry: str) -> None:
    done = _run_child(entry, DATA_DIR=str(tmp_path))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["threshold"] == [report["young_before"], 100, 100]  # young passes keep CPython's default
    assert report["frozen"] > 10_000  # the import-time heap is out of every later pass


def test_gc_settings_come_from_the_environment(tmp_path: Path) -> None:
    done = _run_child(DATA_DIR=str(tmp_path), BRAIN_GC_MIDDLE_COLLECTION_EVERY="37", BRAIN_GC_FULL_COLLECTION_EVERY="5")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["threshold"][1:] == [37, 5]


@pytest.mark.parametrize("value", ["0", "-3", "many", "100000"])
def test_bad_gc_setting_is_a_clear_error(tmp_path: Path, value: str) -> None:
    done = _run_child(DATA_DIR=str(tmp_path), BRAIN_GC_MIDDLE_COLLECTION_EVERY=value)
    assert done.returncode != 0
    assert "brain_gc_middle_collection_every" in done.stderr


def test_gc_tuning_can_be_turned_off_for_processes_hosting_several_brains(tmp_path: Path) -> None:
    done = _run_child("plain_uvicorn", DATA_DIR=str(tmp_path), BRAIN_GC_TUNING="false")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["frozen"] == 0 and report["threshold"][1:] != [100, 100]
