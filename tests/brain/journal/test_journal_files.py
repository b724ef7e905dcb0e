"""The journal files themselves: malformed input, ownership of the folder, removal after the record.

Reading: every line that is not a JSON object with a known kind is skipped with one WARNING per
file and nothing else is lost. Ownership: a second brain on the same DATA_DIR does not finish the
live calls of the first as interrupted. A normally ended call leaves a record and no journal.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from brain_service.transport.journal import CallJournal, JournalDirectory, call_id_from_name, read_journal
from tests.support.brain import start_brain
from tests.support.call_records import make_settings, read_records, version_doc, wait_record, write_version
from tests.support.retell_caller import RetellCall
from tests.support.waiting import wait_for


def _journals(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "brain" / "journal" / "main").glob("*.jsonl"))


@pytest.mark.parametrize(
    ("raw", "kept", "skipped", "torn"),
    [
        (b"", 0, 0, False),
        (b'{"k":"open","call_id":"c1"}\n', 1, 0, False),
        (b'{"k":"open","call_id":"c1"}\n{"k":"turn","t":{"resp', 1, 1, True),
        (b'{"k":"open","call_id":"c1"}\n\xff\xfe\n[1,2]\n"text"\n{"k":"what"}\n{"no":"kind"}\n', 1, 5, False),
        (b"\n\n", 0, 2, False),
        (b'{"k":"reconnect"}\n{"k":"reconnect"}\n', 2, 0, False),
    ],
)
def test_read_journal_keeps_every_good_line(tmp_path: Path, raw: bytes, kept: int, skipped: int, torn: bool, caplog):
    path = tmp_path / "c1.1700000000000.jsonl"
    path.write_bytes(raw)
    with caplog.at_level(logging.WARNING, logger="brain"):
        contents = read_journal(path)
    assert contents is not None
    assert (len(contents.entries), contents.skipped, contents.torn_tail) == (kept, skipped, torn)
    assert contents.call_id == "c1"
    assert ("journal_lines_skipped" in caplog.text) == (skipped > 0)


def test_call_id_comes_from_the_file_name_when_the_open_line_is_lost() -> None:
    assert call_id_from_name(Path("call_a.b.1700000000000.jsonl")) == "call_a.b"
    assert call_id_from_name(Path("odd.jsonl")) == "odd"


def test_lines_round_trip_any_text_and_an_oversized_line_is_refused(tmp_path: Path, caplog) -> None:
    journal = CallJournal("c2", tmp_path / "j" / "c2.1.jsonl")
    journal.append("conv", {"d": {"text": "lone \ud800 surrogate, ünïcode, \x00 nul", "n": float("nan")}})
    with caplog.at_level(logging.WARNING, logger="brain"):
        journal.append("conv", {"d": {"text": "x" * 300_000}})
    assert "journal_line_too_long" in caplog.text
    contents = read_journal(journal.path)
    assert contents is not None and contents.skipped == 0
    assert [e["k"] for e in contents.entries] == ["open", "conv"]
    assert contents.entries[1]["d"]["text"].startswith("lone \ud800")


def test_an_oversized_delta_loses_only_its_oversized_part(tmp_path: Path, caplog) -> None:
    journal = CallJournal("c4", tmp_path / "c4.1.jsonl")
    huge = {"metadata": {f"k{i}": "v" * 300 for i in range(2000)}}  # ~700 KB of call metadata
    with caplog.at_level(logging.WARNING, logger="brain"):
        journal.append("conv", {"d": {"details": huge, "state": {"email": "jane@glowspa.com"}, "dnc": True}})
    assert "journal_line_too_long" in caplog.text
    contents = read_journal(journal.path)
    assert contents is not None
    assert [e["d"] for e in contents.entries if e["k"] == "conv"] == [
        {"state": {"email": "jane@glowspa.com"}},
        {"dnc": True},
    ]


def test_an_unwritable_folder_costs_the_journal_not_the_call(tmp_path: Path, caplog) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    journal = CallJournal("c3", blocker / "c3.1.jsonl")
    with caplog.at_level(logging.WARNING, logger="brain"):
        journal.append("conv", {"d": {}})
        journal.append("conv", {"d": {}})
    assert caplog.text.count("journal_write_failed") == 1


def test_only_one_process_owns_the_journal_folder(tmp_path: Path, caplog) -> None:
    first, second = JournalDirectory(tmp_path), JournalDirectory(tmp_path)
    assert first.claim() is True
    with caplog.at_level(logging.WARNING, logger="brain"):
        assert second.claim() is False
    assert "another brain process owns this journal folder" in caplog.text
    first.release()
    assert second.claim() is True
    second.release()


async def test_a_second_brain_on_the_same_data_dir_leaves_live_calls_alone(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = start_brain(make_settings(data_dir, brain_reconnect_grace_s=30))
    try:
        call = await RetellCall.open(first.ws_base, "call_live_on_first")
        await call.say("Sure.")
        assert len(_journals(data_dir)) == 1
        second = start_brain(make_settings(data_dir, brain_reconnect_grace_s=0))
        try:
            assert second.runtime.registry.orphan_count == 0
            assert read_records(data_dir) == {}, "the second brain finished a live call of the first"
            assert len(_journals(data_dir)) == 1
        finally:
            second.stop()
        await call.say("Stop calling me.")
        await call.close()
        record = wait_record(data_dir, "call_live_on_first")
        assert record["outcome"] == "dnc" and record["close_reason"] != "interrupted"
    finally:
        first.stop()
    await wait_for(lambda: _journals(data_dir) == [])


def test_instances_with_their_own_names_share_a_data_dir(tmp_path: Path) -> None:
    first, second = JournalDirectory(tmp_path, "brain-a"), JournalDirectory(tmp_path, "brain-b")
    assert first.claim() and second.claim()
    assert first.new_journal("c", 1.0).path.parent != second.new_journal("c", 1.0).path.parent
    first.release()
    second.release()


async def test_a_finished_call_leaves_a_record_and_no_journal(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    brain = start_brain(make_settings(data_dir, brain_reconnect_grace_s=0))
    try:
        call = await RetellCall.open(brain.ws_base, "call_done")
        await call.say("Sure.")
        lines = [json.loads(line) for line in _journals(data_dir)[0].read_text().splitlines()]
        assert lines[0] == {"k": "open", "call_id": "call_done"}
        assert {line["k"] for line in lines} == {"open", "conv", "turn"}
        await call.close()
        wait_record(data_dir, "call_done")
        await wait_for(lambda: _journals(data_dir) == [])
    finally:
        brain.stop()


async def test_journal_disabled_writes_no_journal(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    brain = start_brain(make_settings(data_dir, brain_journal_enabled=False))
    try:
        call = await RetellCall.open(brain.ws_base, "call_unjournalled")
        await call.say("Sure.")
        assert _journals(data_dir) == []
        await call.close()
        wait_record(data_dir, "call_unjournalled")
    finally:
        brain.stop()


def test_hostile_deltas_are_refused_and_the_rest_restored(tmp_path: Path) -> None:
    from brain_service.conversation.factory import PlaybookConversationFactory

    factory = PlaybookConversationFactory(make_settings(tmp_path / "data"))
    conversation = factory.new_call("call_hostile")
    good = {"state": {"email": "jane@glowspa.com", "stage": "closed", "outcome": "email_captured"}}
    hostile = [
        {"user_lines": [[10**9, "user", "gap", 1.0]]},
        {"started_wall": float("nan")},
        {"state": {"stage": "nonsense"}},
        {"state": {"email": 42}},
        {"turn_logs": [{"response_id": "x", "kind": "begin", "started_wall": 1.0, "action": "a"}]},
        {"turn_logs": [{"response_id": 1, "kind": "begin", "started_wall": 1e300, "action": "a"}]},
        {"tools": [{"unexpected": 1}]},
        {"details": ["not", "an", "object"]},
    ]
    conversation.journal_restore(good)
    for delta in hostile:
        with pytest.raises((ValueError, TypeError)):
            conversation.journal_restore(delta)
    record = conversation.build_record(close_reason="interrupted", reconnects=0, turns=[])
    assert record["email"] == "jane@glowspa.com" and record["outcome"] == "email_captured"
    assert len(conversation._user_lines) == 0


def test_a_resumed_call_keeps_the_prompt_version_it_started_with(tmp_path: Path, caplog) -> None:
    from brain_service.conversation.factory import PlaybookConversationFactory

    data_dir = tmp_path / "data"
    write_version(data_dir, version_doc("pv-9", system_prompt="Be brief."), active=False)
    factory = PlaybookConversationFactory(make_settings(data_dir))
    conversation = factory.new_call("call_pinned")
    conversation.journal_restore({"prompt_version": "pv-9"})
    assert conversation.prompt.version == "pv-9"
    gone = factory.new_call("call_gone")
    with caplog.at_level(logging.WARNING, logger="brain"):
        gone.journal_restore({"prompt_version": "pv-unpublished"})
    assert gone.prompt.version != "pv-unpublished" and "not loadable" in caplog.text
