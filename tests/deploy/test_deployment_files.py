"""Dockerfile and docker-compose.yml read and checked (no container engine runs on this machine).

What compose promises: five services with healthchecks, resource limits and healthy-gated start
order; ports published on 127.0.0.1 only; environment names that something really reads; secrets
only by reference; the data volume writable only where runs and the brain write; Dagster's config
from the image, never from a volume. What the image promises: the lock's pins, no editable
install, a non-root user. The commands themselves run in test_compose_runs.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata

import pytest
import yaml
from compose_helpers import DOCKERFILE, RAW, ROOT, SERVICES, MissingVariable, dockerfile_env, load_compose, local_path
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from brain_service.settings import BrainSettings
from pipelines.platform.settings import PipelineSettings

DEPLOY_DAGSTER = yaml.safe_load((ROOT / "deploy" / "dagster.yaml").read_text())
EMBEDDED_DAGSTER = yaml.safe_load((ROOT / "dagster.yaml").read_text())
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
LOCK = {
    canonicalize_name(name): version
    for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)$", (ROOT / "requirements.lock").read_text(), re.M)
}
DAGSTER_SERVICES = ("dagster-code", "dagster-webserver", "dagster-daemon")


def _env_names_read_by(path) -> set[str]:
    return set(re.findall(r"env: ([A-Z][A-Z0-9_]+)", (ROOT / path).read_text()))


def _known_env_names() -> set[str]:
    names = {n.upper() for n in BrainSettings.model_fields} | {n.upper() for n in PipelineSettings.model_fields}
    names |= _env_names_read_by("deploy/dagster.yaml") | _env_names_read_by("deploy/workspace.yaml")
    names |= {"DAGSTER_HOME", "DAGSTER_DISABLE_TELEMETRY"}  # read by Dagster itself
    names |= {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}  # read by the postgres image
    return names


def _mounts(service: str) -> dict[str, tuple[str, str]]:
    """target path -> (volume, mode) of a service."""
    out = {}
    for spec in SERVICES[service].get("volumes", []):
        source, target, *mode = spec.split(":")
        out[target] = (source, mode[0] if mode else "rw")
    return out


def test_compose_declares_the_five_services_each_with_a_healthcheck_and_limits():
    assert set(SERVICES) == {"postgres", "dagster-code", "dagster-webserver", "dagster-daemon", "brain"}
    for name, service in SERVICES.items():
        check = service["healthcheck"]
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert {"interval", "timeout", "retries", "start_period"} <= set(check), name
        limits = service["deploy"]["resources"]["limits"]
        assert float(limits["cpus"]) > 0 and re.fullmatch(r"\d+[MG]", limits["memory"]), name
        assert service["restart"] == "unless-stopped", name
    eve = [name for name, service in SERVICES.items() if "build" in service]
    assert sorted(eve) == sorted([*DAGSTER_SERVICES, "brain"])
    assert {SERVICES[name]["image"] for name in eve} == {"eve:local"}, "one image for all Eve services"


def test_start_order_waits_for_healthy_dependencies():
    expected = {
        "dagster-code": {"postgres"},
        "dagster-webserver": {"postgres", "dagster-code"},
        "dagster-daemon": {"postgres", "dagster-code"},
    }
    for name, service in SERVICES.items():
        depends = service.get("depends_on", {})
        assert set(depends) == expected.get(name, set()), name
        for target, rule in depends.items():
            assert rule == {"condition": "service_healthy"}, (name, target)
            assert "healthcheck" in SERVICES[target]


def test_ports_are_published_on_loopback_only():
    published = {name: service["ports"] for name, service in SERVICES.items() if "ports" in service}
    assert published == {"dagster-webserver": ["127.0.0.1:3000:3000"], "brain": ["127.0.0.1:8080:8080"]}
    text = (ROOT / "docker-compose.yml").read_text()
    assert "To expose them" in text and "TLS proxy" in text, "the file says how to expose the ports safely"


def test_compose_environment_names_only_what_something_reads():
    known = _known_env_names()
    for name, service in SERVICES.items():
        for key in service.get("environment", {}):
            assert key in known, f"{name} sets {key}, which nothing reads"
    brain = SERVICES["brain"]["environment"]
    assert (brain["BRAIN_HOST"], brain["BRAIN_PORT"], brain["DATA_DIR"]) == ("0.0.0.0", "8080", "/data")
    # every name the Dagster config reads is set for every Dagster service
    needed = _env_names_read_by("deploy/dagster.yaml") | _env_names_read_by("deploy/workspace.yaml")
    for name in DAGSTER_SERVICES:
        assert needed <= set(SERVICES[name]["environment"]), name


def test_secrets_come_only_from_the_environment():
    for name, service in SERVICES.items():
        for key, value in service.get("environment", {}).items():
            if re.search(r"PASSWORD|TOKEN|SECRET|_KEY$", key):
                assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]+\}", str(value)), f"{name}.{key} must be a required reference"
    with pytest.raises(MissingVariable, match="DAGSTER_PG_PASSWORD"):
        load_compose({"DAGSTER_PG_PASSWORD": ""})
    resolved = load_compose({"DAGSTER_PG_PASSWORD": "s3cret"})["services"]
    assert resolved["postgres"]["environment"]["POSTGRES_PASSWORD"] == "s3cret"
    assert resolved["dagster-daemon"]["environment"]["DAGSTER_PG_USER"] == "dagster"  # offline default
    # the UI and the daemon run no user code: they get no application settings (.env) at all
    for name in ("dagster-webserver", "dagster-daemon", "postgres"):
        assert "env_file" not in SERVICES[name], name
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".venv" in ignored, "secrets and the venv never enter the image"


def test_the_data_volume_is_writable_only_where_runs_and_the_brain_write():
    holders = {name: _mounts(name).get("/data") for name in SERVICES}
    assert {name for name, mount in holders.items() if mount} == {"brain", "dagster-code"}
    assert holders["brain"] == holders["dagster-code"] == ("eve-data", "rw")
    assert _mounts("dagster-code")["/var/lib/dagster"] == ("dagster-storage", "rw")
    assert _mounts("dagster-webserver") == {"/var/lib/dagster": ("dagster-storage", "ro")}
    assert _mounts("dagster-daemon") == {"/var/lib/dagster": ("dagster-storage", "rw")}  # backfill logs
    assert _mounts("postgres") == {"/var/lib/postgresql/data": ("postgres-data", "rw")}
    assert set(RAW["volumes"]) == {"eve-data", "dagster-storage", "postgres-data"}


def test_dagster_config_comes_from_the_image_never_from_a_volume():
    image_env = dockerfile_env()
    for name in DAGSTER_SERVICES:
        env = SERVICES[name]["environment"]
        assert env["DAGSTER_HOME"] == image_env["DAGSTER_HOME"]
        assert env["DAGSTER_STORAGE_DIR"] == image_env["DAGSTER_STORAGE_DIR"]
        home = env["DAGSTER_HOME"]
        assert not any(t == home or t.startswith(home + "/") for t in _mounts(name)), f"{name} shadows {home}"
        assert (local_path(home) / "dagster.yaml").is_file()
    assert image_env["DATA_DIR"] == "/data"


def test_compose_dagster_yaml_is_postgres_backed_and_otherwise_the_embedded_one():
    assert set(DEPLOY_DAGSTER["storage"]) == {"postgres"}
    assert DEPLOY_DAGSTER["storage"]["postgres"]["postgres_db"]["scheme"] == "postgresql+psycopg2"
    assert "storage" not in EMBEDDED_DAGSTER, "`make run` keeps Dagster's SQLite default"
    for key in ("run_monitoring", "telemetry"):
        assert DEPLOY_DAGSTER[key] == EMBEDDED_DAGSTER[key], key
    assert DEPLOY_DAGSTER["concurrency"]["pools"] == EMBEDDED_DAGSTER["concurrency"]["pools"]
    extra = set(DEPLOY_DAGSTER) - set(EMBEDDED_DAGSTER)
    assert extra == {"storage", "compute_logs", "local_artifact_storage", "run_launcher"}


def test_every_dagster_process_serves_or_reads_the_one_code_location():
    location = PYPROJECT["tool"]["dg"]["project"]["code_location_name"]
    module = PYPROJECT["tool"]["dg"]["project"]["code_location_target_module"]
    embedded = yaml.safe_load((ROOT / "workspace.yaml").read_text())["load_from"][0]["python_module"]
    assert (embedded["location_name"], embedded["module_name"]) == (location, module)
    code = SERVICES["dagster-code"]["command"]
    assert code[:3] == ["dagster", "code-server", "start"]
    assert code[code.index("-m") + 1] == module and code[code.index("--location-name") + 1] == location
    port = code[code.index("-p") + 1]
    for name in ("dagster-webserver", "dagster-daemon"):
        command = SERVICES[name]["command"]
        workspace_path = ROOT / command[command.index("-w") + 1]
        (entry,) = yaml.safe_load(workspace_path.read_text())["load_from"]
        assert entry["grpc_server"]["location_name"] == location
        env = SERVICES[name]["environment"]
        assert env[entry["grpc_server"]["host"]["env"]] == "dagster-code"
        assert env[entry["grpc_server"]["port"]["env"]] == port


def test_dockerfile_installs_the_lock_without_an_editable_install_and_drops_root():
    base = re.search(r"^FROM python:(\d+\.\d+)", DOCKERFILE, re.M)
    assert base and base.group(1) == f"{sys.version_info.major}.{sys.version_info.minor}"
    assert re.search(r"pip install [^\n]*-c requirements\.lock", DOCKERFILE)
    assert not re.search(r"pip install[^\n]*(\s-e\s|--editable)", DOCKERFILE), "no editable install in the image"
    users = re.findall(r"^USER (\S+)$", DOCKERFILE, re.M)
    assert users and users[-1] not in ("root", "0"), "the image runs as an unprivileged user"
    assert re.search(rf"useradd [^\n]*\b{users[-1]}\b", DOCKERFILE)
    for copied in re.findall(r"^COPY (.+) \./$", DOCKERFILE, re.M):
        for path in copied.split():
            assert path == "." or (ROOT / path).exists(), path
    exposed = set(re.search(r"^EXPOSE (.+)$", DOCKERFILE, re.M).group(1).split())
    assert {"8080", "3000", "4000"} <= exposed
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M)
    assert cmd and yaml.safe_load(cmd.group(1)) == SERVICES["brain"]["command"]
    assert dockerfile_env()["PYTHONPATH"] == re.findall(r"^WORKDIR (\S+)$", DOCKERFILE, re.M)[-1]


def test_runtime_requirements_and_their_whole_closure_are_pinned_by_the_lock():
    script = re.search(r"^RUN python (\S+) pyproject\.toml", DOCKERFILE, re.M).group(1)
    printed = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / script), str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert printed == PYPROJECT["project"]["dependencies"]
    seen: set[str] = set()
    pending = [Requirement(line) for line in printed]
    for requirement in pending:
        (pin,) = requirement.specifier
        assert pin.operator == "==" and LOCK[canonicalize_name(requirement.name)] == pin.version, requirement
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        key = f"{name}[{','.join(sorted(requirement.extras))}]"
        if key in seen:
            continue
        seen.add(key)
        assert name in LOCK, f"{name} (needed by the image) is not pinned in requirements.lock"
        dist = metadata.distribution(requirement.name)
        assert dist.version == LOCK[name], f"{name}: installed {dist.version}, lock {LOCK[name]}"
        for line in dist.requires or []:
            sub = Requirement(line)
            environments = [{"extra": extra} for extra in requirement.extras] or [{"extra": ""}]
            if sub.marker is None or any(sub.marker.evaluate(e) for e in environments):
                pending.append(sub)
    assert "dagster-postgres" in {key.split("[")[0] for key in seen}
    dagster_pins = {n: v for n, v in LOCK.items() if n.startswith("dagster-") or n == "dagster"}
    core = LOCK["dagster"]
    for name, version in dagster_pins.items():
        patch = version.rsplit(".", 1)[-1]
        assert patch == core.rsplit(".", 1)[-1], f"{name}=={version} does not move with dagster=={core}"


def test_brain_stop_grace_outlasts_the_drain():
    grace = SERVICES["brain"]["stop_grace_period"]
    seconds = int(grace.rstrip("s"))
    assert SERVICES["brain"]["stop_signal"] == "SIGTERM"
    assert seconds >= BrainSettings().brain_drain_timeout_s + 5, "docker would SIGKILL live calls mid-drain"


@pytest.mark.skipif(shutil.which("docker") is None, reason="no docker CLI")
def test_docker_compose_config_accepts_the_file_when_the_plugin_exists(tmp_path):
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip("docker CLI without the compose plugin")
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "DAGSTER_PG_PASSWORD": "x", "HOME": str(tmp_path)}
    result = subprocess.run(
        ["docker", "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
