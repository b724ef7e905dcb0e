"""The simulated REST API as retell-sdk and a hostile client see it: auth, Retell-shaped errors for
malformed bodies, 404, 429 at the concurrency limit, idempotency, list-calls paging and filters,
and webhook signatures the brain's verifier (retell-sdk's) accepts."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import retell
from retell.lib import verify

from simulator.webhooks import event_body, sign
from tests.support.simulator import FROM, SIM_KEY, always, dial

BAD = "Invalid request format, please check API reference."


def _post(sim: Any, path: str, content: bytes, key: str | None = SIM_KEY) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if key is not None:
        headers["authorization"] = f"Bearer {key}"
    return httpx.post(sim.base_url + path, content=content, headers=headers, timeout=10)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b"{}",
        json.dumps({"from_number": FROM}).encode(),
        json.dumps({"from_number": FROM, "to_number": "555-0100"}).encode(),
        json.dumps(
            {"from_number": FROM, "to_number": "+12146660001", "retell_llm_dynamic_variables": {"a": 1}}
        ).encode(),
        json.dumps({"from_number": FROM, "to_number": "+12146660001", "override_agent_version": True}).encode(),
        json.dumps({"from_number": 12145550100, "to_number": "+12146660001"}).encode(),
        '{"from_number": "+1214555\u00e90100"}'.encode(),
        b"\xff\xfe",
    ],
)
def test_malformed_create_gets_retell_error_and_dials_nothing(simulate: Any, body: bytes) -> None:
    sim = simulate()
    response = _post(sim, "/v2/create-phone-call", body)
    assert response.status_code == 400
    payload = response.json()
    assert payload["status"] == "error" and payload["message"].startswith(BAD)
    assert sim.stats()["created"] == 0 and sim.stats()["invalid_requests"] == 1


def test_sdk_sees_typed_errors(simulate: Any, client: Any) -> None:
    sim = simulate()
    api = client(sim)
    with pytest.raises(retell.BadRequestError) as bad:
        api.call.create_phone_call(from_number=FROM, to_number="not-a-number")
    assert bad.value.body["status"] == "error"  # type: ignore[index]
    with pytest.raises(retell.NotFoundError):
        api.call.retrieve("call_unknown")
    with pytest.raises(retell.AuthenticationError):
        retell.Retell(api_key="key_wrong", base_url=sim.base_url, max_retries=0).call.list()
    with pytest.raises(retell.BadRequestError):
        api.call.list(limit=1001)
    with pytest.raises(retell.BadRequestError):
        api.call.list(pagination_key="garbage")
    with pytest.raises(retell.BadRequestError):
        api.call.list(filter_criteria={"start_timestamp": {"type": "number", "op": "bogus", "value": 1}})  # type: ignore[typeddict-item]
    for path in ("/v3/list-calls", "/v2/create-phone-call"):
        assert _post(sim, path, b"{}", key=None).json() == {
            "status": "error",
            "message": "API key is missing or invalid.",
        }
    assert sim.stats()["unauthorized"] == 3


def test_concurrency_limit_answers_429_until_a_slot_frees(simulate: Any, client: Any) -> None:
    # real-time ringing (3–20 s) keeps the first call ongoing while the second is refused
    sim = simulate(concurrency_limit=1, time_scale=1.0, caller_factory=always("no_answer"))
    api = client(sim)
    first = dial(api, 1)
    assert api.concurrency.retrieve().current_concurrency == 1
    with pytest.raises(retell.RateLimitError) as limited:
        dial(api, 2)
    assert limited.value.status_code == 429 and limited.value.body["status"] == "error"  # type: ignore[index]
    assert sim.stats()["rejected_concurrency"] == 1
    assert api.call.retrieve(first.call_id).call_status == "registered"


def test_idempotency_key_never_dials_twice(simulate: Any, client: Any) -> None:
    sim = simulate(caller_factory=always("no_answer"))
    api = client(sim)
    a = dial(api, 1, idempotency_key="attempt-1")
    b = dial(api, 1, idempotency_key="attempt-1")
    assert a.call_id == b.call_id
    sim.wait_until_idle(timeout=30)
    assert sim.stats()["created"] == 1 and sim.stats()["idempotent_replays"] == 1


def test_list_calls_pages_and_filters(simulate: Any, client: Any) -> None:
    sim = simulate(caller_factory=always("no_answer"))
    api = client(sim)
    ids = {dial(api, i).call_id for i in range(7)}
    sim.wait_until_idle(timeout=30)
    seen: list[str] = []
    key = None
    while True:
        page = (
            api.call.list(limit=3, sort_order="ascending", pagination_key=key)
            if key
            else api.call.list(limit=3, sort_order="ascending")
        )
        seen += [item.call_id for item in page.items]
        assert all(getattr(item, "transcript", None) is None for item in page.items)  # summaries only
        if not page.has_more:
            break
        key = page.pagination_key
    assert len(seen) == 7 and set(seen) == ids
    starts = [sim.call(c)["start_timestamp"] for c in seen]  # type: ignore[index]
    assert starts == sorted(starts)
    by_meta = api.call.list(
        filter_criteria={"metadata": [{"key": "lead_id", "filter": {"type": "string", "op": "eq", "value": "lead_3"}}]}  # type: ignore[typeddict-item]
    )
    assert [item.metadata["lead_id"] for item in by_meta.items] == ["lead_3"]  # type: ignore[index]
    none = api.call.list(filter_criteria={"call_status": {"type": "enum", "op": "in", "value": ["ongoing"]}})  # type: ignore[typeddict-item]
    assert none.items == []


def test_signature_is_retells_scheme() -> None:
    body = event_body("call_ended", {"call_id": "call_x", "transcript": "Agent: ¿Sí? señora"})
    signature = sign(body, SIM_KEY)
    assert verify(body, api_key=SIM_KEY, signature=signature)
    assert not verify(body + " ", api_key=SIM_KEY, signature=signature)
    assert not verify(body, api_key="key_other", signature=signature)
    stale = sign(body, SIM_KEY, now_ms=1_000_000)
    assert not verify(body, api_key=SIM_KEY, signature=stale)
