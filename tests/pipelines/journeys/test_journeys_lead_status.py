"""marts.lead_status: current status per lead, attempts and last call time."""

from __future__ import annotations

from datetime import timedelta

from assets.journeys.assets import customer_journeys, lead_status, line_signals
from tests.support.journeys import BASE_START, Call, Lead, materialize, query, user, write_fixture


def at(hours: float):
    return BASE_START + timedelta(hours=hours)


def test_status_rules(warehouse_path):
    leads = [Lead(f"L{i}", f"+121455501{i:02d}") for i in range(1, 7)]
    calls = [
        # L1: email first, then asked not to be called -> dnc (sticky), email withheld
        Call("l1a", [user("jane@glowspa.com", 1, 2)], lead_id="L1", start=at(0)),
        Call("l1b", [user("please stop calling", 1, 2)], lead_id="L1", start=at(24)),
        # L2: dnc first, later a call with an email -> still dnc
        Call("l2a", [user("do not call us again", 1, 2)], lead_id="L2", start=at(0)),
        Call("l2b", [user("jane@glowspa.com", 1, 2)], lead_id="L2", start=at(48)),
        # L3: not interested, then asked for a callback -> callback (latest disposition)
        Call("l3a", [user("not interested", 1, 2)], lead_id="L3", start=at(0)),
        Call("l3b", [user("call me back tomorrow", 1, 2)], lead_id="L3", start=at(5)),
        Call("l3c", [], lead_id="L3", start=at(9), status="not_connected", disconnection_reason="dial_no_answer"),
        # L4: email captured
        Call("l4a", [user("sure, sam@brightdental.com", 1, 2)], lead_id="L4", start=at(1)),
        # L5: only voicemails -> open with attempts
        Call("l5a", [], lead_id="L5", start=at(1), in_voicemail=True),
        Call("l5b", [], lead_id="L5", start=at(3), in_voicemail=True),
        # L6: never called -> open, 0 attempts
    ]
    write_fixture(warehouse_path, calls, leads)
    materialize(warehouse_path, [line_signals, customer_journeys, lead_status])
    rows = {
        r[0]: r[1:]
        for r in query(
            warehouse_path, "SELECT lead_id, status, attempts, last_call_ts, captured_email FROM marts.lead_status"
        )
    }
    assert rows["L1"] == ("dnc", 2, at(24), None)
    assert rows["L2"] == ("dnc", 2, at(48), None)
    assert rows["L3"] == ("callback", 3, at(9), None)
    assert rows["L4"] == ("email_captured", 1, at(1), "sam@brightdental.com")
    assert rows["L5"] == ("open", 2, at(3), None)
    assert rows["L6"] == ("open", 0, None, None)
