"""`python -m pipelines.commands.prompts`: list prompt versions, publish one, roll back.

    python -m pipelines.commands.prompts list                       # make prompts
    python -m pipelines.commands.prompts publish VERSION [--weight V=W ...]   # make publish-prompt VERSION=…
    python -m pipelines.commands.prompts rollback [VERSION]         # make rollback-prompt [VERSION=…]

`list` reads the files under `$DATA_DIR/prompts/` and, when built, `marts.prompt_version_stats`
(from the analysts' serving copy; on DuckLake from the lake itself, read-only). Publish and rollback obey `PROMPT_LOCK` (default on).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pipelines.platform.settings import PipelineSettings
from pipelines.prompts.publish import PromptLockClosed, PublishError, publish, rollback
from pipelines.prompts.stats import challenger_statement
from pipelines.prompts.store import PromptFiles
from vocabulary.prompt_versions import PromptVersionError


def _stats_rows(settings: PipelineSettings) -> list[dict[str, Any]]:
    """The version rows of marts.prompt_version_stats: from the serving copy on the embedded file,
    from the lake itself (read-only) on DuckLake; none when not built yet."""
    import duckdb

    from pipelines.platform.warehouse import WarehouseUnavailable, open_warehouse

    try:
        if settings.lake is None:
            if not settings.serving_file.is_file():
                return []
            conn = duckdb.connect(str(settings.serving_file), read_only=True)
        else:
            conn = open_warehouse(settings, read_only=True)
        with conn:
            cursor = conn.execute(
                # every column: a serving copy built before a column existed still lists its stats
                "SELECT * FROM marts.prompt_version_stats WHERE grain = 'version'"
            )
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    except (duckdb.Error, WarehouseUnavailable):  # not built yet, or the lake's catalog does not answer
        return []


def list_versions(settings: PipelineSettings) -> str:
    files = PromptFiles.under(settings.data_dir)
    active = files.active()
    weights = (active.get("ab") or {}).get("weights") or {active["version"]: 1.0}
    stats = {r["prompt_version"]: r for r in _stats_rows(settings)}
    out = [f"active: {active['version']}  (weights: {', '.join(f'{k}={v:g}' for k, v in weights.items())})"]
    problem = files.active_problem()
    if problem:
        out.append(f"WARNING: {problem} — the brain keeps the last good version it loaded")
    out.append("")
    published, candidates = files.published(), files.candidates()
    rows = [
        (name, "published" if name in published else "candidate" if name in candidates else "built-in", doc)
        for name, doc in files.known_versions().items()
    ]
    for name, kind, doc in sorted(rows, key=lambda r: r[0]):
        marker = "*" if name in weights else " "
        s = stats.get(name)
        rate = (
            f"{s['calls']} answered, email {s['email_capture_rate']:.0%} "
            f"[{s['email_capture_low']:.0%}–{s['email_capture_high']:.0%}], dnc {s['dnc_rate']:.1%}"
            if s
            else "no stats"
        )
        rate += challenger_statement(s) if s else ""
        published = doc.get("published") or {}
        who = f", by {published['by']} at {published['at']}" if published else ""
        out.append(f"{marker} {name:<24} {kind:<10} parent={doc.get('parent') or '-'}  {rate}{who}")
    history = files.history()[-5:]
    if history:
        out += ["", "recent:"] + [f"  {h['at']} {h['action']} {h['version']} by {h['by']}" for h in history]
    return "\n".join(out)


def _weights(values: list[str]) -> dict[str, float]:
    out = {}
    for item in values:
        name, _, weight = item.partition("=")
        try:
            out[name] = float(weight)
        except ValueError as exc:
            raise PublishError(f"--weight expects VERSION=WEIGHT, got {item!r}") from exc
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.commands.prompts", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="versions, the active one and its weights, stats")
    pub = sub.add_parser("publish", help="publish a candidate (or a version file) and make it active")
    pub.add_argument("version", help="candidate name under prompts/candidates/, or a path to a .json version")
    pub.add_argument("--weight", action="append", default=[], help="A/B share VERSION=WEIGHT (repeatable)")
    back = sub.add_parser("rollback", help="make an earlier published version active again")
    back.add_argument("version", nargs="?", default=None, help="default: the version active before the current one")
    args = parser.parse_args(argv)
    settings = PipelineSettings()
    try:
        if args.command == "list":
            print(list_versions(settings))
        elif args.command == "publish":
            doc = publish(
                settings.data_dir,
                args.version,
                lock_on=settings.prompt_lock,
                by=settings.prompt_published_by,
                weights=_weights(args.weight) or None,
            )
            print(f"published {doc['version']}: {settings.data_dir / 'prompts' / 'active.json'} now holds it")
        else:
            version = rollback(
                settings.data_dir, args.version, lock_on=settings.prompt_lock, by=settings.prompt_published_by
            )
            print(f"rolled back: {version} is active again")
    except PromptLockClosed as exc:
        print(str(exc), file=sys.stderr)
        return 3
    except (PublishError, PromptVersionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
