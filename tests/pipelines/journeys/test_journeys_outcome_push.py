"""The n8n outcome push against a real HTTP receiver on loopback: each row once, retries, no loss."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assets.journeys.assets import customer_journeys, journey_outcome_deliveries, line_signals
from pipelines.journeys.outcome_push import OutcomePushError, PushConfig
from pipelines.platform.resources import build_resources
from pipelines.platform.settings import PipelineSettings
from tests.support.journeys import Call, materialize, query, user, write_fixture

ASSETS = [line_signals, customer_journeys, journey_outcome_deliveries]


class Receiver:
    """A loopback webhook: answers the queued statuses first (then 200) and records every body."""

    def __init__(self, statuses: list[int] | None = None):
        self.statuses = list(statuses or [])
        self.bodies: list[dict] = []
        self.headers: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                if status == 200:
                    receiver.bodies.append(json.loads(body))
                    receiver.headers.append({k.lower(): v for k, v in self.headers.items()})
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/webhook/outcomes"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _configure(monkeypatch, url: str, batch_size: int = 2, attempts: int = 3) -> None:
    monkeypatch.setenv("N8N_OUTCOME_WEBHOOK_URL", url)
    monkeypatch.setenv("N8N_OUTCOME_BATCH_SIZE", str(batch_size))
    monkeypatch.setenv("N8N_OUTCOME_MAX_ATTEMPTS", str(attempts))
    monkeypatch.setenv("N8N_OUTCOME_BACKOFF_SECONDS", "0.01")


def _calls(ids):
    return [
        Call(i, [user("jane@glowspa.com" if i != "dnc" else "jane@glowspa.com, now stop calling", 1, 2)]) for i in ids
    ]


def test_each_row_delivered_once_with_retries(warehouse_path, monkeypatch):
    write_fixture(warehouse_path, _calls(["a", "b", "dnc"]))
    with Receiver(statuses=[503, 429]) as receiver:
        _configure(monkeypatch, receiver.url)
        materialize(warehouse_path, ASSETS)
        materialize(warehouse_path, ASSETS)  # nothing new: nothing sent
        delivered = [r["call_id"] for body in receiver.bodies for r in body["records"]]
        assert sorted(delivered) == ["a", "b", "dnc"]
        assert [b["count"] for b in receiver.bodies] == [2, 1]
        assert all(
            h["idempotency-key"] == b["batch_id"] for h, b in zip(receiver.headers, receiver.bodies, strict=True)
        )
        dnc = next(r for b in receiver.bodies for r in b["records"] if r["call_id"] == "dnc")
        assert dnc["outcome"] == "dnc" and dnc["follow_up_allowed"] is False and dnc["captured_email"] is None

        # new calls arrive: only they are pushed
        write_fixture(warehouse_path, _calls(["a", "b", "dnc", "c"]))
        materialize(warehouse_path, ASSETS)
        delivered = [r["call_id"] for body in receiver.bodies for r in body["records"]]
        assert sorted(delivered) == ["a", "b", "c", "dnc"]
    assert query(warehouse_path, "SELECT count(*) FROM marts.journey_outcome_deliveries") == [(4,)]


def test_changed_outcome_is_sent_again(warehouse_path, monkeypatch):
    # a call first resolved as a callback; later data for the same call yields an email
    write_fixture(warehouse_path, [Call("a", [user("not a good time, call me back")], brain_outcome="callback")])
    with Receiver() as receiver:
        _configure(monkeypatch, receiver.url)
        materialize(warehouse_path, ASSETS)
        write_fixture(warehouse_path, [Call("a", [user("sure, it is jane@glowspa.com")], brain_outcome="callback")])
        materialize(warehouse_path, ASSETS)
        materialize(warehouse_path, ASSETS)  # nothing changed since: nothing sent
    records = [r for body in receiver.bodies for r in body["records"]]
    assert [(r["call_id"], r["outcome"], r["previous_outcome"]) for r in records] == [
        ("a", "callback", None),
        ("a", "email_captured", "callback"),
    ]
    assert records[1]["captured_email"] == "jane@glowspa.com"
    assert len({b["batch_id"] for b in receiver.bodies}) == 2  # a new idempotency key for the correction
    assert query(warehouse_path, "SELECT call_id, outcome FROM marts.journey_outcome_deliveries") == [
        ("a", "email_captured")
    ]


def test_refusal_loses_nothing(warehouse_path, monkeypatch):
    write_fixture(warehouse_path, _calls(["a", "b"]))
    import dagster as dg

    with Receiver(statuses=[400]) as receiver:
        _configure(monkeypatch, receiver.url)
        result = dg.materialize(
            ASSETS, resources=build_resources(PipelineSettings(warehouse_path=warehouse_path)), raise_on_error=False
        )
        assert not result.success
        assert query(warehouse_path, "SELECT count(*) FROM marts.journey_outcome_deliveries") == [(0,)]
        materialize(warehouse_path, ASSETS)  # the receiver accepts now
        assert sorted(r["call_id"] for b in receiver.bodies for r in b["records"]) == ["a", "b"]


def test_unreachable_webhook_fails_after_attempts(warehouse_path, monkeypatch):
    write_fixture(warehouse_path, _calls(["a"]))
    with Receiver() as receiver:
        url = receiver.url
    _configure(monkeypatch, url, attempts=2)  # the server is closed: connection refused
    import dagster as dg

    result = dg.materialize(
        ASSETS, resources=build_resources(PipelineSettings(warehouse_path=warehouse_path)), raise_on_error=False
    )
    assert not result.success
    assert query(warehouse_path, "SELECT count(*) FROM marts.journey_outcome_deliveries") == [(0,)]


def test_disabled_without_url(warehouse_path):
    write_fixture(warehouse_path, _calls(["a"]))
    result = materialize(warehouse_path, ASSETS)
    [event] = [
        e
        for e in result.get_asset_materialization_events()
        if e.asset_key.path == ["marts", "journey_outcome_deliveries"]
    ]
    assert event.materialization.metadata["push"].value == "disabled"


@pytest.mark.parametrize(
    "kwargs", [{"url": "ftp://example"}, {"url": "http://x", "batch_size": 0}, {"url": "http://x", "max_attempts": 0}]
)
def test_bad_push_config_is_rejected(kwargs):
    with pytest.raises(ValueError):
        PushConfig(**kwargs)


def test_error_message_never_contains_the_url():
    import httpx

    from pipelines.journeys.outcome_push import post_batch

    secret_url = "http://127.0.0.1:9/hook?token=s3cr3t"
    with httpx.Client() as client, pytest.raises(OutcomePushError) as info:
        post_batch(client, PushConfig(url=secret_url, max_attempts=1), {"batch_id": "b1", "records": []})
    assert "s3cr3t" not in str(info.value)
