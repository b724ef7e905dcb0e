"""`python -m pipelines.commands.campaigns`: check campaign files, or run one dispatch tick from a shell.

    python -m pipelines.commands.campaigns check                 # validate $DATA_DIR/campaigns/*.toml
    python -m pipelines.commands.campaigns dispatch --campaign X # one tick (reconcile first; DRY_RUN rules apply)
    python -m pipelines.commands.campaigns attempts [--campaign X]  # the ledger's current attempts

Configuration comes from the environment / .env (`PipelineSettings`); the key is never printed.
"""

from __future__ import annotations

import argparse
import sys

from pipelines.campaigns.config import load_campaigns
from pipelines.campaigns.dispatch import Dispatcher
from pipelines.campaigns.dispatch_config import config_from_settings
from pipelines.campaigns.ledger import Ledger
from pipelines.platform.settings import PipelineSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.commands.campaigns", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate every campaign file")
    dispatch = sub.add_parser("dispatch", help="one dispatch tick of one campaign")
    dispatch.add_argument("--campaign", required=True)
    attempts = sub.add_parser("attempts", help="print the ledger's current attempts")
    attempts.add_argument("--campaign")
    args = parser.parse_args(argv)
    settings = PipelineSettings()
    campaigns, errors = load_campaigns(settings.campaigns_dir)
    for error in errors:
        print(f"campaign file rejected: {error}", file=sys.stderr)
    if args.command == "check":
        for campaign in campaigns.values():
            state = "enabled" if campaign.enabled else "disabled"
            start, end = campaign.effective_window
            print(
                f"{campaign.name}: ok ({state}, cap {campaign.daily_cap}/day, "
                f"lead-local {start:%H:%M}-{end:%H:%M} on {','.join(campaign.weekdays)})"
            )
        print(f"{len(campaigns)} campaign(s) valid, {len(errors)} rejected in {settings.campaigns_dir}")
        return 1 if errors else 0
    if args.command == "attempts":
        for a in Ledger(settings.data_dir / "state").read_all():
            if args.campaign in (None, a.campaign):
                print(
                    f"{a.attempt_id} {a.campaign} {a.lead_id} {a.phone_e164} {a.status} {a.reason or ''} {a.call_id or ''}"
                )
        return 0
    campaign = campaigns.get(args.campaign)
    if campaign is None:
        print(f"no valid campaign named {args.campaign!r} in {settings.campaigns_dir}", file=sys.stderr)
        return 2
    with Dispatcher(config_from_settings(settings)) as dispatcher:
        summary = dispatcher.tick(campaign)
    print(summary.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
