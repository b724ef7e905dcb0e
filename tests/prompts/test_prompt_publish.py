"""Publish and rollback of prompt versions: the lock, validation at publish, byte-identical
rollback, immutability, A/B weights, serialised writers and kill -9 in the middle."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from contracts.layout import DataLayout
from pipelines.commands.prompts import main as prompts_cli
from pipelines.prompts.publish import PromptLockClosed, PublishError, publish, rollback
from vocabulary.prompt_versions import PromptVersionError, builtin_version, builtin_version_bytes, parse_version

REPO = Path(__file__).resolve().parents[2]


def write_candidate(data_dir: Path, name: str, **line_changes: list[str]) -> Path:
    doc = copy.deepcopy(builtin_version())
    doc["version"], doc["parent"] = name, "builtin-v1"
    for key, say in line_changes.items():
        doc["lines"][key] = {"say": say}
    path = DataLayout(data_dir).prompt_candidate(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_lock_on_refuses_with_how_to_open_it_and_touches_nothing(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path)
    write_candidate(tmp_path, "p-1", routing=["Who runs the front desk?"])
    layout.prompts.mkdir(parents=True, exist_ok=True)
    layout.active_prompt.write_bytes(b'{"version": "old", "system_prompt": "x"}')
    with pytest.raises(PromptLockClosed) as caught:
        publish(tmp_path, "p-1", lock_on=True, by="test")
    assert "PROMPT_LOCK is on" in str(caught.value)
    assert "PROMPT_LOCK=off make publish-prompt VERSION=p-1" in str(caught.value)
    assert layout.active_prompt.read_bytes() == b'{"version": "old", "system_prompt": "x"}'
    assert not layout.prompt_version("p-1").exists() and not layout.prompt_history.exists()
    with pytest.raises(PromptLockClosed, match="PROMPT_LOCK=off make rollback-prompt VERSION=builtin-v1"):
        rollback(tmp_path, "builtin-v1", lock_on=True, by="test")


def test_cli_exit_code_and_message_when_locked(tmp_path: Path, monkeypatch, capsys) -> None:
    write_candidate(tmp_path, "p-1", routing=["Who runs the front desk?"])
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PROMPT_LOCK", raising=False)
    assert prompts_cli(["publish", "p-1"]) == 3
    assert "PROMPT_LOCK=off make publish-prompt VERSION=p-1" in capsys.readouterr().err
    monkeypatch.setenv("PROMPT_LOCK", "off")
    assert prompts_cli(["publish", "p-1"]) == 0
    assert prompts_cli(["list"]) == 0
    assert "* p-1" in capsys.readouterr().out


def test_guard_violation_is_rejected_at_publish(tmp_path: Path) -> None:
    write_candidate(tmp_path, "p-bad", routing=["Call **now**: 5551234567!"])
    with pytest.raises(PromptVersionError, match=r"lines.routing.say\[0\].*digits"):
        publish(tmp_path, "p-bad", lock_on=False, by="test")
    assert not DataLayout(tmp_path).active_prompt.exists()


def test_publish_then_rollback_restores_byte_identical_files(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path)
    write_candidate(tmp_path, "p-1", routing=["Who runs the front desk?"])
    write_candidate(tmp_path, "p-2", routing=["Who looks after new leads?"])
    doc = publish(tmp_path, "p-1", lock_on=False, by="alice", eval_results={"dnc_compliance": 1.0})
    assert doc["published"]["by"] == "alice" and doc["published"]["from_candidate"] == "p-1"
    assert doc["published"]["eval"] == {"dnc_compliance": 1.0} and doc["published"]["replaced"] is None
    first = layout.active_prompt.read_bytes()
    assert first == layout.prompt_version("p-1").read_bytes()
    publish(tmp_path, "p-2", lock_on=False, by="bob")
    assert parse_version(layout.active_prompt.read_bytes())["published"]["replaced"] == "p-1"
    assert rollback(tmp_path, None, lock_on=False, by="carol") == "p-1"
    assert layout.active_prompt.read_bytes() == first
    assert rollback(tmp_path, "builtin-v1", lock_on=False, by="carol") == "builtin-v1"
    assert layout.active_prompt.read_bytes() == builtin_version_bytes()
    history = [json.loads(line) for line in layout.prompt_history.read_text().splitlines()]
    assert [(h["action"], h["version"], h["by"]) for h in history] == [
        ("publish", "p-1", "alice"),
        ("publish", "p-2", "bob"),
        ("rollback", "p-1", "carol"),
        ("rollback", "builtin-v1", "carol"),
    ]


def test_published_versions_are_immutable_and_unknown_ones_refused(tmp_path: Path) -> None:
    write_candidate(tmp_path, "p-1", routing=["Who runs the front desk?"])
    publish(tmp_path, "p-1", lock_on=False, by="test")
    with pytest.raises(PublishError, match="already published"):
        publish(tmp_path, "p-1", lock_on=False, by="test")
    with pytest.raises(PublishError, match="no candidate named 'nope'"):
        publish(tmp_path, "nope", lock_on=False, by="test")
    with pytest.raises(PublishError, match="never published"):
        rollback(tmp_path, "nope", lock_on=False, by="test")


def test_a_corrupted_published_version_cannot_be_rolled_back_to(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path)
    write_candidate(tmp_path, "p-1", routing=["Who runs the front desk?"])
    publish(tmp_path, "p-1", lock_on=False, by="test")
    rollback(tmp_path, "builtin-v1", lock_on=False, by="test")
    layout.prompt_version("p-1").write_text('{"version": "p-1"}')
    with pytest.raises(PublishError, match="cannot be re-activated"):
        rollback(tmp_path, "p-1", lock_on=False, by="test")
    assert layout.active_prompt.read_bytes() == builtin_version_bytes()


def test_ab_weights_are_published_and_checked(tmp_path: Path) -> None:
    write_candidate(tmp_path, "p-1", routing=["Who runs the front desk?"])
    write_candidate(tmp_path, "p-2", routing=["Who looks after new leads?"])
    publish(tmp_path, "p-1", lock_on=False, by="test")
    with pytest.raises(PublishError, match="not a published version"):
        publish(tmp_path, "p-2", lock_on=False, by="test", weights={"p-2": 0.2, "ghost": 0.8})
    doc = publish(tmp_path, "p-2", lock_on=False, by="test", weights={"p-2": 0.2, "p-1": 0.8})
    assert doc["ab"] == {"weights": {"p-1": 0.8, "p-2": 0.2}}


def test_two_publishes_at_once_are_serialised(tmp_path: Path) -> None:
    for i in range(6):
        write_candidate(
            tmp_path, f"p-{i}", routing=[f"Who runs the front desk, {['Sam', 'Ann', 'Bo', 'Cy', 'Di', 'Ed'][i]}?"]
        )
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            publish(tmp_path, f"p-{i}", lock_on=False, by=f"t{i}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    layout = DataLayout(tmp_path)
    history = [json.loads(line)["version"] for line in layout.prompt_history.read_text().splitlines()]
    assert sorted(history) == [f"p-{i}" for i in range(6)]
    active = parse_version(layout.active_prompt.read_bytes())
    assert active["version"] == history[-1]
    replaced = [parse_version(layout.prompt_version(v).read_bytes())["published"]["replaced"] for v in history]
    assert replaced == [None, *history[:-1]]  # each publish saw the one before it: no lost update


CHILD = """
import copy, json, sys
from pathlib import Path
from contracts.layout import DataLayout
from pipelines.prompts.publish import publish
from vocabulary.prompt_versions import builtin_version
data_dir = Path(sys.argv[1])
names = ["Sam", "Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus"]
for i in range(10_000):
    doc = copy.deepcopy(builtin_version())
    doc["version"] = f"p-{i}"
    doc["system_prompt"] = "You are {persona}. " + "Be brief. " * 1_800  # a bigger file to write
    doc["lines"]["routing"] = {"say": [f"Who runs the front desk, {names[i % 8]}?"]}
    path = DataLayout(data_dir).prompt_candidate(f"p-{i}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    publish(data_dir, f"p-{i}", lock_on=False, by="child")
    print(f"published p-{i}", flush=True)
"""


@pytest.mark.parametrize("after", [1, 3, 7])
def test_kill_9_mid_publish_leaves_a_whole_active_json(tmp_path: Path, after: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)], stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    for _ in range(after):
        assert child.stdout.readline().startswith("published")
    child.send_signal(signal.SIGKILL)  # somewhere inside the next publish
    child.wait()
    layout = DataLayout(tmp_path)
    active = parse_version(layout.active_prompt.read_bytes(), "active.json")  # whole, valid
    assert layout.active_prompt.read_bytes() == layout.prompt_version(active["version"]).read_bytes()
    assert int(active["version"].split("-")[1]) >= after - 1  # never older than the last announced publish
    leftovers = [p.name for p in layout.prompts.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert all(name.endswith((".json", ".jsonl")) for name in leftovers)


def test_a_candidate_file_must_hold_the_version_it_is_named_after(tmp_path: Path) -> None:
    path = write_candidate(tmp_path, "p-1", routing=["Who runs the front desk?"])
    path.rename(path.with_name("p-9.json"))
    with pytest.raises(PublishError, match="holds version 'p-1', not 'p-9'"):
        publish(tmp_path, "p-9", lock_on=False, by="test")


def test_list_warns_about_a_broken_active_json(tmp_path: Path, monkeypatch, capsys) -> None:
    layout = DataLayout(tmp_path)
    layout.prompts.mkdir(parents=True)
    layout.active_prompt.write_text("{broken")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert prompts_cli(["list"]) == 0
    assert "WARNING" in capsys.readouterr().out
