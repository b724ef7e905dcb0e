"""Property: whatever the dispatcher's snapshot holds (a hostile or stale file), synthetic leads,
fictional numbers, numbers outside the campaign's countries and suppressed numbers are never dialled."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.campaigns.dispatch import Dispatcher
from pipelines.campaigns.dispatch_config import DispatchConfig
from pipelines.campaigns.queue import QUEUE_FILE, SUPPRESSION_FILE
from pipelines.campaigns.rules import phone_refusal
from tests.fakes.fake_retell import FakeRetell
from tests.support.campaigns import WEDNESDAY_15_UTC, campaign, real_phone

KINDS = ["ok", "synthetic", "fictional", "foreign", "invalid", "suppressed"]


@pytest.fixture(scope="module")
def shared_fake():
    with FakeRetell() as server:
        yield server


def _row(i: int, kind: str, salt: int) -> dict:
    phone = {
        "fictional": f"+1312555{100 + i % 100:04d}",
        "foreign": f"+4420794{60000 + i:05d}",
        "invalid": "+1000",
    }.get(kind, real_phone(salt * 100 + i))
    return {
        "campaign": f"s{salt}",
        "dial_rank": i + 1,
        "lead_id": f"L{salt}-{i}",
        "phone_e164": phone,
        "business_name": "x",
        "vertical": "med spa",
        "city": "Chicago",
        "state": "IL",
        "timezone": "America/Chicago",
        "email": None,
        "source": "synthetic" if kind == "synthetic" else "file",
        "score": 90.0,
        "last_contact_at": None,
    }


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=12))
def test_unsafe_numbers_are_never_dialled_whatever_the_snapshot_says(tmp_path_factory, shared_fake, kinds):
    tmp = tmp_path_factory.mktemp("s")
    salt = len(shared_fake.created) + 1
    rows = [_row(i, kind, salt) for i, kind in enumerate(kinds)]
    state = tmp / "data" / "state"
    state.mkdir(parents=True)
    with duckdb.connect() as conn:
        conn.register("rows", pd.DataFrame(rows))
        conn.execute(f"COPY rows TO '{state / QUEUE_FILE}' (FORMAT parquet)")
        suppressed = pd.DataFrame(
            {"phone_e164": [r["phone_e164"] for r, k in zip(rows, kinds, strict=True) if k == "suppressed"]}
        )
        conn.register("sup", suppressed.astype({"phone_e164": "object"}))
        conn.execute(
            f"COPY (SELECT CAST(phone_e164 AS VARCHAR) AS phone_e164 FROM sup) TO '{state / SUPPRESSION_FILE}' (FORMAT parquet)"
        )
    before = len(shared_fake.created)
    config = DispatchConfig(data_dir=tmp / "data", api_key=shared_fake.api_key, base_url=shared_fake.base_url)
    with Dispatcher(config, clock=lambda: WEDNESDAY_15_UTC) as dispatcher:
        summary = dispatcher.tick(campaign(name=f"s{salt}", daily_cap=100))
    dialled = {b["to_number"] for b in shared_fake.created[before:]}
    allowed = {r["phone_e164"] for r, k in zip(rows, kinds, strict=True) if k == "ok"}
    assert dialled == allowed  # the safe ones do go out: the property is not vacuous
    assert all(phone_refusal(p, ["US"]) is None for p in dialled)
    assert summary.dispatched == len(allowed)
