"""Publish and rollback: the only writers of `$DATA_DIR/prompts/active.json`.

Publish takes a candidate (or a version file written by hand), validates it like the brain will
(schema + speech guards), and — only when the lock is open — writes `versions/<v>.json` with a
`published` record (who, when, from which candidate, which eval results, which version it
replaced), then replaces `active.json` with the same bytes. Rollback re-activates an earlier
published version by copying its file's bytes to `active.json`, so a rolled-back prompt is
byte-identical to what it was when it was published.

Every write is atomic (`contracts.atomic`: temp file, fsync, rename), so a crash or kill -9 at any
point leaves the old `active.json` or the new one, never a torn file. Publishes and rollbacks are
serialised by an exclusive lock on `prompts/.publish.lock`; each appends one line to
`history.jsonl` after the switch.

The lock (`PROMPT_LOCK`, default on) is checked before anything is written.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from contracts.atomic import atomic_write_bytes
from contracts.layout import DataLayout
from pipelines.prompts.store import PromptFiles
from vocabulary.prompt_versions import BUILTIN_VERSION, PromptVersionError, parse_version, validate_version


class PromptLockClosed(RuntimeError):
    """Publishing is locked; the message says how to open the lock for one publish."""


class PublishError(ValueError):
    """The publish or rollback cannot be done as asked (the message says why)."""


def lock_message(action: str, version: str) -> str:
    target = "publish-prompt" if action == "publish" else "rollback-prompt"
    return (
        f"prompt {action} of {version!r} refused: PROMPT_LOCK is on, so active.json was not touched. "
        f"To {action} this one version, open the lock for this one command only: "
        f"PROMPT_LOCK=off make {target} VERSION={version}"
    )


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _encode(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@contextmanager
def _exclusive(layout: DataLayout) -> Iterator[None]:
    layout.prompts.mkdir(parents=True, exist_ok=True)
    with open(layout.prompts / ".publish.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _append_history(layout: DataLayout, entry: dict[str, Any]) -> None:
    with open(layout.prompt_history, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _active_version(layout: DataLayout) -> str | None:
    try:
        return str(json.loads(layout.active_prompt.read_bytes())["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def recorded_gate(layout: DataLayout, version: str) -> dict[str, Any] | None:
    """The eval-gate result the lineage stored for a candidate, if any."""
    path = layout.prompt_candidate_eval(version)
    try:
        result = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return result if isinstance(result, dict) else None


def resolve_source(files: PromptFiles, source: str) -> tuple[dict[str, Any], str | None]:
    """The version to publish: a candidate's name, a published version's name, or a file path."""
    candidate = files.layout.prompt_candidate(source)
    if candidate.is_file():
        doc = parse_version(candidate.read_bytes(), str(candidate))
        if doc["version"] != source:
            raise PublishError(f"{candidate} holds version {doc['version']!r}, not {source!r}; refusing the mix-up")
        return doc, source
    path = Path(source)
    if path.suffix == ".json" and path.is_file():
        return parse_version(path.read_bytes(), str(path)), None
    raise PublishError(f"no candidate named {source!r} under {files.layout.prompt_candidates} and no such .json file")


def publish(
    data_dir: Path,
    source: str,
    *,
    lock_on: bool,
    by: str,
    eval_results: Mapping[str, Any] | None = None,
    weights: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Publish ``source`` (candidate name or version file) and make it active; the published document.

    ``weights`` (version -> weight) shares the calls with other published versions (A/B); the
    published version itself must be among them.
    """
    files = PromptFiles.under(data_dir)
    layout = files.layout
    doc, from_candidate = resolve_source(files, source)  # raises PromptVersionError on a bad document
    version = doc["version"]
    if lock_on:
        raise PromptLockClosed(lock_message("publish", version))
    if eval_results is None and from_candidate is not None:
        eval_results = recorded_gate(layout, version)
        if eval_results is not None and not eval_results.get("passed"):
            failures = "; ".join(eval_results.get("failures") or [])
            raise PublishError(f"candidate {version!r} failed the eval gate ({failures}); it cannot be published")
    if version == BUILTIN_VERSION:
        raise PublishError(
            f"{BUILTIN_VERSION} is built in; use rollback-prompt VERSION={BUILTIN_VERSION} to return to it"
        )
    published = {k: v for k, v in doc.items() if k not in ("published", "ab")}
    if weights:
        if version not in weights:
            raise PublishError(f"weights must include the version being published ({version})")
        for other in weights:
            if other != version and files.version_bytes(other) is None:
                raise PublishError(f"A/B weight for {other!r}, which is not a published version")
        published["ab"] = {"weights": {k: float(v) for k, v in sorted(weights.items())}}
    with _exclusive(layout):
        target = layout.prompt_version(version)
        if target.exists():
            raise PublishError(
                f"version {version!r} is already published ({target}); versions are immutable — "
                f"use rollback-prompt VERSION={version} to make it active again"
            )
        published["published"] = {
            "at": _now(),
            "by": by,
            "from_candidate": from_candidate,
            "eval": dict(eval_results) if eval_results is not None else None,
            "replaced": _active_version(layout),
        }
        validate_version(published, f"{version} (as published)")
        data = _encode(published)
        atomic_write_bytes(target, data)
        atomic_write_bytes(layout.active_prompt, data)
        _append_history(layout, {"at": published["published"]["at"], "action": "publish", "version": version, "by": by})
    return published


def previous_version(files: PromptFiles) -> str:
    """The version that was active before the current one (what a bare rollback returns to)."""
    active = _active_version(files.layout)
    if active is None:
        raise PublishError("nothing was published: builtin-v1 is already the active version")
    activations = [h["version"] for h in files.history() if h.get("action") in ("publish", "rollback")]
    while activations and activations[-1] == active:
        activations.pop()
    return activations[-1] if activations else BUILTIN_VERSION


def rollback(data_dir: Path, version: str | None, *, lock_on: bool, by: str) -> str:
    """Make an earlier published version active again (its file's exact bytes); the version."""
    files = PromptFiles.under(data_dir)
    layout = files.layout
    target_version = version or previous_version(files)
    if lock_on:
        raise PromptLockClosed(lock_message("rollback", target_version))
    with _exclusive(layout):
        data = files.version_bytes(target_version)
        if data is None:
            raise PublishError(f"{target_version!r} was never published (no {layout.prompt_version(target_version)})")
        try:
            parse_version(data, str(layout.prompt_version(target_version)))
        except PromptVersionError as exc:
            raise PublishError(f"{target_version!r} cannot be re-activated: {exc}") from exc
        atomic_write_bytes(layout.active_prompt, data)
        _append_history(layout, {"at": _now(), "action": "rollback", "version": target_version, "by": by})
    return target_version
