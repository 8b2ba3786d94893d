"""The roster's verbs: `pdpbot import org.csv [--dry-run]` (and `pdpbot cycle start`). A file
is applied whole or not at all; a refusal lists every problem by line, with exit code 2."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

from bot import preflight
from bot.config import Settings
from bot.domain.calibration import BadPeriod, parse_period
from bot.domain.roster import Refused
from bot.preflight import CannotStart
from bot.services import cycles, roster
from bot.slack.gateway import SlackFailure, SlackGateway, make_client
from prompts import Texts, texts
from storage.db import make_engine
from storage.unit_of_work import UnitOfWork


def words() -> Texts:
    return texts("cli_roster")


def add_arguments(verbs: dict[str, argparse.ArgumentParser]) -> None:
    verbs["import"].add_argument("file", type=Path, help="the org CSV file")
    verbs["import"].add_argument(
        "--dry-run", action="store_true", help="print what would change; change nothing"
    )


def add_cycle_arguments(verbs: dict[str, argparse.ArgumentParser]) -> None:
    verbs["cycle"].add_argument("action", choices=["start"], help="start: start a quarter's cycle")
    verbs["cycle"].add_argument("quarter", help="the quarter, e.g. 2027Q1")
    verbs["cycle"].add_argument(
        "--team", action="append", default=[], help="only this team (repeat for more)"
    )


def run_cycle(settings: Settings, args: argparse.Namespace, now: datetime | None = None) -> int:
    now = now or datetime.now(timezone.utc)
    try:
        parse_period(args.quarter)
    except BadPeriod:
        raise CannotStart(words().bad_quarter(args.quarter)) from None
    team_id = str(preflight.check_slack(settings).get("team_id") or "")
    preflight.require_migrated(settings)
    engine = make_engine(settings.database_url)
    try:
        with UnitOfWork.for_engine(engine) as uow:
            uow.write_first()
            started = cycles.start_cycle(uow, team_id, args.quarter, args.team, now, settings)
            if not started.refused:
                uow.commit()
    finally:
        engine.dispose()
    if started.refused == "no_roster":
        raise CannotStart(words().cycle_no_roster(started))
    if started.refused == "no_team":
        raise CannotStart(words().cycle_no_team(started))
    if started.already:
        raise CannotStart(words().cycle_already(started))
    print(words().cycle_started(started))
    return 0


def run_import(settings: Settings, args: argparse.Namespace, now: datetime | None = None) -> int:
    now = now or datetime.now(timezone.utc)
    path: Path = args.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CannotStart(words().not_readable(path, exc.strerror or exc)) from None
    team_id = str(preflight.check_slack(settings).get("team_id") or "")
    preflight.require_migrated(settings)
    gateway = SlackGateway(make_client(settings.slack_bot_token, settings.api_url))
    try:
        checked = roster.check_file(gateway, data)  # Slack first, no transaction open
    except Refused as exc:
        lines = [words().refused(path, exc.problems)]
        lines += ["  " + words().problem(p) for p in exc.problems]
        raise CannotStart("\n".join(lines)) from None
    except SlackFailure as exc:
        raise CannotStart(words().slack_failed(exc.error)) from None
    engine = make_engine(settings.database_url)
    try:
        with UnitOfWork.for_engine(engine) as uow:
            uow.write_first()
            outcome = roster.import_roster(
                uow, team_id, checked, now, settings, dry_run=args.dry_run
            )
            if outcome.applied:
                uow.commit()
    finally:
        engine.dispose()
    print("\n".join(report(str(path), outcome, args.dry_run)))
    return 0


def report(path: str, outcome: roster.Outcome, dry_run: bool) -> list[str]:
    """The summary line, then one line per person the import adds, changes or removes; a
    manager change says whether the open plan moves and whether HR is told of an open PIP."""
    w = words()
    diff, names = outcome.diff, outcome.names
    items = [w.added(names, m) for m in diff.added]
    items += [
        w.manager_changed(
            names,
            b,
            a,
            a.user_id in diff.joining,
            a.user_id in outcome.plan_moves,
            a.user_id in outcome.pip_flagged,
        )
        for b, a in diff.managers_changed
    ]
    items += [w.details_changed(names, b, a) for b, a in diff.details_changed]
    items += [w.removed(names, m) for m in diff.removed]
    return [w.summary(path, diff, dry_run), *("  " + item for item in items)]
