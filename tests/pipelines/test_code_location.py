"""The code location lists its domains explicitly and fails loudly on a missing one; every asset
shows an owner, kinds and a description in the UI; side effects carry the one tag commands skip."""

from __future__ import annotations

import dagster as dg
import pytest

from pipelines.definitions import DOMAINS, DomainLoadError, build_definitions, defs
from pipelines.platform.conventions import SIDE_EFFECT_TAG_KEY, side_effect_free
from pipelines.platform.settings import PipelineSettings


def test_a_missing_domain_stops_the_code_location_with_a_clear_error():
    with pytest.raises(DomainLoadError, match="campaign"):
        build_definitions(PipelineSettings(), domains=(*DOMAINS, "campaign"))


def test_every_asset_has_description_kinds_owner_and_team_tag():
    missing = []
    for key, node in ((n.key, n) for n in defs.resolve_asset_graph().asset_nodes):
        spec = node.to_asset_spec()
        if not spec.description or not spec.kinds or "team:data" not in spec.owners or "eve/team" not in spec.tags:
            missing.append(key.to_user_string())
    assert missing == []


def test_side_effects_are_exactly_the_pushes_the_retell_sync_dispatch_and_exports():
    graph = defs.resolve_asset_graph()
    tagged = {k.to_user_string() for k, n in ((n.key, n) for n in graph.asset_nodes) if SIDE_EFFECT_TAG_KEY in n.tags}
    assert tagged == {
        "marts/n8n_lead_deliveries",
        "marts/journey_outcome_deliveries",
        "landing/retell_api_calls",
        "campaigns/dispatch",
        "exports/ont_leads",
        "exports/ont_calls",
        "exports/ont_call_outcomes",
    }
    kept = side_effect_free(dg.AssetSelection.all()).resolve(graph)
    assert not {k.to_user_string() for k in kept} & tagged


def test_jobs_sensors_and_schedules_are_described():
    undescribed = [j.name for j in defs.jobs or [] if not j.description]
    undescribed += [s.name for s in defs.sensors or [] if not s.description]
    undescribed += [s.name for s in defs.schedules or [] if not s.description]
    assert undescribed == []


def test_ingestion_sensors_run_on_a_fresh_deploy():
    running = {
        name: defs.resolve_sensor_def(name).default_status == dg.DefaultSensorStatus.RUNNING
        for name in ("calls_landing_sensor", "journeys_after_call_sync", "lead_inbox_sensor", "retell_sync_sensor")
    }
    assert running == {
        "calls_landing_sensor": True,
        "journeys_after_call_sync": True,
        "lead_inbox_sensor": True,
        "retell_sync_sensor": False,  # calls Retell's API: the operator starts it
    }
