"""A simulated Retell AI: its REST API on loopback, each created call played against the real
brain over the Custom-LLM websocket by a seeded caller persona, signed webhooks afterwards.

See docs/simulator.md. Entry points: `RetellSimulator` (Python), ``python -m simulator`` (standalone).
"""

from simulator.persona import CallContext, SimPersona
from simulator.server import RetellSimulator
from simulator.settings import SimulatorSettings

__all__ = ["CallContext", "RetellSimulator", "SimPersona", "SimulatorSettings"]
