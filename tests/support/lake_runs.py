"""Test-side helpers of the DuckLake process tests: start a writer/reader process, the synthetic
tables' content digest, and the same asset run alone in this process for comparison."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipelines.platform.settings import PipelineSettings

ROOT = Path(__file__).resolve().parents[2]


def start(role: str, name: str, control: Path, *extra: str) -> subprocess.Popen:
    """`python -m tests.support.lake_processes <role>` with this process's environment (the backend)."""
    log = open(control / f"{name}.log", "wb")  # noqa: SIM115 (the child writes it; closed when it exits)
    try:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.lake_processes",
                role,
                "--name",
                name,
                "--control",
                str(control),
                *extra,
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    finally:
        log.close()


def tail(control: Path, name: str) -> str:
    return (control / f"{name}.log").read_text(errors="replace")[-4000:]


def table_digest(conn) -> tuple:
    """Both synthetic tables' row counts and content hashes, independent of when they were written."""
    clinics = conn.execute(
        "SELECT count(*), md5(string_agg(clinic_id || name || phone_e164, ',' ORDER BY clinic_no)) "
        "FROM raw.synthetic_clinics"
    ).fetchone()
    leads = conn.execute(
        "SELECT count(*), md5(string_agg(record_no::VARCHAR || record::VARCHAR || ingested_at::VARCHAR, ',' "
        "ORDER BY record_no)) FROM raw.synthetic_leads"
    ).fetchone()
    return clinics, leads


def materialize_world(clinics: int, settings: PipelineSettings | None = None) -> None:
    """The real `synthetic_world` (clinics + lead records) in this process."""
    import dagster as dg

    from assets.synthetic.assets import SYNTHETIC_CLINICS, SYNTHETIC_LEADS, synthetic_world
    from pipelines.platform.resources import build_resources

    result = dg.materialize(
        [synthetic_world],
        selection=[SYNTHETIC_CLINICS, SYNTHETIC_LEADS],
        resources=build_resources(settings or PipelineSettings()),
        run_config={"ops": {"synthetic_world": {"config": {"n_clinics": clinics}}}},
    )
    assert result.success


def single_writer_digest(clinics: int, tmp_path: Path, monkeypatch) -> tuple:
    """The same asset run alone, on a fresh catalog schema and data path of the same PostgreSQL."""
    from pipelines.platform.warehouse import open_warehouse

    monkeypatch.setenv("WAREHOUSE_METADATA_SCHEMA", os.environ["WAREHOUSE_METADATA_SCHEMA"] + "_single")
    monkeypatch.setenv("WAREHOUSE_DATA_PATH", str(tmp_path / "lake_single"))
    settings = PipelineSettings()
    materialize_world(clinics, settings)
    with open_warehouse(settings, read_only=True) as conn:
        return table_digest(conn)
