"""The formal record of one PIP, for HR's file: the preconditions and the HR
acknowledgement, the concerns with evidence, the criteria with the engineer's agreement, every
checkpoint with support delivery, the integrity signals, the outcome and the audit log.
Rendered from prompts/formal/pip_record.md.j2 as Markdown, and set in type as PDF
(bot/formal/pdf.py). It is the one way HR reads what a PIP says; who may export it is asked
by the caller (the CLI is the operator's; App Home asks bot/services/hr_exports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from bot.domain.cadence import local_date
from bot.formal.pdf import render_pdf
from bot.services import pip_facts
from prompts import plain, render, texts
from storage.models import AuditEvent, Person
from storage.pip_models import Pip
from storage.unit_of_work import UnitOfWork

PRECONDITION_EVIDENCE = {
    "gap_persistent": "gap_evidence",
    "expectations_explicit": "expectations_evidence",
    "earlier_conversations": "conversations_evidence",
    "performance_matter": None,
    "support_available": "support_evidence",
}


@dataclass(frozen=True)
class Precondition:
    name: str
    confirmed: bool
    evidence: str


@dataclass(frozen=True)
class Agreement:
    position: int
    text: str
    agreement: str
    comment: str
    answered_at: datetime | None


@dataclass(frozen=True)
class CheckpointLine:
    number: int
    due_on: date
    overdue_on: date
    recorded_on: date | None
    late: bool
    missed: bool
    assessments: list[dict[str, Any]]
    deliveries: list[dict[str, Any]]
    working: str
    needs_work: str
    adjustments: str
    next_focus: str


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    action: str
    actor: str


@dataclass(frozen=True)
class PipRecord:
    pip_id: int
    engineer: str
    manager: str
    hr_person: str
    status: str
    classification: str
    preconditions: list[Precondition]
    earlier_conversations: int
    justification: str
    hr_acknowledged_at: datetime | None
    hr_changes: str
    start_on: date | None
    end_on: date | None
    weeks: int | None
    timeline_justification: str
    frequency: str | None
    frequency_reason: str
    consequence: str
    opened_at: datetime | None
    received_at: datetime | None
    concerns: list[Any]
    criteria: list[Agreement]
    support: list[Any]
    checkpoints: list[CheckpointLine]
    signals: list[str]
    outcome: str | None
    outcome_note: str
    closed_at: datetime | None
    audit: list[AuditLine]
    generated_at: datetime


def find(uow: UnitOfWork, pip_id: int | str, team_id: str | None = None) -> Pip | None:
    try:
        number = int(pip_id)
    except (TypeError, ValueError):
        return None
    pip = uow.session.get(Pip, number)
    if pip is None or (team_id is not None and pip.team_id != team_id):
        return None
    return pip


def _name(person: Person | None) -> str:
    if person is None:
        return ""
    return person.name or person.slack_user_id


def record_of(uow: UnitOfWork, pip: Pip, now: datetime, tz: str) -> PipRecord:
    today = local_date(now, tz)
    given = pip.preconditions or {}
    confirmed = set(given.get("confirmed") or [])
    words = texts("formal/words")
    criteria_pos = {c.id: c.position for c in pip.criteria}
    support_pos = {s.id: s.position for s in pip.support}
    return PipRecord(
        pip_id=pip.id,
        engineer=_name(pip.engineer),
        manager=_name(pip.manager),
        hr_person=_name(pip.hr_person),
        status=pip.status,
        classification=pip.classification,
        preconditions=[
            Precondition(
                plain(words.precondition(name)),
                name in confirmed,
                str(given.get(key) or "") if key else "",
            )
            for name, key in PRECONDITION_EVIDENCE.items()
        ],
        earlier_conversations=pip.earlier_iterations,
        justification=str(given.get("justification") or ""),
        hr_acknowledged_at=pip.hr_acknowledged_at,
        hr_changes=pip.hr_changes,
        start_on=pip.start_on,
        end_on=pip.end_on,
        weeks=pip.weeks,
        timeline_justification=pip.timeline_justification,
        frequency=pip.frequency,
        frequency_reason=pip.frequency_reason,
        consequence=pip.consequence,
        opened_at=pip.opened_at,
        received_at=pip.received_at,
        concerns=[
            {"position": c.position, "concern": c.concern, "evidence": c.evidence}
            for c in pip.concerns
        ],
        criteria=[
            Agreement(
                c.position,
                c.text,
                plain(words.agreement(c.answer, c.agreed)),
                c.comment,
                c.answered_at,
            )
            for c in pip.criteria
        ],
        support=[
            {"position": s.position, "what": s.what, "who": s.who, "how_often": s.how_often}
            for s in pip.support
        ],
        checkpoints=[
            CheckpointLine(
                number=c.number,
                due_on=c.due_on,
                overdue_on=c.overdue_on,
                recorded_on=c.recorded_on,
                late=c.recorded_on is not None and c.recorded_on >= c.overdue_on,
                missed=c.recorded_on is None and today >= c.overdue_on,
                assessments=[
                    {
                        "position": criteria_pos.get(a.get("criterion_id"), "?"),
                        "status": str(a.get("status") or ""),
                        "evidence": str(a.get("evidence") or ""),
                    }
                    for a in c.assessments or []
                ],
                deliveries=[
                    {
                        "position": support_pos.get(d.get("support_id"), "?"),
                        "delivery": str(d.get("delivery") or ""),
                        "reason": str(d.get("reason") or ""),
                    }
                    for d in c.deliveries or []
                ],
                working=c.working,
                needs_work=c.needs_work,
                adjustments=c.adjustments,
                next_focus=c.next_focus,
            )
            for c in pip.checkpoints
        ],
        signals=signal_texts(pip, today),
        outcome=pip.outcome,
        outcome_note=pip.outcome_note,
        closed_at=pip.closed_at,
        audit=_audit(uow, pip),
        generated_at=now,
    )


def signal_texts(pip: Pip, today: date) -> list[str]:
    """Its integrity signals today, as the lines HR reads (no text anyone typed)."""
    return [
        plain(render(f"pip/signals/{s.code}", **s.params)) for s in pip_facts.signals(pip, today)
    ]


def _audit(uow: UnitOfWork, pip: Pip) -> list[AuditLine]:
    rows = uow.session.execute(
        select(AuditEvent.at, AuditEvent.action, Person.name, Person.slack_user_id)
        .outerjoin(Person, Person.id == AuditEvent.actor_id)
        .where(AuditEvent.subject_type == "pip", AuditEvent.subject_id == pip.id)
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    return [AuditLine(at, action, name or slack or "pdpbot") for at, action, name, slack in rows]


def markdown(record: PipRecord) -> str:
    return render("formal/pip_record.md", r=record) + "\n"


def pdf(record: PipRecord) -> bytes:
    title = plain(texts("formal/words").pdf_title(record.pip_id, record.engineer))
    return render_pdf(markdown(record), title=title, created=record.generated_at)


def audit_export(
    uow: UnitOfWork, pip: Pip, now: datetime, form: str, actor_id: int | None = None
) -> None:
    """The export in the PIP's audit log: by an HR member from App Home, or (no actor) by
    whoever ran `pdpbot export pip` on the command line."""
    uow.audit.append(
        team_id=pip.team_id,
        at=now,
        actor_id=actor_id,
        action="pip.exported",
        subject_type="pip",
        subject_id=pip.id,
        engineer_id=pip.engineer_id,
        after={"format": form, "from": "app_home" if actor_id else "command_line"},
    )
