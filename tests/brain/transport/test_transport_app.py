"""App wiring: which conversation factory is used, and clear errors for bad wiring settings."""

from __future__ import annotations

import sys

import pytest

from brain_service.app import create_app, load_conversation_factory
from brain_service.fallback_conversation import FallbackConversationFactory
from brain_service.settings import BrainSettings


def test_fallback_conversation_when_the_conversation_package_cannot_be_imported(monkeypatch):
    monkeypatch.setitem(sys.modules, "brain_service.conversation", None)  # import raises ImportError
    factory = load_conversation_factory(BrainSettings(_env_file=None))
    assert isinstance(factory, FallbackConversationFactory)


async def test_fallback_conversation_greets_and_answers(brain_factory, connect):
    brain = brain_factory(FallbackConversationFactory())
    client = await connect(brain.ws_url + "/llm-websocket/fb")
    frames = await client.start()
    assert [f["content"] for f in frames[1:]] == ["Hi, this is Eve.", ""]
    await client.request(1)
    assert [f["content"] for f in await client.read_turn(1)] == ["Thanks, I heard you.", ""]


def test_conversation_factory_import_path_setting():
    settings = BrainSettings(_env_file=None, brain_conversation_factory="brain_service.fallback_conversation:build")
    assert isinstance(load_conversation_factory(settings), FallbackConversationFactory)
    with pytest.raises(ValueError, match="package.module:callable"):
        load_conversation_factory(BrainSettings(_env_file=None, brain_conversation_factory="no_colon_here"))


def test_default_app_uses_the_conversation_package_and_serves_health():
    from fastapi.testclient import TestClient

    app = create_app(BrainSettings(_env_file=None))
    assert not isinstance(app.state.brain.factory, FallbackConversationFactory)
    with TestClient(app) as client:
        assert client.get("/health").json() == {"ok": True}
        assert client.get("/ready").status_code == 200
        assert "brain_active_sessions" in client.get("/metrics").text


async def test_direct_writes_are_really_used_under_uvicorn(brain_factory, connect):
    """Guards against a middleware wrapping ``send`` and silently disabling the batched writer."""
    brain = brain_factory()
    client = await connect(brain.ws_url + "/llm-websocket/direct")
    await client.start()
    session = brain.runtime.registry.get("direct").session
    assert type(session.writer._direct).__name__ == "WebSocketsSansIOProtocol"
    off = brain_factory(ws_direct_writes=False)
    client = await connect(off.ws_url + "/llm-websocket/asgi")
    await client.start()
    assert off.runtime.registry.get("asgi").session.writer._direct is None
