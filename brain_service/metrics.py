"""Prometheus metrics of the brain transport (prometheus-client, one registry per app).

The brain is single-process by design: per-call state and the reconnect registry live in the
process, so a second worker would both split the metrics and break reconnect resume (a reconnect
could land in the other worker). ``python -m brain_service`` refuses more than one worker; scale
out with more instances, each scraped on its own ``/metrics``.

Label values come from closed sets (frame types, bad-frame kinds, close reasons); nothing
per-call is ever a label. Hot-path children are bound once so an increment is one call.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from brain_service.transport import protocol

_FAST_BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
_TURN_BUCKETS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)

CONTENT_TYPE = CONTENT_TYPE_LATEST

disable_created_metrics()  # the *_created series double the exposition for no use here

# Closed set of close reasons (see docs/brain-transport.md).
CLOSE_REASONS = (
    "client_closed",
    "client_gone",
    "agent_end_call",
    "frame_too_large",
    "write_timeout",
    "idle_timeout",
    "shutdown",
    "replaced",
    "internal_error",
    "write_failed",
    "invalid_utf8",
)
FRAME_TYPES_IN = protocol.INTERACTION_TYPES + ("unknown",)
FRAME_TYPES_OUT = protocol.RESPONSE_TYPES


class BrainMetrics:
    """Every metric the transport exports, registered on a private registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.active_sessions = Gauge("brain_active_sessions", "Live websocket sessions.", registry=r)
        self.retained_calls = Gauge(
            "brain_retained_calls", "Calls kept in the registry (live + awaiting reconnect).", registry=r
        )
        self.sessions_started = Counter(
            "brain_sessions_started", "Websocket sessions accepted.", ["reconnect"], registry=r
        )
        self.frames_in = Counter("brain_frames_in", "Inbound frames by interaction_type.", ["type"], registry=r)
        self.frames_out = Counter("brain_frames_out", "Outbound frames written by response_type.", ["type"], registry=r)
        self.bad_frames = Counter(
            "brain_bad_frames", "Inbound frames that could not be used, by kind.", ["kind"], registry=r
        )
        self.session_closes = Counter(
            "brain_session_closes", "Sessions ended, by close reason.", ["reason"], registry=r
        )
        self.calls_finished = Counter(
            "brain_calls_finished", "Calls handed to conversation.finish, by close reason.", ["reason"], registry=r
        )
        self.write_failures = Counter(
            "brain_write_failures",
            "Frames that could not be encoded for the wire (the call is closed 1011).",
            registry=r,
        )
        self.write_timeouts = Counter(
            "brain_write_timeouts", "Socket writes that missed WS_WRITE_TIMEOUT_MS.", registry=r
        )
        self.stale_frames_dropped = Counter(
            "brain_stale_frames_dropped",
            "Outbound frames dropped because a newer request or a barge-in superseded them.",
            registry=r,
        )
        self.update_only_coalesced = Counter(
            "brain_update_only_coalesced",
            "update_only snapshots replaced by a newer one before being parsed.",
            registry=r,
        )
        self.handshake_rejections = Counter(
            "brain_handshake_rejections",
            "Websocket handshakes refused before accept, by reason.",
            ["reason"],
            registry=r,
        )
        self.turns = Counter("brain_turns", "Turns by outcome.", ["outcome"], registry=r)
        self.turn_errors = Counter(
            "brain_turn_errors", "Turns whose conversation raised (closed with an empty terminal).", registry=r
        )
        self.barge_ins = Counter(
            "brain_barge_ins", "Speech cut short by the caller (update_only user_turn).", registry=r
        )
        self.reconnects = Counter("brain_reconnects", "Sockets that resumed a known call.", registry=r)
        self.ping_delay = Histogram(
            "brain_ping_handling_delay_seconds",
            "Inbound ping_pong read to its echo written.",
            buckets=_FAST_BUCKETS,
            registry=r,
        )
        self.turn_latency = Histogram(
            "brain_turn_first_chunk_latency_seconds",
            "Request read to the first chunk of its reply written.",
            ["kind"],
            buckets=_TURN_BUCKETS,
            registry=r,
        )
        self.barge_in_latency = Histogram(
            "brain_barge_in_cancel_latency_seconds",
            "update_only user_turn read to the interrupted turn's terminal frame written.",
            buckets=_FAST_BUCKETS,
            registry=r,
        )
        # Pre-create the closed label sets so every series exists from the first scrape.
        for kind in FRAME_TYPES_IN:
            self.frames_in.labels(kind)
        for kind in FRAME_TYPES_OUT:
            self.frames_out.labels(kind)
        for kind in protocol.BAD_KINDS:
            self.bad_frames.labels(kind)
        for reason in CLOSE_REASONS:
            self.session_closes.labels(reason)
        self.frame_in = {kind: self.frames_in.labels(kind) for kind in FRAME_TYPES_IN}
        self.frame_out = {kind: self.frames_out.labels(kind) for kind in FRAME_TYPES_OUT}
        self.bad = {kind: self.bad_frames.labels(kind) for kind in protocol.BAD_KINDS}
        self.turn_latency_by_kind = {kind: self.turn_latency.labels(kind) for kind in ("begin", "response", "reminder")}

    def render(self) -> bytes:
        return generate_latest(self.registry)
