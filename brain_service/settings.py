"""Settings for the brain half: one pydantic-settings object, every field with an offline default.

Each field reads the environment variable of the same name in upper case (or `.env`).
`.env.example` documents every one of them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class BrainSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # --- server -------------------------------------------------------------------------------
    brain_host: str = "127.0.0.1"
    brain_port: int = Field(default=8080, ge=0, le=65535)
    data_dir: Path = Path("data")

    # --- transport / session (issue: brain transport) ----------------------------------------
    ws_write_timeout_ms: int = Field(default=400, ge=10, le=60_000, description="Deadline of every socket write.")
    ws_max_consecutive_write_timeouts: int = Field(
        default=2, ge=1, le=100, description="Timed-out writes in a row before closing 1011."
    )
    ws_max_frame_bytes: int = Field(
        default=4 * 1024 * 1024, ge=1024, le=256 * 1024 * 1024, description="Inbound frame cap; larger closes 1009."
    )
    ws_direct_writes: bool = Field(
        default=True, description="Batch frames straight into uvicorn's transport (one syscall per batch)."
    )
    ws_per_message_deflate: bool = Field(default=False, description="Offer permessage-deflate (costs CPU per frame).")
    brain_idle_timeout_s: float = Field(
        default=120.0, gt=0, le=86_400, description="No inbound frame for this long closes the session."
    )
    brain_max_sessions: int = Field(
        default=1500, ge=1, le=100_000, description="Concurrent calls; above it new sockets get HTTP 503."
    )
    brain_ping_interval_ms: int = Field(
        default=2000, ge=100, le=60_000, description="Cadence of the server's own ping_pong frames."
    )
    brain_reconnect_grace_s: float = Field(
        default=30.0, ge=0, le=3600, description="How long a dropped call waits for Retell to reconnect."
    )
    brain_max_retained_calls: int = Field(
        default=5000, ge=1, le=1_000_000, description="Bound on calls kept for reconnect resume."
    )
    brain_drain_timeout_s: float = Field(
        default=20.0, ge=0, le=3600, description="SIGTERM: time live turns get to finish before 1001."
    )
    brain_begin_wait_call_details_ms: int = Field(
        default=1000, ge=0, le=10_000, description="Greeting waits this long for call_details."
    )
    brain_turn_max_s: float = Field(
        default=30.0, gt=0, le=3600, description="A turn still open after this is closed with its terminal."
    )
    brain_outbound_queue_max: int = Field(
        default=256, ge=8, le=100_000, description="Queued speech frames per call before the turn waits."
    )
    brain_transcript_max_utterances: int = Field(
        default=200, ge=1, le=100_000, description="Newest utterances handed to the conversation."
    )
    brain_transcript_keep_words: bool = Field(
        default=False, description="Keep per-word timings in transcripts (memory heavy)."
    )
    retell_transcript_with_tool_calls: bool = Field(
        default=False, description="config.transcript_with_tool_calls sent to Retell."
    )
    brain_send_tool_call_frames: bool = Field(
        default=True, description="Write tool_call_invocation/result frames for tool events."
    )
    brain_gc_tuning: bool = Field(
        default=True,
        description="At start-up (app lifespan, any ASGI server): freeze the start-up heap out of the GC and "
        "apply the two thresholds below. Off only for processes hosting several brains (tests).",
    )
    brain_gc_middle_collection_every: int = Field(
        default=100,
        ge=1,
        le=10_000,
        description="Young GC passes between middle-generation passes in the service (CPython: 10).",
    )
    brain_gc_full_collection_every: int = Field(
        default=100, ge=1, le=10_000, description="Gen-1 GC passes between full passes in the service (CPython: 10)."
    )
    brain_log_level: str = Field(
        default="INFO", pattern="^(DEBUG|INFO|WARNING|ERROR|debug|info|warning|error)$", description="Log level."
    )
    brain_conversation_factory: str = Field(
        default="", description="module:callable(settings) -> ConversationFactory; empty = built-in."
    )

    # --- security ------------------------------------------------------------------------------
    brain_ws_token: SecretStr | None = Field(
        default=None, description="Secret URL token (?token= or path segment); empty = off."
    )
    brain_allowed_cidrs: str = Field(
        default="", description="Comma-separated IP/CIDR allowlist for the websocket; empty = off."
    )
    brain_trusted_proxies: str = Field(
        default="", description="Comma-separated CIDRs whose X-Forwarded-For is honoured."
    )
    brain_ops_token: SecretStr | None = Field(
        default=None, description="Token of the live operations page /ops (>= 16 chars); empty = page off (404)."
    )

    # --- conversation (issue: brain conversation) ---------------------------------------------
    agent_persona_name: str = Field(
        default="Cassidy", min_length=1, max_length=40, description="Name the agent introduces itself with."
    )
    agent_company_name: str = Field(
        default="Eve", min_length=1, max_length=60, description="Company the agent calls for."
    )
    agent_disclose_ai_at_start: bool = Field(default=True, description="Say 'I'm an AI assistant' in the greeting.")
    agent_voicemail_message: str = Field(
        default="Hi, this is {persona} from {company}. I'll try you again soon. Thanks, bye.",
        max_length=400,
        description="Left on answering machines ({persona}/{company}/{business} placeholders); empty = hang up silently.",
    )
    agent_max_turns: int = Field(
        default=24, ge=4, le=100_000, description="Agent turns before the playbook closes politely."
    )
    brain_use_llm: bool = Field(
        default=False, description="Phrase replies with Gemini when a key or Vertex project is set."
    )
    gemini_api_key: SecretStr | None = Field(default=None, description="Gemini Developer API key.")
    gemini_model: str = Field(default="gemini-3-flash-preview", min_length=1)
    gemini_base_url: str | None = Field(
        default=None, description="Override the Gemini endpoint (tests point it at a local fake)."
    )
    gemini_vertexai: bool = Field(
        default=False, description="Use Vertex AI (project/location, ADC credentials) instead of an API key."
    )
    gemini_project: str | None = None
    gemini_location: str = "global"
    gemini_thinking_level: str = Field(default="minimal", pattern="^(minimal|low|medium|high|off)$")
    gemini_temperature: float = Field(default=0.4, ge=0.0, le=2.0)
    gemini_max_output_tokens: int = Field(default=120, ge=16, le=2048)
    llm_first_text_deadline_s: float = Field(
        default=1.5, gt=0, le=30, description="No model text by then: speak the playbook reply."
    )
    llm_stall_deadline_s: float = Field(
        default=2.0, gt=0, le=30, description="Gap between model chunks that closes the stream."
    )
    speech_max_readability_grade: float = Field(
        default=8.0, ge=1, le=20, description="Model sentences above this grade are dropped."
    )
    call_record_enabled: bool = Field(
        default=True, description="Write $DATA_DIR/landing/brain_calls/<date>/<call_id>.json at call end."
    )
    brain_journal_enabled: bool = Field(
        default=True,
        description="Journal each live call under $DATA_DIR/brain/journal/<instance>/ so a crash loses no call record.",
    )
    brain_journal_instance: str = Field(
        default="main",
        min_length=1,
        max_length=100,
        description="Name of this brain's journal folder; several brains sharing a DATA_DIR need one each.",
    )
    brain_journal_fsync: bool = Field(
        default=False,
        description="fsync every journal append (survives a host crash too; blocks the loop ~1.6 ms per append).",
    )

    # --- webhooks (issue: call data) ----------------------------------------------------------
    retell_api_key: SecretStr | None = Field(default=None, description="Retell API key: verifies webhook signatures.")
    retell_webhook_max_body_bytes: int = Field(
        default=10_000_000, gt=0, description="Larger webhook bodies are refused with 413 before verification."
    )


@lru_cache(maxsize=1)
def get_settings() -> BrainSettings:
    return BrainSettings()
