"""Everything pdpbot stores about one person, for a subject-access request: their profile,
their own plans in full, what they wrote or committed to in the plans of the people they
manage, the messages the bot owed them, HR's nudges that name them, early-intervention
records about them or by them, PIPs about them, held by them or with them as the HR person,
and the audit log's events about them or by them. README.md,
"Subject-access export", documents every field."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from storage.hr_models import HrNudge
from storage.models import AuditEvent, Concern, Person, Plan, Prompt, ReviewEntry
from storage.pip_models import Pip
from storage.roster_models import ManagerClaim
from storage.unit_of_work import UnitOfWork

FORMAT_VERSION = 1
PERSON_FIELDS = (
    "team_id",
    "name",
    "tz",
    "country",
    "away_until",
    "profile_refreshed_at",
    "team_name",
    "working_days",
    "on_roster",
)
PLAN_FIELDS = (
    "id",
    "status",
    "period_start",
    "period_end",
    "review_dates",
    "paused_reason",
    "created_at",
    "submitted_at",
    "activated_at",
    "closed_at",
)
ENGINEER_PLAN_TEXT = (
    "strengths",
    "difficulties",
    "aspiration",
    "target_role",
    "reflection_achieved",
    "reflection_changed",
    "reflection_carry_forward",
)
MANAGER_PLAN_TEXT = ("manager_perspective", "reflection_manager")
GOAL_FIELDS = (
    "position",
    "outcome",
    "success",
    "target_date",
    "how",
    "support",
    "capability_ref",
    "progress",
    "carried_count",
    "carry_forward",
    "end_state",
)
COMMITMENT_FIELDS = (
    "position",
    "text",
    "due_date",
    "status",
    "delivered_at",
    "reason",
    "reason_on",
)
REVIEW_FIELDS = (
    "kind",
    "occurred_on",
    "created_at",
    "progress",
    "blockers",
    "adjustments",
    "answers",
)
MESSAGE_FIELDS = (
    "kind",
    "plan_id",
    "status",
    "planned_on",
    "due_at",
    "sent_at",
    "error",
    "engineer_answered_at",
    "manager_answered_at",
    "nudged_at",
)

CONCERN_FIELDS = ("id", "status", "opened_at", "closed_at", "purged_at")
CONVERSATION_FIELDS = (
    "number",
    "held_on",
    "concern",
    "context_kind",
    "context_notes",
    "expectation",
    "support",
    "follow_up_on",
    "recap_requested",
    "outcome",
    "followed_up_at",
    "created_at",
)
AUDIT_FIELDS = ("at", "action", "subject_type", "subject_id", "before", "after")
PIP_FIELDS = (
    "id",
    "status",
    "classification",
    "preconditions",
    "earlier_iterations",
    "hr_acknowledged_at",
    "hr_changes",
    "start_on",
    "end_on",
    "weeks",
    "timeline_justification",
    "frequency",
    "frequency_reason",
    "consequence",
    "opened_at",
    "received_at",
    "outcome",
    "outcome_note",
    "created_at",
    "closed_at",
    "purged_at",
)
PIP_CONCERN_FIELDS = ("position", "concern", "evidence")
PIP_CRITERION_FIELDS = (
    "position",
    "text",
    "revision",
    "answer",
    "answered_revision",
    "comment",
    "answered_at",
)
PIP_SUPPORT_FIELDS = ("position", "what", "who", "how_often")
PIP_CHECKPOINT_FIELDS = (
    "number",
    "due_on",
    "overdue_on",
    "recorded_at",
    "recorded_on",
    "assessments",
    "working",
    "needs_work",
    "deliveries",
    "adjustments",
    "next_focus",
)


class UnknownPerson(LookupError):
    pass


def plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def fields(obj: object, names: Iterable[str]) -> dict[str, Any]:
    return {name: plain(getattr(obj, name)) for name in names}


def find_person(uow: UnitOfWork, slack_user_id: str, team_id: str | None = None) -> Person:
    query = select(Person).where(Person.slack_user_id == slack_user_id)
    if team_id is not None:
        query = query.where(Person.team_id == team_id)
    person = uow.session.scalars(query).first()
    if person is None:
        raise UnknownPerson(slack_user_id)
    return person


def export_person(uow: UnitOfWork, person: Person, now: datetime) -> dict[str, Any]:
    data: dict[str, Any] = {
        "export": {"kind": "subject_access", "format_version": FORMAT_VERSION},
        "generated_at": now.isoformat(),
        "person": {
            "slack_user_id": person.slack_user_id,
            **fields(person, PERSON_FIELDS),
            "is_bot": person.is_bot,
            "deactivated": person.deleted,
            "manager_slack_user_id": person.manager.slack_user_id if person.manager else None,
        },
        "plans": [_plan(plan, person) for plan in _plans(uow, person)],
        "reviews_written": _reviews_written(uow, person),
        "messages": _messages(uow, person),
        "hr_nudges": _nudges(uow, person),
        "concerns": _concerns(uow, person),
        "pips": _pips(uow, person),
        "audit_events": _audit(uow, person),
        "manager_claims": _claims(uow, person),
    }
    return data


def _claims(uow: UnitOfWork, person: Person) -> list[dict[str, Any]]:
    """*My manager is…* claims they made, or that named them as the manager."""
    claims = uow.session.scalars(
        select(ManagerClaim)
        .where(or_(ManagerClaim.engineer_id == person.id, ManagerClaim.manager_id == person.id))
        .order_by(ManagerClaim.id)
    )
    return [
        {
            "role": "engineer" if c.engineer_id == person.id else "manager",
            "status": c.status,
            "created_at": c.created_at.isoformat(),
            "decided_at": c.decided_at.isoformat() if c.decided_at else None,
            "engineer_slack_user_id": c.engineer.slack_user_id,
            "manager_slack_user_id": c.manager.slack_user_id,
        }
        for c in claims
    ]


def _plans(uow: UnitOfWork, person: Person) -> list[Plan]:
    return list(
        uow.session.scalars(
            select(Plan)
            .where(or_(Plan.engineer_id == person.id, Plan.manager_id == person.id))
            .options(
                selectinload(Plan.goals),
                selectinload(Plan.commitments),
                selectinload(Plan.reviews),
            )
            .order_by(Plan.period_start, Plan.id)
        )
    )


def _plan(plan: Plan, person: Person) -> dict[str, Any]:
    """Their own plan in full; a report's plan only for what they wrote or promised in it."""
    mine = plan.engineer_id == person.id
    data: dict[str, Any] = {
        "role": "engineer" if mine else "manager",
        **fields(plan, PLAN_FIELDS),
        "engineer_slack_user_id": plan.engineer.slack_user_id,
        "manager_slack_user_id": plan.manager.slack_user_id,
        **(fields(plan, ENGINEER_PLAN_TEXT) if mine else {}),
        **fields(plan, MANAGER_PLAN_TEXT),
        "goals": [
            {
                **(fields(g, GOAL_FIELDS) if mine else {"position": g.position}),
                "manager_comment": g.manager_comment,
            }
            for g in plan.goals
        ],
        "commitments": [fields(c, COMMITMENT_FIELDS) for c in plan.commitments],
        "reviews": [
            {**fields(r, REVIEW_FIELDS), "author_slack_user_id": r.author.slack_user_id}
            for r in plan.reviews
            if mine
        ],
    }
    return data


def _reviews_written(uow: UnitOfWork, person: Person) -> list[dict[str, Any]]:
    """Reviews they wrote in plans that are not their own (as a manager)."""
    rows = uow.session.scalars(
        select(ReviewEntry)
        .join(Plan, Plan.id == ReviewEntry.plan_id)
        .where(ReviewEntry.author_id == person.id, Plan.engineer_id != person.id)
        .order_by(ReviewEntry.id)
    )
    return [{"plan_id": r.plan_id, **fields(r, REVIEW_FIELDS)} for r in rows]


def _messages(uow: UnitOfWork, person: Person) -> list[dict[str, Any]]:
    rows = uow.session.scalars(
        select(Prompt)
        .join(Plan, Plan.id == Prompt.plan_id)
        .where(or_(Plan.engineer_id == person.id, Plan.manager_id == person.id))
        .order_by(Prompt.due_at, Prompt.id)
    )
    return [fields(p, MESSAGE_FIELDS) for p in rows]


def _nudges(uow: UnitOfWork, person: Person) -> list[dict[str, Any]]:
    rows = uow.session.scalars(
        select(HrNudge)
        .where(or_(HrNudge.manager_id == person.id, HrNudge.nudged_by_id == person.id))
        .order_by(HrNudge.nudged_at)
    )
    return [
        {
            "role": "manager nudged" if n.manager_id == person.id else "nudged a manager",
            "item_key": n.item_key,
            "nudged_at": plain(n.nudged_at),
        }
        for n in rows
    ]


def _concerns(uow: UnitOfWork, person: Person) -> list[dict[str, Any]]:
    """Early-intervention records about them, and those they recorded as a manager."""
    rows = uow.session.scalars(
        select(Concern)
        .where(or_(Concern.engineer_id == person.id, Concern.manager_id == person.id))
        .options(selectinload(Concern.conversations))
        .order_by(Concern.opened_at, Concern.id)
    )
    return [
        {
            "role": "engineer" if c.engineer_id == person.id else "manager",
            **fields(c, CONCERN_FIELDS),
            "engineer_slack_user_id": c.engineer.slack_user_id,
            "manager_slack_user_id": c.manager.slack_user_id,
            "conversations": [fields(v, CONVERSATION_FIELDS) for v in c.conversations],
        }
        for c in rows
    ]


def _audit(uow: UnitOfWork, person: Person) -> list[dict[str, Any]]:
    """The audit log's events about them or done by them, oldest first."""
    rows = uow.session.scalars(
        select(AuditEvent)
        .where(or_(AuditEvent.engineer_id == person.id, AuditEvent.actor_id == person.id))
        .order_by(AuditEvent.id)
    )
    actors = {p.id: p.slack_user_id for p in uow.session.scalars(select(Person))}
    return [
        {
            **fields(e, AUDIT_FIELDS),
            "actor_slack_user_id": actors.get(e.actor_id) if e.actor_id else None,
            "about_slack_user_id": actors.get(e.engineer_id),
        }
        for e in rows
    ]


def _pips(uow: UnitOfWork, person: Person) -> list[dict[str, Any]]:
    """PIPs about them, that they held as the manager, or that they were the HR person of."""
    rows = uow.session.scalars(
        select(Pip)
        .where(
            or_(
                Pip.engineer_id == person.id,
                Pip.manager_id == person.id,
                Pip.hr_person_id == person.id,
            )
        )
        .options(
            selectinload(Pip.concerns),
            selectinload(Pip.criteria),
            selectinload(Pip.support),
            selectinload(Pip.checkpoints),
        )
        .order_by(Pip.created_at, Pip.id)
    )
    return [
        {
            "role": _pip_role(p, person),
            **fields(p, PIP_FIELDS),
            "engineer_slack_user_id": p.engineer.slack_user_id,
            "manager_slack_user_id": p.manager.slack_user_id,
            "hr_slack_user_id": p.hr_person.slack_user_id if p.hr_person else None,
            "concerns": [fields(c, PIP_CONCERN_FIELDS) for c in p.concerns],
            "criteria": [fields(c, PIP_CRITERION_FIELDS) for c in p.criteria],
            "support": [fields(s, PIP_SUPPORT_FIELDS) for s in p.support],
            "checkpoints": [fields(c, PIP_CHECKPOINT_FIELDS) for c in p.checkpoints],
        }
        for p in rows
    ]


def _pip_role(pip: Pip, person: Person) -> str:
    if pip.engineer_id == person.id:
        return "engineer"
    return "manager" if pip.manager_id == person.id else "hr"
