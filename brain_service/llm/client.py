"""One shared google-genai client for the process, streaming text through the async API.

`build_streamer(settings)` returns None unless `BRAIN_USE_LLM=true` and either `GEMINI_API_KEY` or
Vertex settings (`GEMINI_VERTEXAI=true` + `GEMINI_PROJECT`) are set. `GEMINI_BASE_URL` points the
client elsewhere (tests use a local fake speaking the real `streamGenerateContent?alt=sse`
format). The SDK's own retries are off: the conversation's deadlines decide what happens instead.
The client is created on the serving loop when the app starts (`GeminiStreamer.start`, from the
app's lifespan), on the brain's own aiohttp session, and the SDK is warmed there.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import ssl
import urllib.request
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import certifi
from google import genai
from google.genai import types

from brain_service.settings import BrainSettings

logger = logging.getLogger("brain.llm")
_CANCEL_WAIT_S = 0.5
_CLOSE_MAX_BUFFERED_CHUNKS = 64
_MAX_CONNECTION_WARMERS = 4
_WARM_TIMEOUT_S = 5.0


# --- lean request types ----------------------------------------------------------------------------
# google-genai turns the request into JSON with `_common.get_value_by_path`, which tests `key in obj`
# before `getattr(obj, key)`. On a pydantic model `in` walks every (name, value) pair of the model and
# is always False (a str never equals a pair), so each of the ~60 field lookups of a
# GenerateContentConfig walks ~60 fields: ~0.5 ms of CPU per request on this machine. These
# subclasses answer that membership test at once with the same answer (False); everything else,
# validation and the JSON sent, is the public type's. Measured: request conversion 670 -> 126 µs.


class LeanPart(types.Part):
    def __contains__(self, key: object) -> bool:
        return False


class LeanContent(types.Content):
    def __contains__(self, key: object) -> bool:
        return False


class LeanConfig(types.GenerateContentConfig):
    def __contains__(self, key: object) -> bool:
        return False

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> LeanConfig:
        # generate_content_stream deep-copies the config it is given (`model_copy(deep=True)`) to
        # protect the caller's object: ~270 deepcopy calls over ~60 mostly-None fields, ~0.05 of the
        # ~0.55 ms the SDK spends before the request is written. The streamer hands it a fresh copy per
        # request and never touches it again, and the SDK does not mutate it on this path (no
        # tools, no MCP), so a shallow copy makes the same request (tested: identical JSON).
        return self.model_copy()


def text_content(text: str, role: str = "user") -> types.Content:
    """One text part as a typed `Content` (what the SDK would build from a plain string)."""
    return LeanContent(role=role, parts=[LeanPart(text=text)])


# --- the HTTP session ------------------------------------------------------------------------------
# google-genai's own aiohttp session is created with trust_env=True, and with that aiohttp looks up
# ~/.netrc and the proxy variables for EVERY request, each lookup a round trip through the default
# thread pool. Under load that thread waits for the GIL behind the event loop (up to the 5 ms switch
# interval) while the request has not even been written: measured 1.8 ms median / 8.6 ms p99 from
# "stream requested" to "request at the model" at 300 calls. The brain's session reads the proxy
# settings once, at start, and never touches the thread pool per request.


def env_proxy(url: str) -> str | None:
    """The proxy the environment names for ``url`` (HTTPS_PROXY / HTTP_PROXY, honouring NO_PROXY).

    A bare ``host:port`` means ``http://host:port`` (as curl reads it). Raises ValueError naming
    the variable when it is not an http(s)://host[:port] URL: read once at start, so a typo stops
    the brain with that message instead of failing every model request.
    """
    parts = urlsplit(url)
    scheme = parts.scheme or "https"
    if parts.hostname and urllib.request.proxy_bypass(parts.hostname):
        return None
    proxy = urllib.request.getproxies().get(scheme)
    if proxy is None:
        return None
    if "://" not in proxy:
        proxy = "http://" + proxy  # host:port, as curl reads it
    try:
        parsed = urlsplit(proxy)
        parsed.port  # noqa: B018 - raises ValueError for a port that is not a number
        valid = parsed.scheme in ("http", "https") and bool(parsed.hostname) and " " not in proxy
    except ValueError:
        valid = False
    if not valid:
        raise ValueError(f"{scheme.upper()}_PROXY / {scheme}_proxy is not a proxy URL (http://host:port): {proxy!r}")
    return proxy


def default_tls_context() -> ssl.SSLContext:
    """The TLS context google-genai would build for itself (certifi's CAs unless SSL_CERT_FILE/DIR say otherwise)."""
    return ssl.create_default_context(
        cafile=os.environ.get("SSL_CERT_FILE", certifi.where()), capath=os.environ.get("SSL_CERT_DIR")
    )


def new_http_session(endpoint: str) -> aiohttp.ClientSession:
    """One pooled HTTP/1.1 session for every stream of the process (call inside the running loop)."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=60),
        proxy=env_proxy(endpoint),
        trust_env=False,
        read_bufsize=2**16,
    )


class GeminiStreamer:
    """`stream(system, contents)` yields model text deltas (never thoughts).

    Built with a ready ``client`` (tests), or with ``client_options`` (keyword arguments for
    ``genai.Client``) and ``endpoint`` (the API's URL: its proxy, its spare connections): then
    the client is created in the running loop on `start()` or the first stream, on the brain's
    own HTTP session (see `new_http_session`), which also keeps a spare connection after a stream
    closed early.
    """

    def __init__(
        self,
        client: genai.Client | None,
        model: str,
        config: types.GenerateContentConfig,
        *,
        client_options: dict[str, Any] | None = None,
        endpoint: str = "",
    ) -> None:
        if client is None and client_options is None:
            raise ValueError("GeminiStreamer needs a client or client_options")
        self._client = client
        self._client_options = client_options
        self._endpoint = endpoint
        self._session: aiohttp.ClientSession | None = None
        self._warmers: set[asyncio.Task[None]] = set()
        parts = urlsplit(endpoint)
        self._origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
        self._tls: ssl.SSLContext | None = None  # the TLS context the SDK's requests carry (pool key)
        self.model = model
        if not isinstance(config, LeanConfig):
            config = LeanConfig.model_validate(config.model_dump(exclude_none=True))
        self.base_config = config

    @property
    def client(self) -> genai.Client:
        if self._client is None:
            assert self._client_options is not None
            self._session = new_http_session(self._endpoint)
            options = dict(self._client_options)
            http_options: types.HttpOptions = options.pop("http_options")
            update: dict[str, Any] = {"aiohttp_client": self._session}
            if not options.get("vertexai"):
                # The SDK passes its TLS context with every request and aiohttp pools connections per
                # context: giving it ours (built the way it builds its default) lets a spare
                # connection we open land in the pool its requests draw from. Vertex keeps the SDK's
                # own choice (it may carry a client certificate), and so gets no spare connections.
                self._tls = default_tls_context()
                update["async_client_args"] = {**(http_options.async_client_args or {}), "ssl": self._tls}
            self._client = genai.Client(**options, http_options=http_options.model_copy(update=update))
        return self._client

    async def start(self) -> None:
        """Create the client on this loop and warm the SDK before the first call needs it."""
        await warm_sdk(self)

    async def stream(
        self, system_instruction: str | types.Content, contents: str | types.Content | list[types.Content]
    ) -> AsyncIterator[str]:
        """Text deltas of one streamed reply, read in the caller's own task (no hand-off per chunk).

        A cancellation that reaches the caller while it waits for the next delta (barge-in, a
        deadline) lands where the SDK waits on the HTTP read and unwinds all of its nested
        generators, closing the stream at once. Stopping between deltas (enough sentences, or a
        cancellation while the caller was elsewhere) goes through `_close_stream`: closing only
        the SDK's outermost generator would leave the inner ones, and the HTTP stream, open.
        """
        if isinstance(system_instruction, str):
            system_instruction = text_content(system_instruction)
        if isinstance(contents, str):
            contents = text_content(contents)
        if isinstance(contents, list) and len(contents) == 1:
            contents = contents[0]  # the SDK validates a single content ~4x faster than a list of one
        # shallow copy, no validation (the SDK's own defensive copy is shallow too: LeanConfig.__deepcopy__)
        config = self.base_config.model_copy(update={"system_instruction": system_instruction})
        response = await self.client.aio.models.generate_content_stream(
            model=self.model, contents=contents, config=config
        )
        finished = False
        try:
            async for chunk in response:
                text = _text_of(chunk)
                if text:
                    yield text
            finished = True
        finally:
            if not finished:
                await _close_stream(response)
                self._replace_connection()

    def _replace_connection(self) -> None:
        """A stream closed early took its HTTP/1.1 connection with it: open a spare one now.

        Otherwise the next request (typically the caller's next turn, right after a barge-in) pays
        a TCP + TLS handshake before its first token. A ``HEAD`` of the endpoint's root (an empty
        404 from Google's front end: no key, no quota) to the API's origin leaves a kept-alive
        connection in the pool.
        """
        session, origin, tls = self._session, self._origin, self._tls
        if (
            session is None
            or session.closed
            or origin is None
            or tls is None
            or len(self._warmers) >= _MAX_CONNECTION_WARMERS
        ):
            return
        task = asyncio.get_running_loop().create_task(
            self._warm_connection(session, origin, tls), name="gemini-warm-connection"
        )
        self._warmers.add(task)
        task.add_done_callback(self._warmers.discard)

    @staticmethod
    async def _warm_connection(session: aiohttp.ClientSession, origin: str, tls: ssl.SSLContext) -> None:
        try:
            async with session.head(
                origin + "/", ssl=tls, timeout=aiohttp.ClientTimeout(total=_WARM_TIMEOUT_S)
            ) as response:
                await response.read()
        except Exception as exc:  # a spare connection is an optimisation: never an error
            logger.debug("warming a model connection failed: %s", type(exc).__name__)

    async def aclose(self) -> None:
        for task in list(self._warmers):
            task.cancel()
        try:
            if self._client is not None:
                await self._client.aio.aclose()
            if self._session is not None:
                await self._session.close()
        except Exception:  # pragma: no cover - best effort at shutdown
            logger.debug("genai client close failed", exc_info=True)


async def warm_sdk(streamer: GeminiStreamer) -> None:
    """Build google-genai's lazily built validators now, not during the first calls (~1 s of CPU).

    One request goes through the real SDK path to a loopback port that is bound but not
    listening, so the connection is refused at once and nothing leaves the machine; a sample
    streamed chunk is validated as the response type.
    """
    streamer.client  # noqa: B018 - created here, on the serving loop, with its HTTP session
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, never listening: connecting is refused
        warm = GeminiStreamer(
            None,
            streamer.model,
            streamer.base_config,
            client_options={
                "api_key": "warm-up",
                "http_options": types.HttpOptions(
                    base_url=f"http://127.0.0.1:{closed.getsockname()[1]}",
                    retry_options=types.HttpRetryOptions(attempts=1),
                ),
            },
        )
        try:
            async for _ in warm.stream("warm-up", "warm-up"):
                pass
        except Exception:
            pass  # refused, as intended
        finally:
            await warm.aclose()
    types.GenerateContentResponse.model_validate(
        {
            "candidates": [
                {"content": {"parts": [{"text": "Hi."}], "role": "model"}, "index": 0, "finishReason": "STOP"}
            ],
            "usageMetadata": {"promptTokenCount": 1, "candidatesTokenCount": 1, "totalTokenCount": 2},
            "modelVersion": "warm-up",
        }
    )


async def _close_stream(response: AsyncIterator[Any]) -> None:
    """Close an SDK stream that is parked between chunks, so that the HTTP stream closes now.

    The next read is started in a helper task and cancelled once it waits on the network: the
    cancellation then unwinds every nested generator of the SDK in order. Chunks already
    buffered are read and dropped first (bounded); a library that swallows the cancellation
    cannot hold the turn longer than `_CANCEL_WAIT_S`.
    """
    for _ in range(_CLOSE_MAX_BUFFERED_CHUNKS):
        step = asyncio.ensure_future(anext(response))
        try:
            await asyncio.sleep(0)  # the step runs first: to its network wait, or to a buffered chunk
        finally:
            if not step.done():
                step.cancel()
                await asyncio.wait({step}, timeout=_CANCEL_WAIT_S)
        if not step.done() or step.cancelled() or step.exception() is not None:
            return  # cancelled at the read (or stuck past the bound), ended, or failed
    closer = getattr(response, "aclose", None)
    if closer is not None:
        await closer()


def _text_of(chunk: types.GenerateContentResponse) -> str:
    candidates = chunk.candidates or []
    if not candidates or candidates[0].content is None:
        return ""
    parts = candidates[0].content.parts or []
    return "".join(p.text for p in parts if p.text and not p.thought)


def build_streamer(settings: BrainSettings) -> GeminiStreamer | None:
    """The streamer, its client still to be created on the serving loop (None without a model)."""
    if not settings.brain_use_llm:
        return None
    api_key = settings.gemini_api_key.get_secret_value() if settings.gemini_api_key else None
    if not api_key and not (settings.gemini_vertexai and settings.gemini_project):
        logger.warning("BRAIN_USE_LLM is on but no GEMINI_API_KEY or Vertex project is set: playbook only")
        return None
    http_options: dict[str, Any] = {
        "retry_options": types.HttpRetryOptions(attempts=1),
        "timeout": int(max(settings.llm_first_text_deadline_s, settings.llm_stall_deadline_s) * 1000 * 10),
    }
    if settings.gemini_base_url:
        http_options["base_url"] = settings.gemini_base_url
    options: dict[str, Any] = {"http_options": types.HttpOptions(**http_options)}
    if settings.gemini_vertexai and settings.gemini_project:
        options.update(vertexai=True, project=settings.gemini_project, location=settings.gemini_location)
        endpoint = (
            settings.gemini_base_url or "https://aiplatform.googleapis.com/"
        )  # picks the proxy (no spares on Vertex)
    else:
        options.update(api_key=api_key)
        endpoint = settings.gemini_base_url or "https://generativelanguage.googleapis.com/"  # the SDK's default
    thinking = None
    if settings.gemini_thinking_level != "off":
        thinking = types.ThinkingConfig(
            thinking_level=types.ThinkingLevel(settings.gemini_thinking_level.upper()), include_thoughts=False
        )
    config = LeanConfig(
        temperature=settings.gemini_temperature,
        max_output_tokens=settings.gemini_max_output_tokens,
        thinking_config=thinking,
        candidate_count=1,
    )
    return GeminiStreamer(None, settings.gemini_model, config, client_options=options, endpoint=endpoint)
