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
    # (fields added by the transport work)

    # --- security ------------------------------------------------------------------------------
    # (fields added by the transport work)

    # --- conversation (issue: brain conversation) ---------------------------------------------
    # (fields added by the conversation work)

    # --- webhooks (issue: call data) ----------------------------------------------------------
    retell_api_key: SecretStr | None = Field(default=None, description="Retell API key: verifies webhook signatures.")


@lru_cache(maxsize=1)
def get_settings() -> BrainSettings:
    return BrainSettings()
