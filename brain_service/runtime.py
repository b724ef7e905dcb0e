"""Everything one brain app instance shares across calls: settings, metrics, gates, call registry.

Built once by :func:`brain_service.app.create_app` and reachable as ``app.state.brain``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from brain_service.conversation_contract import ConversationFactory
from brain_service.metrics import BrainMetrics
from brain_service.security import HandshakeGate
from brain_service.settings import BrainSettings
from brain_service.transport.registry import CallRegistry


@dataclass
class BrainRuntime:
    settings: BrainSettings
    factory: ConversationFactory
    metrics: BrainMetrics
    gate: HandshakeGate
    registry: CallRegistry
    observer: Callable[..., None] | None = None

    @classmethod
    def build(
        cls, settings: BrainSettings, factory: ConversationFactory, observer: Callable[..., None] | None = None
    ) -> BrainRuntime:
        token = settings.brain_ws_token.get_secret_value() if settings.brain_ws_token else None
        gate = HandshakeGate(
            token=token, allowed_cidrs=settings.brain_allowed_cidrs, trusted_proxies=settings.brain_trusted_proxies
        )
        metrics = BrainMetrics()
        registry = CallRegistry(settings, factory, metrics)
        return cls(settings=settings, factory=factory, metrics=metrics, gate=gate, registry=registry, observer=observer)

    async def drain(self, timeout: float | None = None) -> None:
        await self.registry.drain(timeout)
