"""The brain as a real child process (``python -m brain_service``), for tests that kill -9 it.

`BrainProcess.start(data_dir, **env)` runs the production entry point on a free loopback port
with its own environment (no `.env`), waits for ``/health`` and keeps stderr (the JSON log lines)
in a file; `kill9()` is the crash, `stop()` the SIGTERM drain.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class BrainProcess:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @classmethod
    def start(cls, data_dir: Path, *, log_name: str = "brain", timeout_s: float = 30.0, **env: str) -> BrainProcess:
        port = free_port()
        environment = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", "/tmp"),
            "DATA_DIR": str(data_dir),
            "BRAIN_HOST": "127.0.0.1",
            "BRAIN_PORT": str(port),
            "BRAIN_LOG_LEVEL": "INFO",
            **{k.upper(): v for k, v in env.items()},
        }
        log_path = data_dir.parent / f"{log_name}.{port}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "brain_service"],
                cwd=data_dir.parent,  # no .env there: only the environment above configures it
                env={**environment, "PYTHONPATH": str(ROOT)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        brain = cls(process, port, log_path)
        deadline = time.monotonic() + timeout_s
        while not brain.healthy():
            if process.poll() is not None or time.monotonic() > deadline:
                brain.kill9()
                raise RuntimeError(f"brain did not start:\n{brain.log()}")
            time.sleep(0.05)
        return brain

    @property
    def ws_base(self) -> str:
        return f"ws://127.0.0.1:{self.port}/llm-websocket"

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill9(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout_s: float = 30.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.kill9()
            return -9
