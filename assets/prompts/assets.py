"""Prompt refinement (group `prompts`): thin Dagster wiring over the `pipelines.prompts` library.

* `marts.prompt_version_stats` — per prompt version, line and wording: answered calls, email /
  direct capture and DNC rates with Wilson intervals, objections met and what followed each answer
  (`sql/marts/prompt_version_stats.sql`);
* `prompts.prompt_candidates`  — a candidate version learned from the active version's stats once it
  has `PROMPT_LEARN_MIN_CALLS` answered calls, written to `$DATA_DIR/prompts/candidates/<v>.json`;
  its blocking check `eval_gate` (a separate step, outside the warehouse pool) plays it through the
  simulated-caller eval against its parent and stores the result beside it.

Nothing here publishes: `make publish-prompt` does, and only when `PROMPT_LOCK` is open.
"""

import json

import dagster as dg
from dagster_duckdb import DuckDBResource

from contracts.atomic import atomic_write_bytes
from contracts.layout import DataLayout
from pipelines.platform.catalog import (
    CALL_FEATURES,
    LINE_SIGNALS,
    PROMPT_CANDIDATES,
    PROMPT_VERSION_STATS,
    PROMPTS,
    RAW_BRAIN_CALLS,
    STAGING_TRANSCRIPT_LINES,
    table,
)
from pipelines.platform.conventions import KIND_DUCKDB, KIND_JSON, KIND_PYTHON, OWNERS, WAREHOUSE_POOL, asset_tags
from pipelines.platform.metadata import table_metadata
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.sql import read_sql, run_sql_file
from pipelines.prompts.gate import run_gate
from pipelines.prompts.learn import GeminiAccess, learn_candidate
from pipelines.prompts.stats import build_prompt_version_stats, read_stats
from pipelines.prompts.store import PromptFiles

GROUP = PROMPTS
POOL = WAREHOUSE_POOL


@dg.asset(
    key=PROMPT_VERSION_STATS,
    group_name=GROUP,
    deps=[CALL_FEATURES, STAGING_TRANSCRIPT_LINES, LINE_SIGNALS, RAW_BRAIN_CALLS],
    kinds={KIND_DUCKDB},
    pool=POOL,
    owners=OWNERS,
    tags=asset_tags(),
    description="Per prompt version and line wording: capture / direct capture / DNC rates with Wilson intervals.",
)
def prompt_version_stats(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, settings: dg.ResourceParam[PipelineSettings]
) -> dg.MaterializeResult:
    versions = PromptFiles.under(settings.data_dir).known_versions()
    with warehouse.get_connection() as conn:
        run_sql_file(conn, "marts/schema.sql")
        build_prompt_version_stats(conn, versions.values())
        metadata = table_metadata(
            conn,
            table(PROMPT_VERSION_STATS),
            columns=["grain", "prompt_version", "line_key", "variant_id", "calls", "email_capture_rate", "dnc_rate"],
            limit=20,
        )
    return dg.MaterializeResult(
        metadata={**metadata, "versions_known": len(versions), "sql": "sql/marts/prompt_version_stats.sql"}
    )


@dg.asset(
    key=PROMPT_CANDIDATES,
    group_name=GROUP,
    deps=[PROMPT_VERSION_STATS],
    kinds={KIND_PYTHON, KIND_JSON},
    pool=POOL,
    owners=OWNERS,
    tags=asset_tags(),
    description="A candidate prompt version learned from the active version's stats (promote winners, retire losers).",
)
def prompt_candidates(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, settings: dg.ResourceParam[PipelineSettings]
) -> dg.MaterializeResult:
    files = PromptFiles.under(settings.data_dir)
    parent = files.active()
    with warehouse.get_connection() as conn:
        stats = read_stats(conn)
        examples: dict[str, list[str]] = {}
        query = read_sql("marts/prompt_version_stats/objection_examples.sql")
        for objection, text in conn.execute(query, {"prompt_version": parent["version"], "per_class": 5}).fetchall():
            examples.setdefault(objection, []).append(text)
    gemini = None
    if settings.gemini_configured and settings.gemini_api_key is not None:
        gemini = GeminiAccess(
            settings.gemini_api_key.get_secret_value(), settings.gemini_model, settings.gemini_base_url
        )
    result = learn_candidate(parent, stats, min_calls=settings.prompt_learn_min_calls, examples=examples, gemini=gemini)
    metadata: dict = {"parent": parent["version"], "reason": result.reason}
    if result.candidate is None:
        context.log.info("no prompt candidate: %s", result.reason)
        return dg.MaterializeResult(metadata={**metadata, "candidate": None})
    candidate = result.candidate
    atomic_write_bytes(
        DataLayout(settings.data_dir).prompt_candidate(candidate["version"]),
        (json.dumps(candidate, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    )
    info = candidate["candidate"]
    return dg.MaterializeResult(
        metadata={
            **metadata,
            "candidate": candidate["version"],
            "built_by": info["built_by"],
            "rationale": dg.MetadataValue.md(info["rationale"] or "-"),
            "diff": dg.MetadataValue.json(info["diff"]),
            "publish": f"PROMPT_LOCK=off make publish-prompt VERSION={candidate['version']}",
        }
    )


@dg.asset_check(
    asset=PROMPT_CANDIDATES,
    name="eval_gate",
    blocking=True,
    description="The candidate against its parent in the simulated-caller eval (floors + capture not lower).",
)
def eval_gate(
    context: dg.AssetCheckExecutionContext, settings: dg.ResourceParam[PipelineSettings]
) -> dg.AssetCheckResult:
    # its own step, outside the `duckdb_write` pool: the eval never touches the warehouse
    event = context.instance.get_latest_materialization_event(PROMPT_CANDIDATES)
    metadata = event.asset_materialization.metadata if event and event.asset_materialization else {}
    name = metadata["candidate"].value if "candidate" in metadata else None
    if not name:
        return dg.AssetCheckResult(passed=True, metadata={"skipped": "no candidate"})
    files = PromptFiles.under(settings.data_dir)
    candidate = files.candidates().get(str(name))
    if candidate is None:
        return dg.AssetCheckResult(passed=False, metadata={"error": f"candidate {name} missing or invalid"})
    parent = files.known_versions().get(candidate.get("parent") or "", files.active())
    gate = run_gate(candidate, parent)
    atomic_write_bytes(
        files.layout.prompt_candidate_eval(candidate["version"]), json.dumps(gate.as_metadata(), indent=2).encode()
    )
    return dg.AssetCheckResult(passed=gate.passed, metadata={"result": dg.MetadataValue.json(gate.as_metadata())})
