"""Retention: records closed before a date are anonymised. Every text a person typed is
replaced and every name goes; what is kept are counts, dates, statuses and numbers, so the
organisation can still say how many plans ran, when, and how they went.

Plans, early-intervention concerns and PIPs (closed, or referred to another process). Each
anonymised record gets an audit event saying so, and its earlier events' snapshots are
redacted (storage/audit.py). Someone deactivated in Slack with nothing left that is not anonymised
loses their name too."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from storage.hr_models import HrDigest
from storage.models import Concern, Person, Plan, Prompt
from storage.pip_models import Pip
from storage.unit_of_work import UnitOfWork

REMOVED = "[removed]"
PLAN_TEXT = (
    "strengths",
    "difficulties",
    "aspiration",
    "target_role",
    "manager_perspective",
    "reflection_achieved",
    "reflection_changed",
    "reflection_carry_forward",
    "reflection_manager",
)
GOAL_TEXT = ("outcome", "success", "how", "support", "capability_ref", "manager_comment")
REVIEW_TEXT = ("progress", "blockers", "adjustments")


@dataclass
class PurgeReport:
    before: date
    plans: int = 0
    concerns: int = 0
    pips: int = 0
    people: int = 0
    engineers: set[int] = field(default_factory=set)

    def as_dict(self) -> dict[str, object]:
        return {
            "closed_before": self.before.isoformat(),
            "plans": self.plans,
            "concerns": self.concerns,
            "pips": self.pips,
            "people": self.people,
        }


CONCERN_TEXT = ("concern", "context_notes", "expectation", "support")


def cutoff_of(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.utc)


def purge(uow: UnitOfWork, before: date, now: datetime, *, dry_run: bool = False) -> PurgeReport:
    """Anonymise plans, concerns and PIPs closed before `before`.
    Run in the caller's transaction; with `dry_run` it counts and rolls back."""
    report = PurgeReport(before)
    cutoff = cutoff_of(before)
    _purge_plans(uow, cutoff, report, now)
    _purge_concerns(uow, cutoff, report, now)
    _purge_pips(uow, cutoff, report, now)
    uow.session.flush()
    _purge_people(uow, report, now)
    uow.session.execute(delete(HrDigest).where(HrDigest.on < before))
    if dry_run:
        uow.rollback()
        return report
    uow.commit()
    return report


def _record(
    uow: UnitOfWork,
    kind: str,
    record_id: int,
    team_id: str,
    engineer_id: int,
    now: datetime,
    report: PurgeReport,
) -> None:
    """The purge in the audit log: the record's own events lose their snapshots, and one
    more says when, by which rule, and that its texts are gone."""
    uow.audit.redact(kind, record_id)
    uow.audit.append(
        team_id=team_id,
        at=now,
        actor_id=None,
        action=f"{kind}.purged",
        subject_type=kind,
        subject_id=record_id,
        engineer_id=engineer_id,
        after={"closed_before": report.before.isoformat(), "texts": "removed"},
    )


def _purge_plans(uow: UnitOfWork, cutoff: datetime, report: PurgeReport, now: datetime) -> None:
    plans = uow.session.scalars(
        select(Plan)
        .where(Plan.status == "closed", Plan.closed_at < cutoff, Plan.purged_at.is_(None))
        .options(
            selectinload(Plan.goals), selectinload(Plan.commitments), selectinload(Plan.reviews)
        )
    ).all()
    for plan in plans:
        for name in PLAN_TEXT:
            if getattr(plan, name):
                setattr(plan, name, REMOVED)
        plan.paused_reason = None
        for goal in plan.goals:
            for name in GOAL_TEXT:
                if getattr(goal, name):
                    setattr(goal, name, REMOVED)
        for commitment in plan.commitments:
            commitment.text = REMOVED
            commitment.reason = REMOVED if commitment.reason else ""
        for review in plan.reviews:
            for name in REVIEW_TEXT:
                if getattr(review, name):
                    setattr(review, name, REMOVED)
            review.answers = {key: REMOVED for key in (review.answers or {})}
        for prompt in uow.session.scalars(select(Prompt).where(Prompt.plan_id == plan.id)):
            prompt.error = None
            prompt.args = None
        plan.purged_at = now
        report.plans += 1
        report.engineers.add(plan.engineer_id)
        _record(uow, "plan", plan.id, plan.team_id, plan.engineer_id, now, report)


def _purge_concerns(uow: UnitOfWork, cutoff: datetime, report: PurgeReport, now: datetime) -> None:
    concerns = uow.session.scalars(
        select(Concern)
        .where(Concern.status != "open", Concern.closed_at < cutoff, Concern.purged_at.is_(None))
        .options(selectinload(Concern.conversations))
    ).all()
    for concern in concerns:
        for conversation in concern.conversations:
            for name in CONCERN_TEXT:
                if getattr(conversation, name):
                    setattr(conversation, name, REMOVED)
        for prompt in uow.session.scalars(
            select(Prompt).where(Prompt.subject_type == "concern", Prompt.subject_id == concern.id)
        ):
            prompt.error = None
            prompt.args = None
        concern.purged_at = now
        report.concerns += 1
        _record(uow, "concern", concern.id, concern.team_id, concern.engineer_id, now, report)


PIP_TEXT = (
    "hr_changes",
    "timeline_justification",
    "frequency_reason",
    "consequence",
    "outcome_note",
)
PIP_PRECONDITION_TEXT = (
    "gap_evidence",
    "expectations_evidence",
    "conversations_evidence",
    "support_evidence",
    "justification",
)
CHECKPOINT_TEXT = ("working", "needs_work", "adjustments", "next_focus")


def _purge_pips(uow: UnitOfWork, cutoff: datetime, report: PurgeReport, now: datetime) -> None:
    pips = uow.session.scalars(
        select(Pip)
        .where(
            Pip.status.in_(("closed", "referred")),
            func.coalesce(Pip.closed_at, Pip.created_at) < cutoff,
            Pip.purged_at.is_(None),
        )
        .options(
            selectinload(Pip.concerns),
            selectinload(Pip.criteria),
            selectinload(Pip.support),
            selectinload(Pip.checkpoints),
        )
    ).all()
    for pip in pips:
        for name in PIP_TEXT:
            if getattr(pip, name):
                setattr(pip, name, REMOVED)
        given = dict(pip.preconditions or {})
        pip.preconditions = {
            k: REMOVED if k in PIP_PRECONDITION_TEXT and v else v for k, v in given.items()
        }
        for concern in pip.concerns:
            concern.concern, concern.evidence = REMOVED, REMOVED
        for criterion in pip.criteria:
            criterion.text = REMOVED
            criterion.comment = REMOVED if criterion.comment else ""
        for item in pip.support:
            item.what, item.who, item.how_often = REMOVED, REMOVED, REMOVED
        for checkpoint in pip.checkpoints:
            for name in CHECKPOINT_TEXT:
                if getattr(checkpoint, name):
                    setattr(checkpoint, name, REMOVED)
            checkpoint.assessments = [
                {**a, "evidence": REMOVED if a.get("evidence") else ""}
                for a in checkpoint.assessments or []
            ]
            checkpoint.deliveries = [
                {**x, "reason": REMOVED if x.get("reason") else ""}
                for x in checkpoint.deliveries or []
            ]
        for prompt in uow.session.scalars(
            select(Prompt).where(Prompt.subject_type == "pip", Prompt.subject_id == pip.id)
        ):
            prompt.error = None
            prompt.args = None
        pip.purged_at = now
        report.pips += 1
        _record(uow, "pip", pip.id, pip.team_id, pip.engineer_id, now, report)


def _purge_people(uow: UnitOfWork, report: PurgeReport, now: datetime) -> None:
    """Deactivated people with nothing left unpurged: their name, zone and country go."""
    keep: set[int] = set()
    for query in (
        select(Plan.engineer_id, Plan.manager_id).where(Plan.purged_at.is_(None)),
        select(Concern.engineer_id, Concern.manager_id).where(Concern.purged_at.is_(None)),
        select(Pip.engineer_id, Pip.manager_id, Pip.hr_person_id).where(Pip.purged_at.is_(None)),
    ):
        keep |= {person for row in uow.session.execute(query) for person in row}
    gone = uow.session.scalars(
        select(Person).where(
            Person.deleted.is_(True),
            Person.purged_at.is_(None),
            Person.is_bot.is_(False),
        )
    ).all()
    for person in gone:
        if person.id in keep:
            continue
        person.name = f"former colleague {person.id}"
        person.tz = person.country = None
        person.purged_at = now
        report.people += 1


def retention_cutoff(today: date, days: int) -> date:
    return today - timedelta(days=days)
