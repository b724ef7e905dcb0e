"""Dockerfile and docker-compose.yml are read and checked here (no Docker engine on this machine).

The checks: the services, ports, environment and healthchecks compose declares; every environment
variable it sets is a real setting; every command it runs names something that exists; and the
commands themselves are exercised for real (the brain's healthcheck against a running brain, the
webserver command against the workspace) so the files cannot drift from the code.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from brain_service.settings import BrainSettings
from pipelines.settings import PipelineSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
SERVICES = COMPOSE["services"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _known_settings() -> set[str]:
    names = {n.upper() for n in BrainSettings.model_fields} | {n.upper() for n in PipelineSettings.model_fields}
    return names | {"DAGSTER_HOME"}


def test_compose_declares_the_three_services_with_ports_and_healthchecks():
    assert set(SERVICES) == {"brain", "dagster-webserver", "dagster-daemon"}
    assert SERVICES["brain"]["ports"] == ["8080:8080"]
    assert SERVICES["dagster-webserver"]["ports"] == ["3000:3000"]
    for name, service in SERVICES.items():
        check = service["healthcheck"]
        assert check["test"][0] == "CMD", name
        assert {"interval", "timeout", "retries"} <= set(check), name
        assert service["build"] == ".", name
        assert any(v.startswith("eve-data:") for v in service["volumes"]), name


def test_compose_environment_names_only_real_settings():
    known = _known_settings()
    for name, service in SERVICES.items():
        for key in service.get("environment", {}):
            assert key in known, f"{name} sets {key}, which no settings object reads"
    assert SERVICES["brain"]["environment"]["BRAIN_HOST"] == "0.0.0.0"
    assert SERVICES["brain"]["environment"]["BRAIN_PORT"] == "8080"
    for name in ("dagster-webserver", "dagster-daemon"):
        assert SERVICES[name]["environment"]["DAGSTER_HOME"] == "/dagster_home"


def test_compose_commands_name_things_that_exist():
    assert SERVICES["brain"]["command"] == ["python", "-m", "brain_service"]
    assert (ROOT / "brain_service" / "__main__.py").is_file()
    for name in ("dagster-webserver", "dagster-daemon"):
        command = SERVICES[name]["command"]
        workspace = command[command.index("-w") + 1]
        assert (ROOT / workspace).is_file(), workspace


def test_dockerfile_matches_the_project():
    base = re.search(r"^FROM python:(\d+\.\d+)", DOCKERFILE, re.M)
    assert base and base.group(1) == f"{sys.version_info.major}.{sys.version_info.minor}"
    assert "requirements.lock" in DOCKERFILE, "the image installs the same pinned set as make install"
    assert "EXPOSE 8080 3000" in DOCKERFILE
    copied = re.findall(r"^RUN .*cp (\S+) /dagster_home/", DOCKERFILE, re.M)
    for path in copied:
        assert (ROOT / path).is_file(), path
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M)
    assert cmd and yaml.safe_load(cmd.group(1)) == SERVICES["brain"]["command"]
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".venv" in ignored, "secrets and the venv never enter the image"


def _wait_http(url: str, deadline_s: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"process exited early with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {deadline_s}s")


def _healthcheck_python(service: str, port: int) -> list[str]:
    test = SERVICES[service]["healthcheck"]["test"][1:]
    assert test[:2] == ["python", "-c"]
    return [sys.executable, "-c", test[2].replace(str(SERVICES[service]["ports"][0].split(":")[1]), str(port))]


def test_brain_command_and_healthcheck_work_for_real(tmp_path):
    port = _free_port()
    env = {**os.environ, "BRAIN_HOST": "127.0.0.1", "BRAIN_PORT": str(port), "DATA_DIR": str(tmp_path)}
    command = [sys.executable if c == "python" else c for c in SERVICES["brain"]["command"]]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_http(f"http://127.0.0.1:{port}/health", 30, proc)
        check = subprocess.run(_healthcheck_python("brain", port), capture_output=True, timeout=20)
        assert check.returncode == 0, check.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # the healthcheck fails when nothing listens
    check = subprocess.run(_healthcheck_python("brain", port), capture_output=True, timeout=20)
    assert check.returncode != 0


@pytest.mark.slow
def test_dagster_webserver_command_serves_the_workspace(tmp_path):
    port = _free_port()
    (tmp_path / "dagster_home").mkdir()
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    command = list(SERVICES["dagster-webserver"]["command"])
    command[command.index("-p") + 1] = str(port)
    command[command.index("-h") + 1] = "127.0.0.1"
    command[0] = str(Path(sys.executable).with_name(command[0]))
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_http(f"http://127.0.0.1:{port}/server_info", 90, proc)
        check = subprocess.run(_healthcheck_python("dagster-webserver", port), capture_output=True, timeout=20)
        assert check.returncode == 0, check.stderr
        # the workspace location loaded (not just the server): ask GraphQL for the location name
        query = b'{"query": "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"}'
        deadline = time.monotonic() + 60
        entries = []
        while time.monotonic() < deadline:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/graphql", data=query, headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                import json

                entries = json.loads(response.read())["data"]["workspaceOrError"]["locationEntries"]
            if entries and entries[0]["loadStatus"] == "LOADED":
                break
            time.sleep(0.2)
        assert [e["name"] for e in entries] == ["pipelines"]
        assert entries[0]["loadStatus"] == "LOADED"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_brain_stop_grace_outlasts_the_drain():
    grace = SERVICES["brain"]["stop_grace_period"]
    seconds = int(grace.rstrip("s"))
    assert SERVICES["brain"]["stop_signal"] == "SIGTERM"
    assert seconds >= BrainSettings().brain_drain_timeout_s + 5, "docker would SIGKILL live calls mid-drain"
