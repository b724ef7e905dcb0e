"""Every service of docker-compose.yml run for real: its command, its environment and its healthcheck.

The Dagster services run with the compose environment (DAGSTER_HOME is the image's /app/deploy,
i.e. deploy/ here, storage in a PostgreSQL database of the test's own), and a run launched through
the webserver's GraphQL API is queued, picked up by the daemon and executed by the code server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import urllib.request

import psycopg
import pytest
from compose_helpers import (
    PG_HOST,
    PG_PORT,
    PG_USER,
    ROOT,
    SERVICES,
    MissingVariable,
    Service,
    free_port,
    load_compose,
    local_command,
    local_path,
    replace_option,
    run_healthcheck,
    wait_until,
)

pytestmark = pytest.mark.slow


def _graphql(port: int, query: str, variables: dict | None = None) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        payload = json.loads(response.read())
    assert "errors" not in payload, payload
    return payload["data"]


LOCATIONS = "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"
LAUNCH = """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }"""
RUN_STATUS = "query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"


def _base_env(tmp_path) -> dict[str, str]:
    """The machine's environment less anything that would point a service elsewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_", "BRAIN_", "DATA_DIR"))}
    env["PYTHONPATH"] = str(ROOT)  # the image's PYTHONPATH=/app
    env["HOME"] = str(tmp_path / "home")  # the image's user has a home of its own
    (tmp_path / "home").mkdir(exist_ok=True)
    return env


def _service_env(name: str, compose_env: dict[str, str], base: dict[str, str], overrides: dict[str, str]) -> dict:
    environment = load_compose(compose_env)["services"][name].get("environment", {})
    env = {**base, **{k: str(v) for k, v in environment.items()}, **overrides}
    if "DAGSTER_HOME" in environment:
        env["DAGSTER_HOME"] = str(local_path(environment["DAGSTER_HOME"]))
    return env


def _ok(check) -> bool:
    try:
        return check() == 0
    except Exception:
        return False


@pytest.mark.timeout(240)
def test_dagster_services_run_for_real_on_postgres(tmp_path, postgres_database):
    code_port, web_port = free_port(), free_port()
    compose_env = {"DAGSTER_PG_PASSWORD": "unused-with-trust-auth", "DAGSTER_PG_USER": PG_USER}
    compose_env["DAGSTER_PG_DB"] = postgres_database
    storage, data = tmp_path / "dagster-storage", tmp_path / "data"
    storage.mkdir()
    data.mkdir()  # the image creates /data (an empty DATA_DIR directory makes DuckDB connects retry for minutes)
    base = _base_env(tmp_path)
    network = {
        "DAGSTER_PG_HOST": PG_HOST,
        "DAGSTER_PG_PORT": str(PG_PORT),
        "DAGSTER_CODE_HOST": "127.0.0.1",
        "DAGSTER_CODE_PORT": str(code_port),
        "DAGSTER_STORAGE_DIR": str(storage),
    }
    envs = {
        name: _service_env(name, compose_env, base, network)
        for name in ("dagster-code", "dagster-webserver", "dagster-daemon")
    }
    envs["dagster-code"]["DATA_DIR"] = str(data)
    assert "DATA_DIR" not in envs["dagster-webserver"] and "DATA_DIR" not in envs["dagster-daemon"]
    dagster_home = local_path(SERVICES["dagster-code"]["environment"]["DAGSTER_HOME"])
    home_before = sorted(p.name for p in dagster_home.iterdir())

    code_cmd = replace_option(
        replace_option(SERVICES["dagster-code"]["command"], "-p", str(code_port)), "-h", "127.0.0.1"
    )
    web_cmd = replace_option(
        replace_option(SERVICES["dagster-webserver"]["command"], "-p", str(web_port)), "-h", "127.0.0.1"
    )
    running: list[Service] = []
    try:
        code = Service("dagster-code", local_command(code_cmd), envs["dagster-code"], tmp_path)
        running.append(code)
        wait_until(
            lambda: _ok(lambda: run_healthcheck("dagster-code", envs["dagster-code"], {"4000": str(code_port)})),
            90,
            "dagster-code healthcheck",
            running,
        )
        # compose starts these once dagster-code is healthy
        web = Service("dagster-webserver", local_command(web_cmd), envs["dagster-webserver"], tmp_path)
        daemon = Service(
            "dagster-daemon", local_command(SERVICES["dagster-daemon"]["command"]), envs["dagster-daemon"], tmp_path
        )
        running += [web, daemon]
        wait_until(
            lambda: _ok(
                lambda: run_healthcheck("dagster-webserver", envs["dagster-webserver"], {"3000": str(web_port)})
            ),
            60,
            "dagster-webserver healthcheck",
            running,
        )
        wait_until(
            lambda: (
                _graphql(web_port, LOCATIONS)["workspaceOrError"]["locationEntries"]
                == [{"name": "pipelines", "loadStatus": "LOADED"}]
            ),
            60,
            "the webserver loading the `pipelines` location from the code server",
            running,
        )
        wait_until(
            lambda: _ok(lambda: run_healthcheck("dagster-daemon", envs["dagster-daemon"])),
            60,
            "dagster-daemon liveness-check",
            running,
        )

        selector = {
            "repositoryLocationName": "pipelines",
            "repositoryName": "__repository__",
            "jobName": "publish_serving",
        }
        # two runs at once: both write the warehouse, so they queue on the `duckdb_write` pool (slots in PostgreSQL)
        run_ids = []
        for _ in range(2):
            launched = _graphql(web_port, LAUNCH, {"p": {"selector": selector, "runConfigData": {}}})["launchRun"]
            assert launched["__typename"] == "LaunchRunSuccess", launched
            run_ids.append(launched["run"]["runId"])
        final = {"SUCCESS", "FAILURE", "CANCELED"}
        status: dict[str, str] = {}

        def finished() -> bool:
            for run_id in run_ids:
                status[run_id] = _graphql(web_port, RUN_STATUS, {"id": run_id})["runOrError"]["status"]
            return all(s in final for s in status.values())

        wait_until(finished, 90, f"runs {run_ids} of publish_serving finishing", running)
        assert set(status.values()) == {"SUCCESS"}, (status, code.log_tail())
        run_id = run_ids[0]

        # the run executed in the code server's environment (the only one with DATA_DIR) ...
        assert (data / "serving.duckdb").is_file()
        # ... its step logs landed in the storage volume the webserver mounts ...
        assert list(storage.glob(f"{run_id}/compute_logs/*")), sorted(map(str, storage.rglob("*")))
        # (nothing else lands there but sensor/backfill tick logs: the webserver mounts it read-only)
        entries = {p.name for p in storage.iterdir()}
        assert set(run_ids) <= entries and entries - set(run_ids) <= {"__repository__"}, sorted(entries)
        # ... and its history is in PostgreSQL, not in SQLite files
        with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=postgres_database) as conn:
            rows = conn.execute("SELECT run_id, status FROM runs WHERE run_id = ANY(%s)", (run_ids,)).fetchall()
        assert sorted(rows) == sorted((r, "SUCCESS") for r in run_ids)
    finally:
        for service in reversed(running):
            service.stop()

    # DAGSTER_HOME is the image's read-only /app/deploy: nothing may be written there
    assert sorted(p.name for p in dagster_home.iterdir()) == home_before
    # with the code server gone, its healthcheck fails (compose marks it unhealthy)
    assert run_healthcheck("dagster-code", envs["dagster-code"], {"4000": str(code_port)}) != 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"DAGSTER_PG_PORT": "5432; DROP DATABASE"}, 'env variable "DAGSTER_PG_PORT" cannot be coerced into an int'),
        ({"DAGSTER_PG_HOST": None}, 'environment variable "DAGSTER_PG_HOST" which is not set'),
    ],
)
def test_malformed_dagster_environment_fails_the_healthcheck_naming_the_variable(tmp_path, change, message):
    compose_env = {"DAGSTER_PG_PASSWORD": "x", "DAGSTER_PG_USER": PG_USER, "DAGSTER_PG_DB": "postgres"}
    network = {"DAGSTER_PG_HOST": PG_HOST, "DAGSTER_PG_PORT": str(PG_PORT), "DAGSTER_STORAGE_DIR": str(tmp_path)}
    env = _service_env("dagster-daemon", compose_env, _base_env(tmp_path), network)
    for name, value in change.items():
        if value is None:
            env.pop(name)
        else:
            env[name] = value
    test = local_command(SERVICES["dagster-daemon"]["healthcheck"]["test"][1:])
    result = subprocess.run(test, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


def test_dagster_services_refuse_to_start_without_the_postgres_password():
    with pytest.raises(MissingVariable, match="DAGSTER_PG_PASSWORD"):
        load_compose({})


def test_postgres_healthcheck_runs_for_real(postgres_database):
    env = load_compose({"DAGSTER_PG_PASSWORD": "x", "DAGSTER_PG_USER": PG_USER, "DAGSTER_PG_DB": postgres_database})
    service_env = {**os.environ, **env["services"]["postgres"]["environment"]}
    service_env.pop("PGPORT", None)
    assert run_healthcheck("postgres", service_env) == 0
    # nothing listening: unhealthy
    assert run_healthcheck("postgres", {**service_env, "PGPORT": str(free_port())}) != 0


def test_brain_command_and_healthcheck_work_for_real(tmp_path):
    port = free_port()
    compose = load_compose({"DAGSTER_PG_PASSWORD": "x"})["services"]["brain"]
    env = {**_base_env(tmp_path), **compose["environment"]}
    env |= {"BRAIN_HOST": "127.0.0.1", "BRAIN_PORT": str(port), "DATA_DIR": str(tmp_path / "data")}
    brain = Service("brain", local_command(compose["command"]), env, tmp_path)
    try:
        wait_until(
            lambda: _ok(lambda: run_healthcheck("brain", env, {"8080": str(port)})), 30, "brain healthcheck", [brain]
        )
    finally:
        code = brain.stop()
    # `docker stop` (stop_signal SIGTERM): the brain drains and exits on its own, well within the grace
    assert code in (0, -signal.SIGTERM), brain.log_tail()
    assert '"drain_done"' in brain.log_tail() and "Application shutdown complete" in brain.log_tail()
    # nothing listening: unhealthy
    assert run_healthcheck("brain", env, {"8080": str(port)}) != 0
