"""HR's exports from App Home: the calibration CSV of a quarter, one person's subject-access
JSON and a PIP's formal record (PDF). The request reads what goes in (and audits it); the file
is rendered and uploaded to the HR member's DM with pdpbot once Slack has its answer
(`files_upload_v2`), on the after-response worker, which touches no database.

Only members of the private HR channel may export. Anyone else, and every id that names
nothing (an unknown person, a PIP that does not exist), gets the same refusal, so a refusal
says nothing about whether the record exists. A person's export is written to the audit log
(who exported whom, when), and so is a PIP's formal record."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.domain.cadence import local_date, quarter_bounds
from bot.domain.calibration import BadPeriod, parse_period, period_label
from bot.domain.errors import DomainError, PermissionDenied
from bot.domain.policy import Act
from bot.services import calibration, pip_record, subject_access
from bot.services.common import Ctx, authorize_hr
from bot.services.pips import PipRefused, load_pip
from bot.slack.gateway import SlackFailure, SlackGateway
from prompts import Texts, texts
from storage.audit import AuditLog
from storage.models import Person

log = logging.getLogger(__name__)


class Refused(DomainError):
    """Not an HR member, or nothing to export under that id: one answer for both."""

    template = "hr/errors/refused"


@dataclass(frozen=True)
class ExportFile:
    filename: str
    render: Callable[[], bytes]  # from what the request read: run after the response
    title: str
    comment: str


def words() -> Texts:
    return texts("hr/home")


def require_hr(ctx: Ctx, person: Person) -> None:
    try:
        authorize_hr(ctx, person, Act.EXPORT_HR_DATA)
    except PermissionDenied:
        raise Refused() from None


def periods_offered(ctx: Ctx) -> tuple[str, ...]:
    """This quarter and the one before, in the HR channel's zone."""
    start, _ = quarter_bounds(local_date(ctx.now, ctx.settings.hr_zone))
    before, _ = quarter_bounds(start - timedelta(days=1))
    return (period_label(start), period_label(before))


def calibration_file(ctx: Ctx, person: Person, period: str) -> ExportFile:
    require_hr(ctx, person)
    try:
        start, end = parse_period(period)
    except BadPeriod:
        raise Refused() from None
    today = local_date(ctx.now, ctx.settings.hr_zone)
    text, rows = calibration.csv_text(ctx.uow, start, end, today, ctx.team_id)
    label = period_label(start)
    t = words()
    return ExportFile(
        filename=f"calibration-{label}.csv",
        render=lambda: text.encode("utf-8"),
        title=t.calibration_title(label),
        comment=t.calibration_comment(label, rows),
    )


def person_file(ctx: Ctx, person: Person, user_id: str) -> ExportFile:
    require_hr(ctx, person)
    try:
        subject = subject_access.find_person(ctx.uow, user_id, ctx.team_id)
    except subject_access.UnknownPerson:
        raise Refused() from None
    record = subject_access.export_person(ctx.uow, subject, ctx.now)
    AuditLog(ctx.uow.session).append(
        team_id=ctx.team_id,
        at=ctx.now,
        actor_id=person.id,
        action="person.exported",
        subject_type="person",
        subject_id=subject.id,
        engineer_id=subject.id,
        after={"kind": "subject_access"},
    )
    name = subject.name or subject.slack_user_id
    t = words()
    return ExportFile(
        filename=f"subject-access-{subject.slack_user_id}.json",
        render=lambda: json.dumps(record, indent=2, ensure_ascii=False).encode("utf-8"),
        title=t.person_file_title(name),
        comment=t.person_comment(name),
    )


def pip_file(ctx: Ctx, person: Person, pip_id: int) -> ExportFile:
    """The formal record of one PIP as PDF, for an HR member; audited. Anyone else, and a PIP
    that does not exist, get the PIP's one refusal (pips.PipRefused): it never says which."""
    try:
        authorize_hr(ctx, person, Act.EXPORT_HR_DATA)
    except PermissionDenied:
        raise PipRefused() from None
    pip = load_pip(ctx, person, pip_id, Act.VIEW_PIP)
    record = pip_record.record_of(ctx.uow, pip, ctx.now, ctx.settings.hr_zone)
    pip_record.audit_export(ctx.uow, pip, ctx.now, "pdf", person.id)
    t = words()
    return ExportFile(
        filename=f"pip-{pip.id}-formal-record.pdf",
        render=lambda: pip_record.pdf(record),
        title=t.pip_file_title(record.engineer),
        comment=t.pip_comment(record.engineer),
    )


def send_later(ctx: Ctx, person: Person, export: ExportFile) -> None:
    """Render `export` and upload it to the person's DM once Slack has its answer."""
    user_id = person.slack_user_id
    ctx.after_response(lambda gateway: upload(gateway, user_id, export))


def upload(gateway: SlackGateway, user_id: str, export: ExportFile) -> None:
    try:
        data = export.render()
        gateway.upload_file(user_id, export.filename, data, export.title, export.comment)
    except SlackFailure as failure:
        log.warning("could not upload %s for %s: %s", export.filename, user_id, failure.error)
        gateway.post(user_id, words().upload_failed(failure.error))
