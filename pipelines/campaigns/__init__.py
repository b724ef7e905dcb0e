"""Campaigns domain library: campaign files, dial rules, the attempt ledger and the dispatcher.

Pure Python + SQL (`sql/marts/dial_*.sql`, `sql/raw/call_attempts*.sql`); no Dagster imports.
The Dagster wiring lives in `assets/campaigns/`; the shell commands in `pipelines/commands/campaigns.py`.
"""
