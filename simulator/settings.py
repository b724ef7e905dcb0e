"""Settings of the simulated Retell: one pydantic-settings object, ``SIM_*`` variables, offline defaults.

Every field reads ``SIM_<NAME>`` from the environment (or `.env`); `.env.example` documents them.
The API key is a local stand-in, not a secret of any real account: the simulator signs its webhooks
with it, so the brain must be started with ``RETELL_API_KEY`` set to the same value.
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class SimulatorSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SIM_", env_file=".env", env_file_encoding="utf-8", extra="ignore")

    host: str = Field(default="127.0.0.1", description="Interface the simulated Retell API listens on.")
    port: int = Field(default=0, ge=0, le=65535, description="Its port (0 = any free port, printed at start).")
    api_key: SecretStr = Field(
        default=SecretStr("key_simulator_local"),
        description="Bearer key clients must send; also the webhook signing key (RETELL_API_KEY of the brain).",
    )
    brain_ws_url: str = Field(
        default="ws://127.0.0.1:8080/llm-websocket",
        description="The agent's llm_websocket_url; each call connects to <url>/<call_id>.",
    )
    webhook_url: str = Field(
        default="http://127.0.0.1:8080/webhooks/retell",
        description="Where signed call_started/call_ended/call_analyzed webhooks are POSTed ('' = none).",
    )
    agent_id: str = Field(default="agent_simulated", min_length=1, description="agent_id of calls without override.")
    concurrency_limit: int = Field(default=20, ge=1, le=100_000, description="Ongoing calls before create gets 429.")
    time_scale: float = Field(
        default=1000.0,
        gt=0,
        le=1_000_000,
        description="Simulated seconds per real second (ring, speech, pauses); 2880 plays an 8-hour day in 10 s.",
    )
    clock_start_ms: int = Field(
        default=0, ge=0, description="Simulated clock's start, epoch ms (0 = the real now); call timestamps follow it."
    )
    seed: int = Field(default=0, description="Seed of the persona draw and every caller decision.")
    run_id: str = Field(
        default="",
        pattern=r"^[A-Za-z0-9_-]{0,64}$",
        description="Salt of the call ids ('' = random per start), so two runs never reuse an id.",
    )
    ping_interval_ms: int = Field(default=2000, ge=50, le=60_000, description="ping_pong cadence (Retell: 2000).")
    reply_timeout_s: float = Field(
        default=15.0, gt=0, le=600, description="A brain reply not complete by then ends the call as an error."
    )
    connect_retry_gap_s: float = Field(
        default=3.0, ge=0, le=60, description="Pause between the 3 websocket connect attempts (Retell: 3 s)."
    )
    max_turns: int = Field(default=30, ge=1, le=500, description="Caller turns before the caller hangs up.")
    webhook_timeout_s: float = Field(default=10.0, gt=0, le=120, description="Per delivery attempt (Retell: 10).")
    webhook_attempts: int = Field(default=4, ge=1, le=10, description="Delivery attempts per event (Retell: 1 + 3).")
