"""The Gemini client as the brain builds it: its own HTTP session, the SDK warm-up, closing streams.

Real google-genai against the local fake (real HTTP, real SSE). What is checked is behaviour a
call depends on: no per-request trip through a thread pool (the SDK's default session makes two),
proxies taken from the environment once, a warm-up that never reaches the model endpoint, and a
stream stopped early (after a sentence, between chunks, or cancelled) that closes its HTTP
stream at once even with the garbage collector off.
"""

from __future__ import annotations

import asyncio
import gc
import threading
from pathlib import Path
from typing import Any

import pytest

from brain_service.app import create_app
from brain_service.conversation.factory import PlaybookConversationFactory
from brain_service.llm.client import GeminiStreamer, build_streamer, env_proxy
from brain_service.settings import BrainSettings
from tests.fakes.fake_gemini import FakeGemini, Scenario
from tests.fakes.loopback import LoopbackServer
from tests.support.waiting import wait_for

pytestmark = pytest.mark.timeout(60)


def _streamer(fake: FakeGemini) -> GeminiStreamer:
    settings = BrainSettings(
        _env_file=None, brain_use_llm=True, gemini_api_key="test-key", gemini_base_url=fake.base_url
    )
    streamer = build_streamer(settings)
    assert streamer is not None
    return streamer


async def _wait_disconnect(fake: FakeGemini, timeout: float = 2.0) -> bool:
    return await asyncio.to_thread(fake.disconnected.wait, timeout)


# --- proxies from the environment, read once ------------------------------------------------------


def test_env_proxy_follows_https_proxy_and_no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "NO_PROXY",
        "no_proxy",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    assert env_proxy("https://generativelanguage.googleapis.com/") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    assert env_proxy("https://generativelanguage.googleapis.com/") == "http://proxy.internal:3128"
    monkeypatch.setenv("NO_PROXY", ".googleapis.com")
    assert env_proxy("https://generativelanguage.googleapis.com/") is None
    assert env_proxy("http://127.0.0.1:9999") is None  # plain http asks HTTP_PROXY, which is unset
    monkeypatch.delenv("NO_PROXY")
    monkeypatch.setenv("HTTPS_PROXY", "proxy.internal:3128")  # no scheme: http, as curl reads it
    assert env_proxy("https://generativelanguage.googleapis.com/") == "http://proxy.internal:3128"


@pytest.mark.parametrize("value", ["not a url", "ftp://proxy.internal", "http://proxy.internal:port", "http://"])
def test_a_malformed_proxy_variable_is_a_clear_error_at_start(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", value)
    with pytest.raises(ValueError, match="HTTPS_PROXY"):
        env_proxy("https://generativelanguage.googleapis.com/")

    async def start() -> None:
        streamer = build_streamer(BrainSettings(_env_file=None, brain_use_llm=True, gemini_api_key="k"))
        assert streamer is not None
        await streamer.start()  # the app awaits this before it accepts calls

    with pytest.raises(ValueError, match="HTTPS_PROXY"):
        asyncio.run(start())


# --- no thread pool per request ---------------------------------------------------------------------


def test_streams_never_go_through_the_default_thread_pool() -> None:
    """google-genai's own aiohttp session (trust_env=True) looks up ~/.netrc and the proxy variables
    in the loop's default executor on every request; the brain's session must not."""

    async def run(fake: FakeGemini) -> tuple[list[str], set[str]]:
        before = {t.name for t in threading.enumerate()}
        streamer = _streamer(fake)
        await streamer.start()
        replies = [
            "".join([d async for d in streamer.stream("Be brief.", f"Caller: hello {i}\nYou:")]) for i in range(5)
        ]
        after = {t.name for t in threading.enumerate()}
        await streamer.aclose()
        return replies, after - before

    with FakeGemini(Scenario(ttft=0.0, gap=0.0, chunks=["Sure thing. ", "What's the email?"])) as fake:
        replies, new_threads = asyncio.run(run(fake))
    assert replies == ["Sure thing. What's the email?"] * 5
    assert not {name for name in new_threads if name.startswith("asyncio_")}, new_threads


def test_warm_up_never_reaches_the_model_endpoint() -> None:
    async def run(fake: FakeGemini) -> None:
        streamer = _streamer(fake)
        await streamer.start()
        await streamer.aclose()

    with FakeGemini() as fake:
        asyncio.run(run(fake))
        assert fake.requests == []


# --- closing a stream early closes the HTTP stream ---------------------------------------------------


@pytest.fixture
def gc_off():
    gc.collect()
    gc.disable()  # the close must not depend on a collection finding the SDK's generators
    yield
    gc.enable()


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario(ttft=0.0, gap=0.05, chunks=["One. "] + ["More words. "] * 40),
        # several chunks already buffered in the client when it stops: they are drained, then the read is cancelled
        Scenario(ttft=0.0, gap=0.0, chunks=["One. "] + ["More words. "] * 8, stall_after=6, stall_s=30),
    ],
    ids=["between-chunks", "chunks-buffered"],
)
def test_stopping_after_the_first_delta_closes_the_http_stream(gc_off: None, scenario: Scenario) -> None:
    async def run(fake: FakeGemini) -> bool:
        streamer = _streamer(fake)
        await streamer.start()
        deltas = streamer.stream("Be brief.", "Caller: hello\nYou:")
        first = await anext(deltas)
        assert first == "One. "
        if scenario.stall_after:
            await asyncio.sleep(0.2)  # let the fake's burst land in the client's buffer
        await deltas.aclose()
        closed = await _wait_disconnect(fake)
        await streamer.aclose()
        return closed

    with FakeGemini(scenario) as fake:
        assert asyncio.run(run(fake)), "the fake never saw the client drop the stream"


def test_cancelling_the_reader_closes_the_http_stream(gc_off: None) -> None:
    async def run(fake: FakeGemini) -> bool:
        streamer = _streamer(fake)
        await streamer.start()
        got_first = asyncio.Event()

        async def consume() -> None:
            async for _ in streamer.stream("Be brief.", "Caller: hello\nYou:"):
                got_first.set()

        task = asyncio.create_task(consume())
        await asyncio.wait_for(got_first.wait(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        closed = await _wait_disconnect(fake)
        await streamer.aclose()
        return closed

    with FakeGemini(Scenario(ttft=0.0, gap=0.05, chunks=["One. "] + ["More words. "] * 40)) as fake:
        assert asyncio.run(run(fake))


# --- a stream closed early leaves a warm spare connection -------------------------------------------


def test_the_turn_after_an_early_close_finds_a_warm_connection() -> None:
    """Barge-in / a third sentence closes the stream and its HTTP/1.1 connection; the next request
    must not pay a new handshake: a spare connection is opened (HEAD, no key) and then used."""

    async def run(fake: FakeGemini) -> tuple[list[int], list[int]]:
        streamer = _streamer(fake)
        await streamer.start()
        for turn in range(4):
            deltas = streamer.stream("Be brief.", f"Caller: hello {turn}\nYou:")
            await anext(deltas)
            await deltas.aclose()  # stopped early: the connection is gone
            await wait_for(lambda opened=turn + 1: len(fake.head_ports) == opened)  # the spare connection is open
        await streamer.aclose()
        return [r.client_port for r in fake.requests], list(fake.head_ports)

    with FakeGemini(Scenario(ttft=0.0, gap=0.05, chunks=["One. "] + ["More words. "] * 40)) as fake:
        stream_ports, warmed_ports = asyncio.run(run(fake))
    assert len(stream_ports) == 4 and len(set(stream_ports)) == 4  # each early close really dropped its connection
    for turn in range(1, 4):  # every later request rode the connection warmed after the previous close
        assert stream_ports[turn] == warmed_ports[turn - 1]
    assert all("x-goog-api-key" not in r.headers or r.headers["x-goog-api-key"] == "<present>" for r in fake.requests)


def test_a_finished_stream_keeps_its_connection_and_warms_nothing() -> None:
    async def run(fake: FakeGemini) -> None:
        streamer = _streamer(fake)
        await streamer.start()
        for turn in range(3):
            assert (
                "".join([d async for d in streamer.stream("Be brief.", f"Caller: hi {turn}\nYou:")])
                == "Sure thing. What's the email?"
            )
        await streamer.aclose()

    with FakeGemini(Scenario(ttft=0.0, gap=0.0, chunks=["Sure thing. ", "What's the email?"])) as fake:
        asyncio.run(run(fake))
    assert fake.head_ports == []
    assert len({r.client_port for r in fake.requests}) == 1  # one kept-alive connection carried all three


# --- the app starts and stops the conversation's client ---------------------------------------------


class RecordingFactory(PlaybookConversationFactory):
    def __init__(self, settings: BrainSettings) -> None:
        super().__init__(settings)
        self.events: list[str] = []

    async def startup(self) -> None:
        self.events.append("startup")
        await super().startup()

    async def shutdown(self) -> None:
        await super().shutdown()
        self.events.append("shutdown")


def test_app_awaits_the_factory_startup_before_serving_and_shutdown_after(tmp_path: Path) -> None:
    with FakeGemini() as fake:
        settings = BrainSettings(
            _env_file=None, data_dir=tmp_path, brain_use_llm=True, gemini_api_key="k", gemini_base_url=fake.base_url
        )
        factory = RecordingFactory(settings)
        server = LoopbackServer(create_app(settings, factory), name="brain-hooks", lifespan="on")
        server.start()
        try:
            assert factory.events == ["startup"]  # before the server reported started
            streamer: Any = factory.runtime.streamer
            assert streamer._client is not None  # created on the serving loop, warm
        finally:
            server.stop()
        assert factory.events == ["startup", "shutdown"]
        assert fake.requests == []
