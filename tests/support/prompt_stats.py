"""Simulated answered calls of a prompt version with challenger wordings, in a warehouse shaped like
the journeys marts: shared by the prompt stats/candidate tests and `bench/prompt_stats.py`."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import duckdb
import pandas as pd

from contracts.prompt_assignment import assign_variant, unit_hash
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import open_warehouse
from vocabulary.prompt_versions import builtin_version, validate_version

EMAIL_B = "Who should get a short summary? What's their email?"
PRICE_B = "I can put prices in a short email. Who should get it?"


def version_with_challengers(name: str = "p-1") -> dict:
    doc = copy.deepcopy(builtin_version())
    doc["version"] = name
    doc["parent"] = "builtin-v1"
    doc["lines"]["email_ask"]["variants"] = [{"id": "b", "say": [EMAIL_B]}]
    doc["lines"]["objections"]["price"]["variants"] = [{"id": "b", "say": [PRICE_B]}]
    return validate_version(doc)


def make_warehouse(path: Path, calls: list[dict]) -> duckdb.DuckDBPyConnection:
    """The three tables the stats read, with exactly the columns their contracts promise, in the
    warehouse the environment names: the DuckDB file ``path``, or the DuckLake of `WAREHOUSE_URL`
    (tables replaced: a test may build several worlds one after the other)."""
    conn = open_warehouse(PipelineSettings(warehouse_path=path))
    conn.execute(
        "CREATE SCHEMA IF NOT EXISTS raw; CREATE SCHEMA IF NOT EXISTS staging; CREATE SCHEMA IF NOT EXISTS marts"
    )
    conn.execute("CREATE OR REPLACE TABLE raw.brain_calls (call_id VARCHAR, record JSON)")
    conn.execute(
        "CREATE OR REPLACE TABLE marts.call_features (call_id VARCHAR, prompt_version VARCHAR, answered BOOLEAN, "
        "email_captured BOOLEAN, direct_email_captured BOOLEAN, outcome VARCHAR)"
    )
    conn.execute(
        "CREATE OR REPLACE TABLE staging.transcript_lines (call_id VARCHAR, idx INTEGER, role VARCHAR, text VARCHAR)"
    )
    conn.execute(
        "CREATE OR REPLACE TABLE marts.line_signals "
        "(call_id VARCHAR, idx INTEGER, email VARCHAR, is_dnc BOOLEAN, objections VARCHAR[])"
    )
    features = [(c["id"], c["version"], c["answered"], c["email"], c["email"], c["outcome"]) for c in calls]
    lines = [(c["id"], idx, role, text) for c in calls for idx, (role, text) in enumerate(c["lines"])]
    signals = [(c["id"], idx, *signal) for c in calls for idx, signal in c["signals"].items()]
    records = [(c["id"], json.dumps(c["record"])) for c in calls if "record" in c]
    for table, rows in (
        ("raw.brain_calls", records),
        ("marts.call_features", features),
        ("staging.transcript_lines", lines),
        ("marts.line_signals", signals),
    ):
        if rows:
            conn.register("incoming", pd.DataFrame(rows))
            conn.execute(f"INSERT INTO {table} SELECT * FROM incoming")
            conn.unregister("incoming")
    return conn


def simulated_calls(version: dict, n: int, *, base_rate: float, b_rate: float) -> list[dict]:
    """Answered calls: each hears the email ask wording its id hashes to; the caller gives an email
    with that wording's hidden rate (deterministic by id). Every 10th call raises a price objection."""
    calls = []
    email_ask = version["lines"]["email_ask"]
    for i in range(n):
        cid = f"call_{version['version']}_{i:05d}"
        variant = assign_variant(cid, "email_ask", ["base", "b"])
        ask = email_ask["say"][0] if variant == "base" else email_ask["variants"][0]["say"][0]
        captured = unit_hash(cid, "caller") < (base_rate if variant == "base" else b_rate)
        lines = [("agent", "Hi, this is Cassidy with Eve. I'm an AI assistant. Do you have a quick second?")]
        lines += [("user", "Sure."), ("agent", f"Got it. {ask}")]
        signals: dict[int, tuple] = {}
        if i % 10 == 0:
            lines += [
                ("user", "How much is it?"),
                (
                    "agent",
                    PRICE_B
                    if i % 20 == 0
                    else version["lines"]["objections"]["price"]["say"][0].replace("{persona}", "Cassidy"),
                ),
            ]
            signals[3] = (None, False, ["price"])
        if captured:
            lines += [("user", "jane at glowspa dot com")]
            signals[len(lines) - 1] = ("jane@glowspa.com", False, [])
        dnc = i % 97 == 0
        if dnc:
            lines += [("user", "Take me off your list.")]
            signals[len(lines) - 1] = (None, True, [])
        outcome = "dnc" if dnc else "email_captured" if captured else "other"
        calls.append(
            {
                "id": cid,
                "version": version["version"],
                "answered": True,
                "email": captured,
                "outcome": outcome,
                "lines": lines,
                "signals": signals,
            }
        )
    calls.append(
        {
            "id": "unanswered",
            "version": version["version"],
            "answered": False,
            "email": False,
            "outcome": "no_answer",
            "lines": [],
            "signals": {},
        }
    )
    return calls
