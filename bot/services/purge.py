"""Retention: records closed before a date are anonymised. Every text a person typed is
replaced and every name goes; what is kept are counts, dates, statuses and numbers, so the
organisation can still say how many plans ran, when, and how they went.

Plans now; concerns and PIPs join through PURGERS when their tables exist. The purge of
people: someone deactivated in Slack whose plans are all anonymised loses their name too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from storage.hr_models import HrDigest
from storage.models import Person, Plan, Prompt
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


# Other records' purges: (uow, cutoff, report) -> anonymise what closed before cutoff.
Purger = Callable[[UnitOfWork, datetime, PurgeReport], None]
PURGERS: list[Purger] = []
# Who may keep their name: (uow) -> ids of people with something not yet purged.
KEEPERS: list[Callable[[UnitOfWork], set[int]]] = []
# Recording the purge itself (the audit log, once it exists).
RECORDERS: list[Callable[[UnitOfWork, PurgeReport, datetime], None]] = []


def cutoff_of(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.utc)


def purge(uow: UnitOfWork, before: date, now: datetime, *, dry_run: bool = False) -> PurgeReport:
    """Anonymise plans (and, through PURGERS, concerns and PIPs) closed before `before`.
    Run in the caller's transaction; with `dry_run` it counts and rolls back."""
    report = PurgeReport(before)
    cutoff = cutoff_of(before)
    _purge_plans(uow, cutoff, report, now)
    for purger in PURGERS:
        purger(uow, cutoff, report)
    uow.session.flush()
    _purge_people(uow, report, now)
    uow.session.execute(delete(HrDigest).where(HrDigest.on < before))
    if dry_run:
        uow.rollback()
        return report
    for record in RECORDERS:
        record(uow, report, now)
    uow.commit()
    return report


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


def _purge_people(uow: UnitOfWork, report: PurgeReport, now: datetime) -> None:
    """Deactivated people with nothing left unpurged: their name, zone and country go."""
    unpurged = select(Plan.engineer_id, Plan.manager_id).where(Plan.purged_at.is_(None))
    keep = {person for row in uow.session.execute(unpurged) for person in row}
    for keeper in KEEPERS:
        keep |= keeper(uow)
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
