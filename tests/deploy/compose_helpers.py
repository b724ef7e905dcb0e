"""Reading docker-compose.yml and the Dockerfile as compose would, and running their commands here.

No container engine runs on this machine, so the deploy tests take each service's command,
environment and healthcheck from the compose file and run them as local processes: `/app` (the
image's WORKDIR) maps to the repository, the compose network names map to 127.0.0.1 and each
published or internal port to a free local one.
"""

from __future__ import annotations

import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
DOCKERFILE = (ROOT / "Dockerfile").read_text()
VENV_BIN = Path(sys.executable).parent
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"  # the machine's PostgreSQL (trust auth)

_VARIABLE = re.compile(r"\$\$|\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}")


class MissingVariable(ValueError):
    """A `${NAME:?message}` whose NAME is unset or empty (compose refuses to start)."""


def interpolate(value, env: Mapping[str, str]):
    """Compose's variable interpolation over a parsed document: `${X}`, `${X:-default}`,
    `${X:?error}` and `$$` (a literal `$`)."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, operator, argument = match.groups()
        current = env.get(name, "")
        if operator == ":-":
            return current or argument
        if operator == ":?" and not current:
            raise MissingVariable(f"{name}: {argument}")
        return current

    return _VARIABLE.sub(substitute, value)


def load_compose(env: Mapping[str, str] | None = None) -> dict:
    """The compose file, interpolated with `env` (YAML anchors and merge keys resolved)."""
    return interpolate(yaml.safe_load(COMPOSE_TEXT), env or {})


RAW = yaml.safe_load(COMPOSE_TEXT)
SERVICES = RAW["services"]


def dockerfile_env() -> dict[str, str]:
    """The ENV of the Dockerfile (`ENV A=1 \\ B=2` form)."""
    env: dict[str, str] = {}
    for block in re.findall(r"^ENV ((?:.*\\\n)*.*)$", DOCKERFILE, re.M):
        for pair in shlex.split(block.replace("\\\n", " ")):
            name, _, value = pair.partition("=")
            env[name] = value
    return env


WORKDIR = re.findall(r"^WORKDIR (\S+)$", DOCKERFILE, re.M)[-1]


def local_path(container_path: str) -> Path:
    """Where a path of the image's /app tree lives in this checkout."""
    assert container_path.startswith(WORKDIR + "/"), container_path
    return ROOT / container_path[len(WORKDIR) + 1 :]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def local_command(argv: list[str]) -> list[str]:
    """A container command run with this venv's interpreter and console scripts."""
    head = argv[0]
    if head == "python":
        return [sys.executable, *argv[1:]]
    if (VENV_BIN / head).exists():
        return [str(VENV_BIN / head), *argv[1:]]
    return list(argv)


def replace_option(argv: list[str], flag: str, value: str) -> list[str]:
    out = list(argv)
    out[out.index(flag) + 1] = value
    return out


def _default_signals() -> None:
    # The test runner may have been started with SIGTERM/SIGINT ignored; a container's process is not.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Service:
    """One service's command run as a local process group, its output in a log file."""

    def __init__(self, name: str, argv: list[str], env: Mapping[str, str], log_dir: Path, cwd: Path = ROOT):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_default_signals,
        )

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            raise AssertionError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")

    def stop(self, grace_s: float = 20.0) -> int | None:
        """SIGTERM the process (as `docker stop` does), SIGKILL whatever of its tree is left after the grace."""
        try:
            tree = [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            tree = []
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            code = None
        _, alive = psutil.wait_procs(tree, timeout=0 if code is None else 5)
        for process in alive:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        if code is None:
            self.proc.wait(timeout=10)
        self._log.close()
        return code


def wait_until(predicate: Callable[[], bool], deadline_s: float, what: str, services: list[Service] = ()) -> None:
    """Poll `predicate` until it holds; fail with `what` (and the logs of dead services) at the deadline."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        for service in services:
            service.check_alive()
        if predicate():
            return
        time.sleep(0.25)
    logs = "\n".join(f"--- {s.name}\n{s.log_tail()}" for s in services)
    raise AssertionError(f"{what}: not within {deadline_s}s\n{logs}")


def run_healthcheck(service: str, env: Mapping[str, str], substitutions: Mapping[str, str] = {}) -> int:
    """Run a service's compose healthcheck here; `substitutions` rewrite container ports/hosts."""
    test = interpolate(SERVICES[service]["healthcheck"]["test"], env)
    kind, args = test[0], test[1:]
    if kind == "CMD-SHELL":
        (script,) = args
        for old, new in substitutions.items():
            script = script.replace(old, new)
        argv = ["sh", "-c", script]
    else:
        assert kind == "CMD", test
        argv = local_command([_substitute(a, substitutions) for a in args])
    timeout = _seconds(RAW["services"][service]["healthcheck"]["timeout"])
    result = subprocess.run(argv, cwd=ROOT, env=dict(env), capture_output=True, timeout=timeout + 10)
    return result.returncode


def _substitute(arg: str, substitutions: Mapping[str, str]) -> str:
    for old, new in substitutions.items():
        arg = arg.replace(old, new)
    return arg


def _seconds(duration: str) -> float:
    match = re.fullmatch(r"(\d+)s", duration)
    assert match, f"durations are written as <n>s: {duration}"
    return float(match.group(1))
