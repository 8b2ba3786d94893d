"""HR's verbs on the command line: export (calibration CSV, one person's JSON, a PIP's formal
record), purge, doctor. Every refusal is one line and exit code 2; nothing is half-written."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path

from bot import preflight
from bot.config import Settings
from bot.domain.cadence import local_date, quarter_bounds
from bot.domain.calibration import BadPeriod, parse_period
from bot.preflight import CannotStart
from bot.services import calibration, pip_record, purge, subject_access
from bot.services.files import CannotWrite, write_atomically
from prompts import Texts, texts
from storage.db import make_engine
from storage.unit_of_work import UnitOfWork

EXPORTS = ("calibration", "person", "pip")
SUFFIXES = {"calibration": (".csv",), "person": (".json",), "pip": (".pdf", ".md")}


def words() -> Texts:
    return texts("cli_hr")


def add_arguments(verbs: dict[str, argparse.ArgumentParser]) -> None:
    export = verbs["export"]
    export.add_argument("what", choices=EXPORTS, help="calibration, person or pip")
    export.add_argument("id", nargs="?", help="the person's Slack user id, or the PIP's id")
    export.add_argument("--out", required=True, type=Path, help="the file to write")
    export.add_argument("--period", help="calibration: a quarter such as 2027Q1 (default: now)")
    verbs["purge"].add_argument(
        "--closed-before", required=True, dest="closed_before", type=_date, help="YYYY-MM-DD"
    )
    verbs["purge"].add_argument(
        "--dry-run", action="store_true", help="say what would be anonymised; change nothing"
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(words().bad_date(text)) from None


def _uow(settings: Settings) -> tuple[Callable[[], UnitOfWork], Callable[[], None]]:
    preflight.require_migrated(settings)
    engine = make_engine(settings.database_url)
    return (lambda: UnitOfWork.for_engine(engine)), engine.dispose


def export(settings: Settings, args: argparse.Namespace, now: datetime | None = None) -> int:
    now = now or datetime.now(timezone.utc)
    out: Path = args.out
    if out.suffix.lower() not in SUFFIXES[args.what]:
        raise CannotStart(words().wrong_suffix(out, SUFFIXES[args.what]))
    if args.what in ("person", "pip") and not args.id:
        raise CannotStart(words().needs_id(args.what))
    today = local_date(now, settings.hr_zone)
    if args.what == "calibration":
        try:
            start, end = parse_period(args.period) if args.period else quarter_bounds(today)
        except BadPeriod:
            raise CannotStart(words().bad_period(args.period)) from None
    make_uow, dispose = _uow(settings)
    try:
        with make_uow() as uow:
            if args.what == "calibration":
                text, count = calibration.csv_text(uow, start, end, today)
                data = text.encode("utf-8")
            elif args.what == "person":
                try:
                    person = subject_access.find_person(uow, args.id)
                except subject_access.UnknownPerson:
                    raise CannotStart(words().unknown_person(args.id)) from None
                record = subject_access.export_person(uow, person, now)
                data = json.dumps(record, indent=2, ensure_ascii=False).encode("utf-8")
                count = 0  # not shown: the file is one person's record
            else:
                pip = pip_record.find(uow, args.id)
                if pip is None:
                    raise CannotStart(words().unknown_pip(args.id))
                formal = pip_record.record_of(uow, pip, now, settings.hr_zone)
                as_pdf = out.suffix.lower() == ".pdf"
                data = pip_record.pdf(formal) if as_pdf else pip_record.markdown(formal).encode()
                pip_record.audit_export(uow, pip, now, "pdf" if as_pdf else "md")
                uow.commit()
                count = len(formal.checkpoints)
        write_atomically(out, data)
    except CannotWrite as exc:
        raise CannotStart(words().not_writable(exc.path, exc.reason)) from None
    finally:
        dispose()
    print(words().written(args.what, out, count))
    return 0


def run_purge(settings: Settings, args: argparse.Namespace, now: datetime | None = None) -> int:
    now = now or datetime.now(timezone.utc)
    today = local_date(now, settings.hr_zone)
    if args.closed_before > today:
        raise CannotStart(words().purge_future(args.closed_before, today))
    make_uow, dispose = _uow(settings)
    try:
        with make_uow() as uow:
            uow.write_first()
            report = purge.purge(uow, args.closed_before, now, dry_run=args.dry_run)
    finally:
        dispose()
    print(words().purged(report, args.dry_run))
    return 0


def doctor(settings: Settings, now: datetime | None = None) -> int:
    from bot import doctor as checks

    lines, problems = checks.report(checks.examine(settings, now))
    print("\n".join(lines))
    return 1 if problems else 0
