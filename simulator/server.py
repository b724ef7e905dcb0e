"""`RetellSimulator`: the simulated Retell as an object for tests, demos and `make simulator`.

    with RetellSimulator(SimulatorSettings(brain_ws_url=..., webhook_url=...)) as sim:
        client = Retell(api_key=sim.api_key, base_url=sim.base_url)
        client.call.create_phone_call(from_number=..., to_number=...)
        sim.wait_for_calls(1, timeout=30)

It serves the REST API (`simulator/api.py`) with uvicorn on a loopback port from a background
thread; calls run on that server's event loop. `catalog=` replaces the persona catalogue,
`caller_factory=` decides the persona of each call itself (``(call, rng) -> SimPersona``).
`wait_for_calls(n)` / `wait_until_idle()` block on events (not sleeps) until calls have finished:
ended, and every webhook attempted.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import socket
import threading
import time
from collections.abc import AsyncIterator, Sequence
from typing import Any

import uvicorn

from simulator.api import SimulatedRetellApi
from simulator.call_book import CallBook
from simulator.casting import CallerFactory, Casting
from simulator.dialer import Dialer, SimClock
from simulator.persona import SimPersona
from simulator.personas import CATALOG
from simulator.settings import SimulatorSettings
from simulator.webhooks import WebhookSender


class RetellSimulator:
    def __init__(
        self,
        settings: SimulatorSettings | None = None,
        *,
        catalog: Sequence[SimPersona] = CATALOG,
        caller_factory: CallerFactory | None = None,
        clock_start_ms: int | None = None,
    ) -> None:
        self.settings = settings or SimulatorSettings()
        s = self.settings
        self.book = CallBook(s.concurrency_limit)
        self.clock = SimClock(
            s.time_scale, clock_start_ms if clock_start_ms is not None else (s.clock_start_ms or None)
        )
        self.casting = Casting(catalog, s.seed, caller_factory)
        self.webhooks = WebhookSender(
            s.webhook_url, s.api_key.get_secret_value(), timeout_s=s.webhook_timeout_s, attempts=s.webhook_attempts
        )
        self.dialer = Dialer(s, self.book, self.casting, self.webhooks, self.clock)
        self.api = SimulatedRetellApi(
            api_key=s.api_key.get_secret_value(),
            agent_id=s.agent_id,
            run_id=s.run_id or secrets.token_hex(8),
            book=self.book,
            dialer=self.dialer,
        )
        self.app = self.api.app(lifespan=self._lifespan)
        self.port = s.port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle ---------------------------------------------------------------------------
    def start(self, timeout_s: float = 15.0) -> RetellSimulator:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.settings.host, self.settings.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="on", backlog=2048)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="retell-simulator", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:  # uvicorn exposes no start event; polled against a deadline
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the Retell simulator did not start")
            time.sleep(0.01)
        return self

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Any) -> AsyncIterator[None]:
        yield
        await self._shutdown()

    async def _shutdown(self) -> None:
        for task in list(self.dialer.tasks):
            task.cancel()
        if self.dialer.tasks:
            await asyncio.gather(*self.dialer.tasks, return_exceptions=True)
        await self.webhooks.close()

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=30)

    def __enter__(self) -> RetellSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- what clients need -------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.settings.host}:{self.port}"

    @property
    def api_key(self) -> str:
        return self.settings.api_key.get_secret_value()

    # ---- observation -------------------------------------------------------------------------
    def wait_for_calls(self, n: int, timeout: float = 60.0) -> list[dict[str, Any]]:
        """Block until `n` calls have finished; returns the finished calls in finishing order."""
        return self.book.wait_for(n, timeout)

    def wait_until_idle(self, timeout: float = 60.0) -> None:
        self.book.wait_idle(timeout)

    def calls(self) -> list[dict[str, Any]]:
        return self.book.all()

    def call(self, call_id: str) -> dict[str, Any] | None:
        return self.book.get(call_id)

    def stats(self) -> dict[str, Any]:
        counters = dict(self.book.counters)
        finished = self.book.finished_calls()
        hooks = self.webhooks.counters
        reasons = {k.split(":", 1)[1]: v for k, v in counters.items() if k.startswith("reason:")}
        personas = {k.split(":", 1)[1]: v for k, v in counters.items() if k.startswith("persona:")}
        errors = sum(v for k, v in reasons.items() if k.startswith("error_"))
        return {
            "created": counters.get("created", 0),
            "active": self.book.active,
            "peak_active": counters.get("peak_active", 0),
            "finished": len(finished),
            "rejected_concurrency": counters.get("rejected_concurrency", 0),
            "invalid_requests": counters.get("invalid_requests", 0),
            "unauthorized": counters.get("unauthorized", 0),
            "idempotent_replays": counters.get("idempotent_replays", 0),
            "by_disconnection_reason": reasons,
            "by_persona_kind": personas,
            "call_errors": errors + counters.get("internal_errors", 0),
            "reconnects": counters.get("reconnects", 0),
            "pings": counters.get("pings", 0),
            "pongs": counters.get("pongs", 0),
            "webhooks_delivered": hooks.delivered,
            "webhooks_failed": hooks.failed,
            "webhooks_retried": hooks.retried,
        }
