"""The real brain app under the production server class, on an ephemeral loopback port in a thread."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from brain_service.app import create_app
from brain_service.conversation_contract import ConversationFactory
from brain_service.server import DrainingServer, uvicorn_config
from brain_service.settings import BrainSettings
from tests.support.servers import run_in_thread, stop


@dataclass
class RunningBrain:
    server: DrainingServer
    thread: threading.Thread
    port: int
    app: Any
    factory: Any = None
    observed: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def ws_base(self) -> str:
        """Retell's ``llm_websocket_url`` (the call id is appended)."""
        return f"{self.ws_url}/llm-websocket"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def runtime(self) -> Any:
        return self.app.state.brain

    def http_get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.http_url + path, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def metric(self, name: str, **labels: str) -> float:
        """One sample from /metrics (0 when absent)."""
        return metric_sample(self.http_get("/metrics")[1], name, **labels)

    def stop(self) -> None:
        stop(self.server, self.thread)


def metric_sample(text: str, name: str, **labels: str) -> float:
    """One sample of a Prometheus text exposition (0 when absent)."""
    wanted = name + ("{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}" if labels else "")
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        key, _, value = line.rpartition(" ")
        if _normalise(key) == wanted:
            return float(value)
    return 0.0


def _normalise(key: str) -> str:
    if "{" not in key:
        return key
    name, _, rest = key.partition("{")
    parts = sorted(p for p in rest.rstrip("}").split(",") if p)
    return name + "{" + ",".join(parts) + "}"


def start_brain(
    settings: BrainSettings,
    factory: ConversationFactory | None = None,
    *,
    observer: Callable[..., None] | None = None,
    uvicorn_overrides: dict[str, Any] | None = None,
) -> RunningBrain:
    """Start the brain on ``settings`` (use ``brain_port=0``); stop it with ``RunningBrain.stop()``."""
    if "brain_gc_tuning" not in settings.model_fields_set:  # several brains in one test process: no freeze
        settings = settings.model_copy(update={"brain_gc_tuning": False})
    app = create_app(settings, factory, session_observer=observer)
    config = uvicorn_config(app, settings, **{"log_level": "warning", **(uvicorn_overrides or {})})
    server = DrainingServer(config, app.state.brain)
    thread = run_in_thread(server, name="brain-under-test")
    return RunningBrain(server, thread, server.bound_port(), app, factory)
