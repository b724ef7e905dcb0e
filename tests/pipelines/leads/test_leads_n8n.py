"""n8n lead push against a real HTTP receiver on loopback: batches of 25, retries with backoff,
a ledger so a rerun never sends a batch twice, synthetic leads never pushed."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pipelines.leads.n8n import DeliveryError, push_call_queue
from pipelines.platform.warehouse import open_warehouse
from tests.support.leads import lead_row, write_jsonl

QUALIFYING = dict(ad_active="yes", category="Dental", employee_count="10", rating="4.7")


class Receiver:
    """A webhook that records every POST and answers with the next scripted status (then 200)."""

    def __init__(self):
        self.bodies: list[dict] = []
        self.headers: list[dict] = []
        self.script: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                payload = json.loads(self.rfile.read(length))
                status = receiver.script.pop(0) if receiver.script else 200
                if status == 200:
                    receiver.bodies.append(payload)
                    receiver.headers.append(dict(self.headers))
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook/leads"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _build_queue(lead_env, run_leads, count, *, start=0, synthetic=0):
    rows = [
        lead_row(lead_id=f"n{i:03d}", business_name=f"Dental {i}", phone=f"214-302-{1000 + i:04d}", **QUALIFYING)
        for i in range(start, start + count)
    ]
    rows += [
        lead_row(lead_id=f"s{i}", business_name=f"Fiction {i}", phone=f"214-555-{100 + i:04d}", **QUALIFYING)
        for i in range(synthetic)
    ]
    assert run_leads(paths=[write_jsonl(lead_env.lead_inbox_dir / "n8n.jsonl", rows)]).success


def _push(lead_env, url, **kwargs):
    with open_warehouse(lead_env) as conn:
        return push_call_queue(conn, url, backoff_seconds=0.0, timeout=5, **kwargs)


def test_batches_of_25_and_rerun_sends_nothing_twice(lead_env, run_leads, query, receiver):
    _build_queue(lead_env, run_leads, 60, synthetic=3)
    report = _push(lead_env, receiver.url)
    assert [len(b["leads"]) for b in receiver.bodies] == [25, 25, 10]
    assert {b["batch_size"] for b in receiver.bodies} == {25}
    first = receiver.bodies[0]["leads"][0]
    assert set(first) >= {"lead_id", "business_name", "phone", "email", "score", "reasons", "queue_position"}
    assert receiver.headers[0]["Idempotency-Key"] == receiver.bodies[0]["batch_id"]
    sent = [lead["lead_id"] for body in receiver.bodies for lead in body["leads"]]
    assert len(sent) == len(set(sent)) == 60 and not any(s.startswith("s") for s in sent)
    assert report.delivered_batches == 3 and query("SELECT count(*) FROM marts.n8n_lead_deliveries") == [(60,)]

    again = _push(lead_env, receiver.url)
    assert again.pending == 0 and len(receiver.bodies) == 3

    _build_queue(lead_env, run_leads, 65)  # five new leads join the queue
    _push(lead_env, receiver.url)
    assert [len(b["leads"]) for b in receiver.bodies] == [25, 25, 10, 5]


def test_retries_with_exponential_backoff(lead_env, run_leads, query, receiver):
    _build_queue(lead_env, run_leads, 3)
    receiver.script = [503, 500]
    delays: list[float] = []
    with open_warehouse(lead_env) as conn:
        report = push_call_queue(conn, receiver.url, backoff_seconds=0.5, max_attempts=4, sleep=delays.append)
    assert delays == [0.5, 1.0] and report.attempts == 3
    assert query("SELECT DISTINCT attempts, http_status FROM marts.n8n_lead_deliveries") == [(3, 200)]


def test_failure_keeps_delivered_batches_and_resumes(lead_env, run_leads, query, receiver):
    _build_queue(lead_env, run_leads, 30)
    receiver.script = [200, 503, 503]  # batch 1 delivered, batch 2 fails twice
    with pytest.raises(DeliveryError, match="after 2 attempts"):
        _push(lead_env, receiver.url, max_attempts=2)
    assert query("SELECT count(*) FROM marts.n8n_lead_deliveries") == [(25,)]
    _push(lead_env, receiver.url)
    assert [len(b["leads"]) for b in receiver.bodies] == [25, 5]


def test_client_errors_are_not_retried(lead_env, run_leads, receiver):
    _build_queue(lead_env, run_leads, 2)
    receiver.script = [400]
    with pytest.raises(DeliveryError, match="not retryable"):
        _push(lead_env, receiver.url, max_attempts=5)
    assert receiver.script == [] and receiver.bodies == []


def test_push_asset_uses_the_setting(lead_env, run_leads, query, receiver, monkeypatch):

    rows = [lead_row(lead_id="a1", business_name="Dental A", phone="214-302-0401", **QUALIFYING)]
    path = write_jsonl(lead_env.lead_inbox_dir / "one.jsonl", rows)
    assert run_leads(paths=[path], include_push=True).success  # no URL: nothing sent
    assert receiver.bodies == [] and query("SELECT count(*) FROM marts.n8n_lead_deliveries") == [(0,)]
    monkeypatch.setenv("N8N_LEAD_WEBHOOK_URL", receiver.url)
    assert run_leads(paths=[path], include_push=True).success
    assert [b["leads"][0]["lead_id"] for b in receiver.bodies] == ["a1"]
