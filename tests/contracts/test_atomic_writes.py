"""The one atomic-write rule every file hand-off uses (vocabulary/landing.py)."""

from __future__ import annotations

import pytest

from contracts.atomic import atomic_write_bytes, atomic_write_text


def test_writes_whole_file_creating_folders_and_leaves_no_temp(tmp_path):
    target = tmp_path / "a" / "b" / "x.json"
    assert atomic_write_bytes(target, b'{"ok": true}') is True
    assert target.read_bytes() == b'{"ok": true}'
    atomic_write_text(target, "replaced")
    assert target.read_text() == "replaced"
    assert [p.name for p in target.parent.iterdir()] == ["x.json"]


def test_skip_if_exists_keeps_the_first_delivery(tmp_path):
    target = tmp_path / "event.json"
    assert atomic_write_bytes(target, b"first", skip_if_exists=True) is True
    assert atomic_write_bytes(target, b"second", skip_if_exists=True) is False
    assert target.read_bytes() == b"first"


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "x.txt"
    atomic_write_text(target, "old")
    with pytest.raises(TypeError):
        atomic_write_bytes(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]
