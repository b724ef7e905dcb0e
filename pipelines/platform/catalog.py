"""Every asset key of the data half, its warehouse table and its group: spelled here once.

Domains import the keys they build and the keys they read; `table(key)` is the `schema.table`
name of a warehouse asset (keys under `landing/`, `reports/`, `campaigns/`, `prompts/` and `exports/` are files,
actions or PostgreSQL tables, not warehouse tables).
"""

from __future__ import annotations

import dagster as dg

# --- groups (one per domain) ---
LEADS = "leads"
SYNTHETIC = "synthetic"
CALLS = "calls"
JOURNEYS = "journeys"
REVENUE_OPS = "revenue_ops"
CAMPAIGNS = "campaigns"
PROMPTS = "prompts"
EXPORTS = "exports"


def _key(name: str) -> dg.AssetKey:
    return dg.AssetKey(name.split("."))


# --- synthetic world ---
SYNTHETIC_CLINICS = _key("raw.synthetic_clinics")
SYNTHETIC_LEADS = _key("raw.synthetic_leads")
SYNTHETIC_CALLS = _key("landing.synthetic_calls")

# --- leads ---
RAW_LEAD_RECORDS = _key("raw.lead_records")
RAW_LEAD_INGEST_REJECTS = _key("raw.lead_ingest_rejects")
RAW_DNC_ENTRIES = _key("raw.dnc_entries")
STAGING_LEADS = _key("staging.leads")
STAGING_LEAD_REJECTS = _key("staging.lead_rejects")
STAGING_LEAD_WARNINGS = _key("staging.lead_warnings")
SUPPRESSION_LIST = _key("marts.suppression_list")
LEAD_SCORES = _key("marts.lead_scores")
QUALIFIED_LEADS = _key("marts.qualified_leads")
CALL_QUEUE = _key("marts.call_queue")
LEAD_SUMMARY = _key("marts.lead_summary")
N8N_LEAD_DELIVERIES = _key("marts.n8n_lead_deliveries")

# --- calls ---
RETELL_API_CALLS = _key("landing.retell_api_calls")
RAW_RETELL_CALLS = _key("raw.retell_calls")
RAW_BRAIN_CALLS = _key("raw.brain_calls")
STAGING_CALLS = _key("staging.calls")
STAGING_TRANSCRIPT_LINES = _key("staging.transcript_lines")
STAGING_TOOL_EVENTS = _key("staging.tool_events")

# --- journeys ---
LINE_SIGNALS = _key("marts.line_signals")
CUSTOMER_JOURNEYS = _key("marts.customer_journeys")
LEAD_STATUS = _key("marts.lead_status")
JOURNEY_OUTCOME_DELIVERIES = _key("marts.journey_outcome_deliveries")

# --- revenue ops ---
CALL_FEATURES = _key("marts.call_features")
REVENUE_OPS_DAILY = _key("marts.revenue_ops_daily")
REVENUE_OPS_SUMMARY = _key("marts.revenue_ops_summary")
REVENUE_OPS_REPORT = _key("reports.revenue_ops_report")

# --- campaigns ---
CALL_ATTEMPTS = _key("raw.call_attempts")
DIAL_QUEUE = _key("marts.dial_queue")
DIAL_EXCLUSIONS = _key("marts.dial_exclusions")
CAMPAIGN_DISPATCH = _key("campaigns.dispatch")
CAMPAIGN_DAILY = _key("marts.campaign_daily")  # group revenue_ops: refreshed with the scorecard

# --- prompts ---
PROMPT_VERSION_STATS = _key("marts.prompt_version_stats")
PROMPT_CANDIDATES = _key("prompts.prompt_candidates")

# --- exports (PostgreSQL / Supabase tables; `exports.<table>` names the export, not a warehouse table) ---
EXPORT_ONT_LEADS = _key("exports.ont_leads")
EXPORT_ONT_CALLS = _key("exports.ont_calls")
EXPORT_ONT_CALL_OUTCOMES = _key("exports.ont_call_outcomes")

_FILE_PREFIXES = ("landing", "reports", "campaigns", "prompts", "exports")


def table(key: dg.AssetKey) -> str:
    """`schema.table` of a warehouse asset key (``marts/call_queue`` → ``marts.call_queue``)."""
    if len(key.path) != 2 or key.path[0] in _FILE_PREFIXES:
        raise ValueError(f"{key.to_user_string()} is not a warehouse table")
    return ".".join(key.path)
