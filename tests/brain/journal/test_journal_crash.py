"""kill -9 of the real brain process mid-call: nothing the caller said is lost (issue 14 item 2).

The brain runs as ``python -m brain_service`` (a child process); a real websocket call gets an
email, a callback window or a do-not-call; the process is SIGKILLed with the socket still open;
a new process on the same DATA_DIR then either

* sees no reconnect within ``BRAIN_RECONNECT_GRACE_S`` and writes an ``interrupted`` record that
  keeps the email / callback window / do-not-call, or
* sees Retell's reconnect of the same call id and resumes it from the journal: no second
  greeting, the script goes on where it was (a do-not-call ends the call politely), and the final
  record is the whole call.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.support.brain_process import BrainProcess
from tests.support.call_records import read_records, wait_record
from tests.support.retell_caller import RetellCall

GREETING_RID = 0


def _journals(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "brain" / "journal" / "main").glob("*.jsonl"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def brains():
    started: list[BrainProcess] = []

    def start(data_dir: Path, **env: str) -> BrainProcess:
        brain = BrainProcess.start(data_dir, **env)
        started.append(brain)
        return brain

    yield start
    for brain in started:
        brain.kill9()


async def _email_then_crash(brains, data_dir: Path, *, confirm: bool) -> tuple[str, BrainProcess]:
    first = brains(data_dir, brain_reconnect_grace_s="30")
    call_id = f"call_{uuid.uuid4().hex[:12]}"
    call = await RetellCall.open(first.ws_base, call_id, {"metadata": {"lead_id": "lead-7"}})
    await call.say("Sure, just don't call before noon.")
    reply = await call.say("jane at glowspa dot com")
    assert "glowspa" in reply.text.lower()  # read back, waiting for the yes
    if confirm:
        reply = await call.say("yes")
        assert reply.end_call is True
    first.kill9()  # the socket is still open: Retell would now reconnect
    await call.close()
    assert read_records(data_dir) == {}, "no record yet: the crashed process never finished the call"
    assert len(_journals(data_dir)) == 1
    return call_id, first


async def test_no_reconnect_an_interrupted_record_keeps_the_email_and_window(brains, data_dir: Path) -> None:
    call_id, _ = await _email_then_crash(brains, data_dir, confirm=True)
    second = brains(data_dir, brain_reconnect_grace_s="0.5")
    record = wait_record(data_dir, call_id, timeout=15)
    assert record["close_reason"] == "interrupted"
    assert record["outcome"] == "email_captured"
    assert record["email"] == "jane@glowspa.com" and record["email_confirmed"] is True
    assert record["callback_window"] == "before noon"
    assert record["lead_id"] == "lead-7"
    assert any(t["name"] == "log_call_outcome" for t in record["tool_events"])
    said = [t["text"] for t in record["turns"] if t["role"] == "user"]
    assert said[:3] == ["Sure, just don't call before noon.", "jane at glowspa dot com", "yes"]
    assert _journals(data_dir) == [], "the journal is removed once the record is written"
    assert "journals_recovered" in second.log()


async def test_a_call_with_nothing_decided_is_recorded_as_interrupted(brains, data_dir: Path) -> None:
    first = brains(data_dir, brain_reconnect_grace_s="30")
    call = await RetellCall.open(first.ws_base, "call_quiet_one")
    first.kill9()
    await call.close()
    brains(data_dir, brain_reconnect_grace_s="0")
    record = wait_record(data_dir, "call_quiet_one", timeout=15)
    assert record["outcome"] == "interrupted" and record["close_reason"] == "interrupted"
    assert record["email"] is None and record["tool_events"] == []


async def test_dnc_before_the_crash_survives_it(brains, data_dir: Path) -> None:
    first = brains(data_dir, brain_reconnect_grace_s="30")
    call = await RetellCall.open(first.ws_base, "call_dnc_crash")
    reply = await call.say("Take me off your list and stop calling.")
    assert reply.end_call is True
    first.kill9()
    await call.close()
    brains(data_dir, brain_reconnect_grace_s="0")
    record = wait_record(data_dir, "call_dnc_crash", timeout=15)
    assert record["outcome"] == "dnc" and record["close_reason"] == "interrupted"
    assert any(t["name"] == "mark_dnc" for t in record["tool_events"])


async def test_reconnect_after_restart_resumes_without_greeting(brains, data_dir: Path) -> None:
    call_id, _ = await _email_then_crash(brains, data_dir, confirm=False)
    second = brains(data_dir, brain_reconnect_grace_s="30")
    again = await RetellCall.open(second.ws_base, call_id, expect_begin=False)
    again.next_id = 10  # Retell goes on with newer response ids
    again.transcript = [
        {"role": "user", "content": "Sure, just don't call before noon."},
        {"role": "user", "content": "jane at glowspa dot com"},
    ]
    reply = await again.say("yes")  # confirms the read-back the crashed process asked for
    assert reply.end_call is True
    assert not any(f.get("response_id") == GREETING_RID for f in again.all_frames), "greeted a second time"
    await again.close()
    record = wait_record(data_dir, call_id, timeout=15)
    assert record["outcome"] == "email_captured" and record["email"] == "jane@glowspa.com"
    assert record["callback_window"] == "before noon"
    assert record["close_reason"] != "interrupted" and record["reconnects"] >= 1
    greetings = [t for t in record["turns"] if t["role"] == "agent" and t.get("kind") == "begin"]
    assert len(greetings) == 1, "one greeting in the whole call"
    assert _journals(data_dir) == []
    assert "call_resumed_from_journal" in second.log()


async def test_dnc_then_crash_then_reconnect_ends_politely(brains, data_dir: Path) -> None:
    first = brains(data_dir, brain_reconnect_grace_s="30")
    call = await RetellCall.open(first.ws_base, "call_dnc_resume")
    await call.say("Stop calling me.")
    first.kill9()
    await call.close()
    second = brains(data_dir, brain_reconnect_grace_s="30")
    again = await RetellCall.open(second.ws_base, "call_dnc_resume", expect_begin=False)
    again.next_id = 5
    reply = await again.say("Hello? Are you still there?")
    assert reply.end_call is True  # no pitch after a do-not-call, before or after the crash
    assert "?" not in reply.text
    await again.close()
    record = wait_record(data_dir, "call_dnc_resume", timeout=15)
    assert record["outcome"] == "dnc"
    assert [t["name"] for t in record["tool_events"]].count("mark_dnc") == 1


async def test_a_reconnect_after_the_grace_is_a_new_call_and_the_old_one_is_recorded(brains, data_dir: Path) -> None:
    call_id, _ = await _email_then_crash(brains, data_dir, confirm=True)
    second = brains(data_dir, brain_reconnect_grace_s="0.3")
    wait_record(data_dir, call_id, timeout=15)  # the orphan was finished: interrupted, email kept
    late = await RetellCall.open(second.ws_base, call_id)  # greeted: nothing is retained any more
    assert late.replies[0].response_id == GREETING_RID
    await late.close()
    records = read_records(data_dir)
    assert records[call_id]["outcome"] == "email_captured"


async def test_torn_and_garbage_journal_lines_are_skipped_with_a_warning(brains, data_dir: Path) -> None:
    call_id, _ = await _email_then_crash(brains, data_dir, confirm=True)
    (journal,) = _journals(data_dir)
    with journal.open("ab") as handle:
        handle.write(b"\xff\xfe not json at all\n")
        handle.write(b'["a list"]\n{"k":"conv","d":{"state":{"stage":"nonsense"}}}\n')
        handle.write(b'{"k":"conv","d":{"state":{"email":"torn@')  # the crash cut this line
    second = brains(data_dir, brain_reconnect_grace_s="0")
    record = wait_record(data_dir, call_id, timeout=15)
    assert record["outcome"] == "email_captured" and record["email"] == "jane@glowspa.com"
    log = second.log()
    assert "journal_lines_skipped" in log and "journal_entries_refused" in log
