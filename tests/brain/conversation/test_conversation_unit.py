"""The conversation driven directly through `respond()` (no socket): commit/rollback of state,
idempotent records, the outcome safety net, every playbook line's readability, prompt files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from brain_service.call_record import record_path, write_call_record
from brain_service.conversation import build_conversation_factory
from brain_service.conversation import lines as L
from brain_service.conversation_contract import SpeechChunk, ToolEvent, TurnRequest, Utterance
from brain_service.prompts import BUILTIN_VERSION, PromptError, PromptStore, parse_prompt_file
from brain_service.speech.readability import readability_grade
from contracts.layout import safe_file_stem
from tests.support.call_records import make_settings, read_records, version_doc
from vocabulary.prompt_versions import builtin_version, iter_wordings


def new_call(tmp_path: Path, call_id: str = "call_unit", **settings):  # type: ignore[no-untyped-def]
    factory = build_conversation_factory(make_settings(tmp_path, **settings))
    return factory.new_call(call_id)


async def run(call, kind: str, rid: int, transcript: list[Utterance]):  # type: ignore[no-untyped-def]
    out = [o async for o in call.respond(TurnRequest(kind, rid, tuple(transcript)))]
    text = "".join(o.content for o in out if isinstance(o, SpeechChunk))
    return text, out


async def test_cancelled_turn_with_nothing_spoken_does_not_move_the_script(tmp_path: Path) -> None:
    call = new_call(tmp_path)
    transcript = [Utterance("agent", "Hi.")]
    await run(call, "begin", 0, [])
    transcript.append(Utterance("user", "Yep."))
    first, _ = await run(call, "response", 1, transcript)
    call.on_turn_finished(1, cancelled=True, spoken="")
    transcript.append(Utterance("agent", "(different turn)"))
    transcript.append(Utterance("user", "Sure."))
    second, _ = await run(call, "response", 2, transcript)
    assert "leads" in first and "leads" in second  # still the routing question


async def test_cancel_mid_stream_releases_and_logs(tmp_path: Path) -> None:
    call = new_call(tmp_path)
    agen = call.respond(TurnRequest("begin", 0, ()))
    first = await agen.__anext__()
    assert isinstance(first, SpeechChunk) and first.content.startswith("Hi")
    await agen.aclose()
    call.on_turn_finished(0, cancelled=True, spoken=first.content)
    call.finish(close_reason="client_closed", reconnects=0, turns=[])
    record = read_records(tmp_path)["call_unit"]
    assert record["turns"][0]["text"] == first.content and record["turns"][0]["cancelled"] is True


async def test_finish_is_idempotent_and_dnc_survives_without_a_reply(tmp_path: Path) -> None:
    call = new_call(tmp_path)
    await run(call, "begin", 0, [])
    call.on_transcript((Utterance("agent", "Hi."), Utterance("user", "take me off your list")))
    call.finish(close_reason="client_closed", reconnects=0, turns=[])
    call.finish(close_reason="client_closed", reconnects=0, turns=[])
    files = list((tmp_path / "landing" / "brain_calls").glob("*/*"))
    assert len(files) == 1  # same path, no temp files left behind
    assert read_records(tmp_path)["call_unit"]["outcome"] == "dnc"


async def test_no_caller_words_is_no_answer(tmp_path: Path) -> None:
    call = new_call(tmp_path)
    await run(call, "begin", 0, [])
    call.finish(close_reason="client_closed", reconnects=0, turns=[{"response_id": 0, "latency_ms": 0.4}])
    record = read_records(tmp_path)["call_unit"]
    assert record["outcome"] == "no_answer" and record["latencies"][0]["first_chunk_ms"] == 0.4


async def test_tools_are_emitted_once_per_call(tmp_path: Path) -> None:
    call = new_call(tmp_path)
    t = [Utterance("user", "stop calling")]
    _, out1 = await run(call, "response", 1, t)
    t += [Utterance("agent", "Goodbye."), Utterance("user", "stop calling!!")]
    _, out2 = await run(call, "response", 2, t)
    assert [o.name for o in out1 if isinstance(o, ToolEvent)] == ["mark_dnc", "log_call_outcome"]
    assert [o for o in out2 if isinstance(o, ToolEvent)] == []


async def test_transport_turn_fields_are_merged(tmp_path: Path) -> None:
    call = new_call(tmp_path)
    await run(call, "begin", 0, [])
    call.finish(
        close_reason="agent_end_call",
        reconnects=2,
        turns=[
            {
                "response_id": 0,
                "kind": "begin",
                "latency_ms": 1.25,
                "cancelled": False,
                "barge_in": True,
                "spoken": "x",
            },
            {"response_id": "bad"},
            "garbage",
        ],
    )
    record = read_records(tmp_path)["call_unit"]
    assert record["reconnects"] == 2
    assert record["latencies"][0]["barge_in"] is True and record["latencies"][0]["first_chunk_ms"] == 1.25


def test_record_is_written_atomically_with_a_safe_name(tmp_path: Path) -> None:
    path = write_call_record(tmp_path, {"call_id": "../../etc/passwd"}, 0.0)
    assert path.parent == tmp_path / "landing" / "brain_calls" / "1970-01-01"
    assert path.name == safe_file_stem("../../etc/passwd") + ".json" and ".." not in path.name
    assert record_path(tmp_path, "abc", 0.0).name == "abc.json"
    assert json.loads(path.read_text()) == {"call_id": "../../etc/passwd"}


def test_record_write_failure_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "landing" / "brain_calls" / "1970-01-01"
    target.mkdir(parents=True)
    (target / "x.json").mkdir()  # a directory where the file should go: os.replace fails
    with pytest.raises(OSError):
        write_call_record(tmp_path, {"call_id": "x"}, 0.0)
    assert [p.name for p in target.iterdir()] == ["x.json"]


def all_lines() -> list[str]:
    values = {
        "persona": "Cassidy",
        "company": "Eve",
        "business": "Glow Spa",
        "email": "jane at glowspa dot com",
        "name": "Linda",
        "time": "tomorrow at 3",
    }
    compliance = [getattr(L, name) for name in dir(L) if name.isupper() and isinstance(getattr(L, name), str)]
    wordings = [text for _, _, _, text in iter_wordings(builtin_version())]
    return [line.format(**values) for line in compliance + wordings]


@pytest.mark.parametrize("line", all_lines())
def test_every_playbook_line_is_easy_to_follow(line: str) -> None:
    assert readability_grade(line) <= 8, line
    assert len(line.split()) <= 28


def test_prompt_store_reloads_on_change_and_survives_bad_files(tmp_path: Path) -> None:
    store = PromptStore(tmp_path)
    assert store.current().version == BUILTIN_VERSION
    (tmp_path / "prompts").mkdir()
    path = tmp_path / "prompts" / "active.json"
    path.write_text(json.dumps(version_doc("v1", system_prompt="one")))
    assert store.current().version == "v1"
    path.write_text("{not json")
    os.utime(path, ns=(1, 10**18))
    assert store.current().version == "v1" and "not valid" in (store.last_error or "")
    unspeakable = version_doc("v-bad", lines={"opener": {"say": ["Call 5551234567 now."]}})
    path.write_text(json.dumps(unspeakable))
    os.utime(path, ns=(1, 15 * 10**17))
    assert store.current().version == "v1" and "lines.opener" in (store.last_error or "")
    path.write_text(json.dumps(version_doc("v2", system_prompt="two {unknown} {persona}")))
    os.utime(path, ns=(1, 2 * 10**18))
    current = store.current().for_call("any")
    assert current.version == "v2"
    assert current.render(persona="Cassidy", company="Eve", business=None, contact=None) == "two {unknown} Cassidy"
    path.unlink()
    assert store.current().version == BUILTIN_VERSION


@pytest.mark.parametrize(
    "raw",
    [
        b"[]",
        b'{"version": "", "system_prompt": "x"}',
        b'{"version": "v", "system_prompt": 3}',
        b"\xff\xfe",
        json.dumps({"version": "v", "system_prompt": "x" * 30_000}).encode(),
        json.dumps({"version": "v", "system_prompt": "the old format: no lines"}).encode(),
        json.dumps(version_doc("v", lines={"dnc_close": {"say": ["Okay."]}})).encode(),
    ],
)
def test_malformed_prompt_files_are_refused_with_a_reason(raw: bytes) -> None:
    with pytest.raises(PromptError):
        parse_prompt_file(raw, "active.json")


def test_bad_settings_are_refused() -> None:
    from pydantic import ValidationError

    for bad in ({"llm_first_text_deadline_s": 0}, {"gemini_thinking_level": "extreme"}, {"agent_persona_name": ""}):
        with pytest.raises(ValidationError):
            make_settings(Path("."), **bad)


def test_ab_partners_that_cannot_be_read_get_no_calls(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    prompts = tmp_path / "prompts"
    (prompts / "versions").mkdir(parents=True)
    (prompts / "versions" / "v-wrong-name.json").write_text(json.dumps(version_doc("v-other")))
    (prompts / "versions" / "v-broken.json").write_text("{")
    doc = version_doc("v-main", ab={"v-main": 1, "v-missing": 1, "v-wrong-name": 1, "v-broken": 1, "builtin-v1": 1})
    (prompts / "active.json").write_text(json.dumps(doc))
    with caplog.at_level("WARNING", logger="brain.prompts"):
        active = PromptStore(tmp_path).current()
    assert dict(active.weights) == {"v-main": 1.0, "builtin-v1": 1.0}
    assert {active.for_call(f"c{i}").version for i in range(40)} == {"v-main", BUILTIN_VERSION}
    assert sum("gets no calls" in r.getMessage() for r in caplog.records) == 3
