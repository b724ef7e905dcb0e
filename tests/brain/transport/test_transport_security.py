"""Handshake gates: URL token (query or path), CIDR allowlist, X-Forwarded-For from trusted proxies only."""

from __future__ import annotations

import pytest
import websockets

from brain_service.app import create_app
from brain_service.security import HandshakeGate, parse_cidrs
from brain_service.settings import BrainSettings


async def _refused(connect, url: str, **kwargs) -> int:
    with pytest.raises(websockets.InvalidStatus) as refused:
        await connect(url, **kwargs)
    return refused.value.response.status_code


async def test_token_gate_query_and_path_forms(brain_factory, connect):
    brain = brain_factory(brain_ws_token="s3cret-token")
    for path in (
        "/llm-websocket/t1?token=s3cret-token",
        "/ws/t2?token=s3cret-token",
        "/llm-websocket/s3cret-token/t3",
        "/ws/s3cret-token/t4",
    ):
        client = await connect(brain.ws_url + path)
        assert (await client.recv())["response_type"] == "config", path
    for path in (
        "/llm-websocket/t5",
        "/llm-websocket/t6?token=wrong",
        "/llm-websocket/wrong/t7",
        "/ws/t8?token=",
        "/ws/t9?token=s3cret-tokenX",
    ):
        assert await _refused(connect, brain.ws_url + path) == 403, path
    assert brain.metric("brain_handshake_rejections_total", reason="token") == 5


async def test_without_a_token_the_secret_path_form_is_refused(brain_factory, connect):
    brain = brain_factory()
    assert await _refused(connect, brain.ws_url + "/llm-websocket/guess/t1") == 403
    client = await connect(brain.ws_url + "/llm-websocket/t2")
    assert (await client.recv())["response_type"] == "config"


async def test_allowlist_by_peer_address(brain_factory, connect):
    allowed = brain_factory(brain_allowed_cidrs="100.20.5.228, 127.0.0.0/8")
    client = await connect(allowed.ws_url + "/llm-websocket/ok")
    assert (await client.recv())["response_type"] == "config"
    denied = brain_factory(brain_allowed_cidrs="100.20.5.228/32")
    assert await _refused(connect, denied.ws_url + "/llm-websocket/no") == 403
    # A client cannot talk its way in with X-Forwarded-For when the peer is not a trusted proxy.
    assert (
        await _refused(
            connect, denied.ws_url + "/llm-websocket/no2", additional_headers={"X-Forwarded-For": "100.20.5.228"}
        )
        == 403
    )
    assert denied.metric("brain_handshake_rejections_total", reason="allowlist") == 2


async def test_forwarded_for_is_honoured_only_from_trusted_proxies(brain_factory, connect):
    brain = brain_factory(brain_allowed_cidrs="100.20.5.228", brain_trusted_proxies="127.0.0.1/32, 10.0.0.0/8")
    client = await connect(
        brain.ws_url + "/llm-websocket/via_proxy", additional_headers={"X-Forwarded-For": "100.20.5.228"}
    )
    assert (await client.recv())["response_type"] == "config"
    # Right-most untrusted hop decides: a spoofed left-most entry does not help.
    spoofed = {"X-Forwarded-For": "100.20.5.228, 203.0.113.9"}
    assert await _refused(connect, brain.ws_url + "/llm-websocket/spoof", additional_headers=spoofed) == 403
    chained = {"X-Forwarded-For": "198.51.100.1, 100.20.5.228, 10.1.2.3"}
    client = await connect(brain.ws_url + "/llm-websocket/chain", additional_headers=chained)
    assert (await client.recv())["response_type"] == "config"
    assert (
        await _refused(
            connect, brain.ws_url + "/llm-websocket/garbage", additional_headers={"X-Forwarded-For": "not-an-ip"}
        )
        == 403
    )
    assert await _refused(connect, brain.ws_url + "/llm-websocket/none") == 403  # the proxy itself is not allowed


async def test_unsafe_call_ids_are_refused(brain_factory, connect):
    brain = brain_factory()
    for call_id in ("..", "-x", "a" * 200, "call%20id"):
        assert await _refused(connect, brain.ws_url + "/llm-websocket/" + call_id) == 400, call_id
    assert brain.metric("brain_handshake_rejections_total", reason="bad_call_id") == 4


def test_bad_cidr_configuration_is_a_clear_error():
    with pytest.raises(ValueError, match="BRAIN_ALLOWED_CIDRS: '10.0.0.300/8'"):
        parse_cidrs("10.0.0.0/8, 10.0.0.300/8", "BRAIN_ALLOWED_CIDRS")
    with pytest.raises(ValueError, match="BRAIN_TRUSTED_PROXIES"):
        create_app(BrainSettings(_env_file=None, brain_trusted_proxies="proxy.local"))


def test_gate_compares_tokens_in_constant_time_and_maps_ipv4_in_ipv6():
    gate = HandshakeGate(token="abc", allowed_cidrs="127.0.0.1", trusted_proxies="")
    assert (
        gate.check(peer="::ffff:127.0.0.1", forwarded_for=[], query_string=b"token=abc", path_secret=None, call_id="c1")
        is None
    )
    assert (
        gate.check(peer="127.0.0.1", forwarded_for=[], query_string=b"x=1&token=abd", path_secret=None, call_id="c1")
        == "token"
    )
    assert (
        gate.check(peer=None, forwarded_for=[], query_string=b"token=abc", path_secret=None, call_id="c1")
        == "allowlist"
    )
