"""Brain → pipelines contract for webhooks: an event POSTed to the real brain app lands a file the
call loader accepts (on both warehouse backends), and a re-delivery changes nothing in raw.retell_calls."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import datetime

import httpx
from pydantic import SecretStr

from brain_service.app import create_app
from brain_service.server import DrainingServer, uvicorn_config
from brain_service.settings import BrainSettings
from pipelines.landing.files import RETELL_WEBHOOK, ledger_snapshot, new_or_changed, scan
from pipelines.landing.retell import ensure_tables, load_retell_files
from pipelines.platform.settings import PipelineSettings
from tests.fakes.retell_call_factory import make_call

KEY = "key_contract_test"


def signed_post(url: str, body: bytes) -> int:
    ts = int(time.time() * 1000)
    digest = hmac.new(KEY.encode(), body + str(ts).encode(), hashlib.sha256).hexdigest()
    return httpx.post(url, content=body, headers={"x-retell-signature": f"v={ts},d={digest}"}, timeout=10).status_code


def test_posted_events_load_into_raw_retell_calls(tmp_path, warehouse_backend):
    settings = BrainSettings(data_dir=tmp_path, retell_api_key=SecretStr(KEY), brain_host="127.0.0.1", brain_port=0)
    app = create_app(settings)
    server = DrainingServer(uvicorn_config(app, settings, host="127.0.0.1", port=0), app.state.brain)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline
        time.sleep(0.01)
    try:
        url = f"http://127.0.0.1:{server.bound_port()}/webhooks/retell"
        ended = {k: v for k, v in make_call(3).items() if k != "call_analysis"}
        analyzed = json.dumps({"event": "call_analyzed", "call": make_call(3)}).encode()
        assert signed_post(url, json.dumps({"event": "call_ended", "call": ended}).encode()) == 204
        assert signed_post(url, analyzed) == 204
        assert signed_post(url, analyzed) == 204  # Retell retry: same file, nothing new
    finally:
        server.should_exit = True
        thread.join(timeout=15)

    conn = warehouse_backend.open(PipelineSettings(data_dir=tmp_path, warehouse_path=tmp_path / "wh.duckdb"))
    ensure_tables(conn)
    files = scan(tmp_path / "landing", (RETELL_WEBHOOK,))
    assert len(files) == 2
    counts = load_retell_files(conn, files, datetime(2026, 1, 2))
    assert (counts.loaded, counts.rejected) == (2, 0)
    assert conn.execute("SELECT call_id, source, webhook_event, has_analysis FROM raw.retell_calls").fetchall() == [
        ("call_00000003", "webhook", "call_analyzed", True)
    ]
    assert new_or_changed(scan(tmp_path / "landing", (RETELL_WEBHOOK,)), ledger_snapshot(conn)) == []
    conn.close()
