"""The brain's ASGI app: ``create_app(settings)`` and the module-level ``app`` for uvicorn.

Wires the Retell websocket endpoint (``/llm-websocket/{call_id}``, ``/ws/{call_id}``), health,
readiness and Prometheus metrics, the Retell webhooks router when that module is present, and the
live operations page ``/ops`` when ``BRAIN_OPS_TOKEN`` is set.
The conversation comes from ``brain_service.conversation.build_conversation_factory`` (or the
``BRAIN_CONVERSATION_FACTORY`` import path); if that package cannot be imported, a tiny built-in
conversation keeps calls answerable.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

from brain_service.conversation_contract import ConversationFactory
from brain_service.fallback_conversation import FallbackConversationFactory
from brain_service.logs import get_logger, install_server_log_hygiene
from brain_service.metrics import CONTENT_TYPE
from brain_service.ops import include_ops_page
from brain_service.runtime import BrainRuntime
from brain_service.runtime_tuning import tune_process
from brain_service.settings import BrainSettings, get_settings
from brain_service.transport.endpoint import RetellSocketEndpoint

logger = get_logger("app")


def _import_path(path: str) -> Callable[..., Any]:
    module_name, _, attribute = path.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"BRAIN_CONVERSATION_FACTORY must look like 'package.module:callable', got {path!r}")
    factory: object = getattr(importlib.import_module(module_name), attribute)
    if not callable(factory):
        raise ValueError(f"BRAIN_CONVERSATION_FACTORY {path!r} is not callable")
    return factory


def load_conversation_factory(settings: BrainSettings) -> ConversationFactory:
    """The configured conversation factory, B's default one, or the built-in fallback."""
    if settings.brain_conversation_factory:
        factory: ConversationFactory = _import_path(settings.brain_conversation_factory)(settings)
        return factory
    try:
        from brain_service.conversation import build_conversation_factory
    except ImportError:
        logger.warning("brain_service.conversation is not importable; using the built-in fallback conversation")
        return FallbackConversationFactory()
    return build_conversation_factory(settings)


def _include_webhooks(app: FastAPI, settings: BrainSettings) -> None:
    if importlib.util.find_spec("brain_service.webhooks") is None:
        return
    try:
        module = importlib.import_module("brain_service.webhooks")
        build = getattr(module, "build_router", None)
        router = build(settings) if callable(build) else module.router
        app.include_router(router)
    except Exception:
        logger.exception("brain_service.webhooks failed to load; webhooks are not served")


def create_app(
    settings: BrainSettings | None = None,
    conversation_factory: ConversationFactory | None = None,
    *,
    session_observer: Callable[..., None] | None = None,
) -> FastAPI:
    """Build the brain app. ``session_observer(event, call_id, **fields)`` is a test hook."""
    settings = settings or get_settings()
    install_server_log_hygiene()  # whatever server runs the app: no secrets, no per-connection noise
    factory = conversation_factory if conversation_factory is not None else load_conversation_factory(settings)
    runtime = BrainRuntime.build(settings, factory, session_observer)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        startup, shutdown = getattr(factory, "startup", None), getattr(factory, "shutdown", None)
        if startup is not None:
            await startup()  # e.g. the Gemini client, warmed before the first call
        runtime.registry.recover_journals()  # a crashed predecessor's calls: resumed or finished as interrupted
        runtime.registry.ensure_ticker()
        tune_process(settings)  # after the warm-up: what it built is frozen too
        try:
            yield
        finally:
            await runtime.drain()
            if shutdown is not None:
                await shutdown()

    app = FastAPI(title="Eve brain", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.brain = runtime
    app.state.settings = settings

    @app.get("/health")
    async def health() -> dict[str, Any]:
        return {"ok": True}

    @app.get("/ready")
    async def ready() -> Response:
        registry = runtime.registry
        body = {
            "ready": not registry.draining,
            "sessions": registry.live_count,
            "max_sessions": settings.brain_max_sessions,
        }
        return JSONResponse(body, status_code=503 if registry.draining else 200)

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(runtime.metrics.render(), media_type=CONTENT_TYPE)

    _include_webhooks(app, settings)
    include_ops_page(app, runtime)  # /ops, only when BRAIN_OPS_TOKEN is set
    app.add_middleware(RetellSocketEndpoint, runtime=runtime)
    return app


_app: FastAPI | None = None


def __getattr__(name: str) -> Any:
    """``brain_service.app:app`` is built on first access (so importing this module has no side effects)."""
    global _app
    if name == "app":
        if _app is None:
            _app = create_app()
        return _app
    raise AttributeError(name)
