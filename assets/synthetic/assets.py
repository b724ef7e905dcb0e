"""Synthetic world assets (group `synthetic`): clinics, leads and Retell-shaped calls, offline.

raw.synthetic_clinics      the clinics (fictional 555-01xx phones, IANA timezones, mailboxes)
raw.synthetic_leads        one raw lead record per clinic, lead-records contract (staging.leads reads it)
landing/synthetic_calls    get-call JSONL in $DATA_DIR/landing/retell_calls/synthetic/<day>/calls.jsonl

One op makes all three from one config, so they always describe the same world. Same seed and
as_of → byte-identical outputs, any day. Settings: SYNTHETIC_SEED, SYNTHETIC_AS_OF,
SYNTHETIC_CLINICS, SYNTHETIC_CALLS, SYNTHETIC_DAYS (run config overrides them). Logic lives in
`pipelines/synthetic/`; SQL in `sql/raw/`. Design and contract: docs/synthetic-world.md.
"""

from pathlib import Path

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from pipelines.platform.catalog import SYNTHETIC, SYNTHETIC_CALLS, SYNTHETIC_CLINICS, SYNTHETIC_LEADS, table
from pipelines.platform.conventions import KIND_DUCKDB, KIND_PYTHON, OWNERS, WAREHOUSE_POOL, asset_tags
from pipelines.platform.metadata import table_metadata
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.sql import run_sql_file
from pipelines.platform.transactions import in_transaction
from pipelines.synthetic.clinics import Clinic, generate_clinics
from pipelines.synthetic.config import SyntheticConfig, SyntheticConfigError
from pipelines.synthetic.leads import lead_record_rows, leads_source_file
from pipelines.synthetic.world import land_calls

GROUP = SYNTHETIC
SPEC = {"owners": OWNERS, "tags": asset_tags()}


class SyntheticWorldConfig(dg.Config):
    """Run-config overrides; anything left empty comes from the SYNTHETIC_* settings."""

    seed: int | None = None
    as_of: str | None = None
    n_clinics: int | None = None
    n_calls: int | None = None
    days: int | None = None

    def resolve(self, settings: PipelineSettings) -> SyntheticConfig:
        pick = lambda value, default: default if value is None else value  # noqa: E731
        try:
            return SyntheticConfig.build(
                seed=pick(self.seed, settings.synthetic_seed),
                as_of=pick(self.as_of, settings.synthetic_as_of),
                n_clinics=pick(self.n_clinics, settings.synthetic_clinics),
                n_calls=pick(self.n_calls, settings.synthetic_calls),
                days=pick(self.days, settings.synthetic_days),
            )
        except SyntheticConfigError as exc:
            raise dg.Failure(description=f"invalid synthetic world config: {exc}") from exc


def _clinics_frame(clinics: list[Clinic]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (
                c.clinic_no,
                c.clinic_id,
                c.lead_id,
                c.name,
                c.vertical,
                c.category,
                c.city,
                c.state,
                c.timezone,
                c.phone,
                c.website,
                c.domain,
                c.generic_email,
                c.direct_email,
                f"{c.contact_first} {c.contact_last}",
                c.contact_title,
            )
            for c in clinics
        ],
        columns=[
            "clinic_no",
            "clinic_id",
            "lead_id",
            "name",
            "vertical",
            "category",
            "city",
            "state",
            "timezone",
            "phone_e164",
            "website",
            "domain",
            "generic_email",
            "direct_email",
            "contact_name",
            "contact_title",
        ],
    )


def _counts_markdown(title: str, counts: dict) -> str:
    rows = "\n".join(f"| {key} | {value} |" for key, value in sorted(counts.items()))
    return f"| {title} | calls |\n|---|---|\n{rows}"


@dg.multi_asset(
    name="synthetic_world",
    specs=[
        dg.AssetSpec(
            SYNTHETIC_CLINICS,
            kinds={KIND_DUCKDB},
            **SPEC,
            description="Synthetic clinics: vertical, city, state, IANA timezone, fictional 555-01xx phone, website, mailboxes.",
        ),
        dg.AssetSpec(
            SYNTHETIC_LEADS,
            deps=[SYNTHETIC_CLINICS],
            kinds={KIND_DUCKDB},
            **SPEC,
            description="One raw lead record per synthetic clinic, in the raw.lead_records column contract (source 'synthetic').",
        ),
        dg.AssetSpec(
            SYNTHETIC_CALLS,
            deps=[SYNTHETIC_LEADS],
            kinds={KIND_PYTHON},
            **SPEC,
            description="Retell get-call JSONL per UTC day under $DATA_DIR/landing/retell_calls/synthetic/ (every outcome).",
        ),
    ],
    group_name=GROUP,
    pool=WAREHOUSE_POOL,
    can_subset=True,
)
def synthetic_world(
    context: dg.AssetExecutionContext,
    config: SyntheticWorldConfig,
    warehouse: DuckDBResource,
    settings: dg.ResourceParam[PipelineSettings],
):
    """Generate the deterministic synthetic world: clinics, their lead records, and their calls.

    Subsettable: a run that needs only the lead tables (e.g. upstream of staging.leads) does not
    re-land the calls, and a run of the calls alone does not touch the warehouse."""
    world = config.resolve(settings)  # a malformed config fails here, before anything is written
    selected = context.selected_asset_keys
    clinics = generate_clinics(world.seed, world.n_clinics)
    world_meta = {"seed": dg.MetadataValue.int(world.seed), "as_of": dg.MetadataValue.text(world.as_of_text)}
    if selected & {SYNTHETIC_CLINICS, SYNTHETIC_LEADS}:
        yield from _write_tables(world, clinics, selected, warehouse, world_meta)
    if SYNTHETIC_CALLS in selected:
        yield _land(context, world, clinics, world_meta, settings)


def _write_tables(world: SyntheticConfig, clinics: list[Clinic], selected, warehouse: DuckDBResource, world_meta: dict):
    clinics_frame = _clinics_frame(clinics)
    leads_frame = pd.DataFrame(
        lead_record_rows(world, clinics), columns=["source", "source_file", "record_no", "record", "ingested_at"]
    )
    if warehouse.database and warehouse.database != ":memory:":
        Path(warehouse.database).parent.mkdir(parents=True, exist_ok=True)  # a fresh DATA_DIR
    with warehouse.get_connection() as conn:
        conn.register("synthetic_clinics_frame", clinics_frame)
        conn.register("synthetic_leads_frame", leads_frame)

        def write() -> None:
            run_sql_file(conn, "raw/lead_records.sql")  # the lead-records contract creates raw.synthetic_leads
            if SYNTHETIC_CLINICS in selected:
                run_sql_file(conn, "raw/synthetic_clinics.sql")
            if SYNTHETIC_LEADS in selected:
                run_sql_file(conn, "raw/synthetic_leads.sql")

        try:  # both tables in one transaction, rerun whole if a concurrent lake writer won a conflict
            in_transaction(conn, write, label="synthetic_world")
        finally:
            conn.unregister("synthetic_clinics_frame")
            conn.unregister("synthetic_leads_frame")
        if SYNTHETIC_CLINICS in selected:
            yield dg.MaterializeResult(
                asset_key=SYNTHETIC_CLINICS,
                metadata=table_metadata(
                    conn,
                    table(SYNTHETIC_CLINICS),
                    columns=["name", "vertical", "city", "state", "phone_e164", "website"],
                    order_by="clinic_no",
                    verticals=dg.MetadataValue.json(clinics_frame["vertical"].value_counts().sort_index().to_dict()),
                    **world_meta,
                ),
            )
        if SYNTHETIC_LEADS in selected:
            yield dg.MaterializeResult(
                asset_key=SYNTHETIC_LEADS,
                metadata=table_metadata(
                    conn,
                    table(SYNTHETIC_LEADS),
                    columns="record_no, record->>'lead_id' AS lead_id, "
                    "coalesce(record->>'business_name', record->>'name') AS name, record->>'phone' AS phone, "
                    "record->>'email' AS email, record->>'category' AS category",
                    order_by="record_no",
                    source_file=dg.MetadataValue.text(leads_source_file(world)),
                    **world_meta,
                ),
            )


def _land(
    context: dg.AssetExecutionContext,
    world: SyntheticConfig,
    clinics: list[Clinic],
    world_meta: dict,
    settings: PipelineSettings,
):
    landed = land_calls(world, settings.data_dir, clinics)
    report = landed.report
    context.log.info(
        f"synthetic calls: {report.calls} in {len(report.files)} day files "
        f"({report.files_written} written, {report.files_unchanged} unchanged, "
        f"{len(report.removed_days)} stale days removed)"
    )
    days_md = "| day | calls | bytes | written |\n|---|---|---|---|\n" + "\n".join(
        f"| {day} | {f['calls']} | {f['bytes']} | {'yes' if f['written'] else 'unchanged'} |"
        for day, f in sorted(report.files.items())
    )
    return dg.MaterializeResult(
        asset_key=SYNTHETIC_CALLS,
        metadata={
            "dagster/row_count": dg.MetadataValue.int(report.calls),
            "landing_dir": dg.MetadataValue.path(str(report.root)),
            "files": dg.MetadataValue.int(len(report.files)),
            "files_written": dg.MetadataValue.int(report.files_written),
            "files_unchanged": dg.MetadataValue.int(report.files_unchanged),
            "stale_days_removed": dg.MetadataValue.json(report.removed_days),
            "bytes": dg.MetadataValue.int(report.bytes),
            "calls_by_scenario": dg.MetadataValue.json(dict(sorted(landed.scenarios.items()))),
            "calls_by_expected_outcome": dg.MetadataValue.json(dict(sorted(landed.outcomes.items()))),
            "preview": dg.MetadataValue.md(
                _counts_markdown("scenario", landed.scenarios)
                + "\n\n"
                + _counts_markdown("expected outcome", landed.outcomes)
                + "\n\n"
                + days_md
            ),
            **world_meta,
        },
    )
