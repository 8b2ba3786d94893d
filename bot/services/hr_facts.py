"""The database, read into the digest's plain facts (bot/domain/hr_digest.py) in a handful of
set-based queries, whatever the size of the organisation: no text of a goal, a check-in, a
review or a concern is read at all, and of a PIP only the justification its manager gave HR
for opening it without an earlier documented conversation."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import aliased

from bot.domain import hr_digest as d
from bot.domain.cadence import local_date
from bot.domain.pip_integrity import support_delivery_rate
from bot.services import pip_facts
from bot.services.cadence import CHECKIN_KINDS
from prompts import plain, render
from storage.models import Commitment, Goal, Person, Plan, Prompt, ReviewEntry
from storage.unit_of_work import UnitOfWork

GIVEN_UP = ("undeliverable", "failed")
Engineer = aliased(Person, name="engineer")
Manager = aliased(Person, name="manager")


def _who(row: Row[Any], prefix: str) -> d.Who:
    name = getattr(row, f"{prefix}_name") or getattr(row, f"{prefix}_slack")
    return d.Who(getattr(row, f"{prefix}_id"), getattr(row, f"{prefix}_slack"), name)


def _people_columns() -> list[Any]:
    return [
        Engineer.id.label("engineer_id"),
        Engineer.slack_user_id.label("engineer_slack"),
        Engineer.name.label("engineer_name"),
        Manager.id.label("manager_id"),
        Manager.slack_user_id.label("manager_slack"),
        Manager.name.label("manager_name"),
    ]


def read_facts(
    uow: UnitOfWork, team_id: str, now: datetime, tz: str, window_days: int = 7
) -> d.Facts:
    """Everything the digest needs as of `now` (dates in the HR channel's zone `tz`);
    undelivered messages of the last `window_days` only (older ones were in earlier digests)."""
    today = local_date(now, tz)
    session = uow.session
    plan_rows = session.execute(
        select(
            Plan.id,
            Plan.status,
            Plan.period_start,
            Plan.activated_at,
            Plan.paused_reason,
            *_people_columns(),
        )
        .join(Engineer, Engineer.id == Plan.engineer_id)
        .join(Manager, Manager.id == Plan.manager_id)
        .where(Plan.team_id == team_id, Plan.status == "active")
    ).all()
    plan_ids = [row.id for row in plan_rows]
    last_review: dict[int, date] = {
        plan_id: on
        for plan_id, on in session.execute(
            select(ReviewEntry.plan_id, func.max(ReviewEntry.occurred_on))
            .join(Plan, Plan.id == ReviewEntry.plan_id)
            .where(Plan.team_id == team_id, Plan.status == "active")
            .group_by(ReviewEntry.plan_id)
        )
    }
    plans = [
        d.PlanFact(
            plan_id=row.id,
            engineer=_who(row, "engineer"),
            manager=_who(row, "manager"),
            status=row.status,
            started_on=local_date(row.activated_at, tz) if row.activated_at else row.period_start,
            last_review_on=last_review.get(row.id),
            paused_reason=row.paused_reason,
        )
        for row in plan_rows
    ]
    return d.Facts(
        today=today,
        plans=plans,
        commitments=_commitments(uow, team_id) if plan_ids else [],
        goals=_goals(uow, team_id) if plan_ids else [],
        undelivered=_undelivered(uow, team_id, now - timedelta(days=window_days), tz),
        unanswered=_unanswered(uow, team_id, tz) if plan_ids else [],
        pips=_pips(uow, team_id, today),
    )


def _commitments(uow: UnitOfWork, team_id: str) -> list[d.CommitmentFact]:
    rows = uow.session.execute(
        select(Commitment.id, Commitment.plan_id, Commitment.position, Commitment.due_date)
        .join(Plan, Plan.id == Commitment.plan_id)
        .where(
            Plan.team_id == team_id,
            Plan.status == "active",
            Commitment.status == "pending",
            Commitment.due_date.is_not(None),
        )
    ).all()
    return [d.CommitmentFact(r.id, r.plan_id, r.position + 1, r.due_date, "pending") for r in rows]


def _goals(uow: UnitOfWork, team_id: str) -> list[d.GoalFact]:
    rows = uow.session.execute(
        select(Goal.id, Goal.plan_id, Goal.position, Goal.carried_count, Goal.progress)
        .join(Plan, Plan.id == Goal.plan_id)
        .where(
            Plan.team_id == team_id,
            Plan.status == "active",
            Goal.carried_count >= d.STUCK_PERIODS,
        )
    ).all()
    return [d.GoalFact(r.id, r.plan_id, r.position + 1, r.carried_count, r.progress) for r in rows]


def _undelivered(
    uow: UnitOfWork, team_id: str, since: datetime, tz: str
) -> list[d.UndeliveredFact]:
    rows = uow.session.execute(
        select(Prompt.id, Prompt.plan_id, Prompt.kind, Prompt.due_at, Prompt.error)
        .where(
            Prompt.team_id == team_id,
            Prompt.status.in_(GIVEN_UP),
            Prompt.due_at >= since,
        )
        .order_by(Prompt.due_at)
    ).all()
    people = _plan_people(uow, {r.plan_id for r in rows if r.plan_id is not None})
    return [
        d.UndeliveredFact(
            prompt_id=r.id,
            plan_id=r.plan_id,
            engineer=people.get(r.plan_id, (None, None))[0],
            manager=people.get(r.plan_id, (None, None))[1],
            kind=r.kind,
            on=local_date(r.due_at, tz),
            error=(r.error or "unknown error")[:120],
        )
        for r in rows
    ]


def _plan_people(uow: UnitOfWork, plan_ids: set[int]) -> dict[int, tuple[d.Who, d.Who]]:
    if not plan_ids:
        return {}
    rows = uow.session.execute(
        select(Plan.id, *_people_columns())
        .join(Engineer, Engineer.id == Plan.engineer_id)
        .join(Manager, Manager.id == Plan.manager_id)
        .where(Plan.id.in_(plan_ids))
    ).all()
    return {r.id: (_who(r, "engineer"), _who(r, "manager")) for r in rows}


def _unanswered(uow: UnitOfWork, team_id: str, tz: str) -> list[d.UnansweredFact]:
    rows = uow.session.execute(
        select(
            Prompt.id,
            Prompt.plan_id,
            Prompt.kind,
            Prompt.nudged_at,
            Prompt.engineer_answered_at,
            Prompt.manager_answered_at,
            Engineer.name.label("engineer_name"),
            Manager.name.label("manager_name"),
        )
        .join(Plan, Plan.id == Prompt.plan_id)
        .join(Engineer, Engineer.id == Plan.engineer_id)
        .join(Manager, Manager.id == Plan.manager_id)
        .where(
            Prompt.team_id == team_id,
            Plan.status == "active",
            Prompt.kind.in_(CHECKIN_KINDS),
            Prompt.status == "sent",
            Prompt.nudged_at.is_not(None),
            (Prompt.engineer_answered_at.is_(None)) | (Prompt.manager_answered_at.is_(None)),
        )
    ).all()
    facts = []
    for r in rows:
        waiting = tuple(
            name
            for name, answered in (
                (r.engineer_name, r.engineer_answered_at),
                (r.manager_name, r.manager_answered_at),
            )
            if answered is None
        )
        facts.append(
            d.UnansweredFact(r.id, r.plan_id, r.kind, local_date(r.nudged_at, tz), waiting)
        )
    return facts


# PIP signals that have a kind of their own in the digest (overdue checkpoints, support
# missed, no earlier conversation) are not listed again under "PIP integrity signals".
OWN_KIND_SIGNALS = frozenset(
    {"checkpoints_missed", "support_not_delivered", "no_earlier_conversation"}
)


def _pips(uow: UnitOfWork, team_id: str, today: date) -> list[d.PipFact]:
    """Every PIP under way, as numbers, dates and the signals' words: no text of the plan."""
    facts = []
    for pip in uow.pips.of_team(team_id):
        engineer = d.Who(
            pip.engineer.id,
            pip.engineer.slack_user_id,
            pip.engineer.name or pip.engineer.slack_user_id,
        )
        manager = d.Who(
            pip.manager.id, pip.manager.slack_user_id, pip.manager.name or pip.manager.slack_user_id
        )
        plain_facts = pip_facts.facts_of(pip)
        full, partly, owed = support_delivery_rate(plain_facts) if plain_facts else (0, 0, 0)
        overdue = pip_facts.overdue_checkpoints([pip], today)
        facts.append(
            d.PipFact(
                pip_id=pip.id,
                engineer=engineer,
                manager=manager,
                overdue_checkpoints=tuple(
                    (o.checkpoint.number, o.checkpoint.due_on) for o in overdue
                ),
                support_due=owed,
                support_missed=owed - full - partly,
                support_partly=partly,
                earlier_conversations=pip.earlier_iterations,
                justification=str((pip.preconditions or {}).get("justification") or ""),
                signals=tuple(
                    plain(render(f"pip/signals/{s.code}", **s.params))
                    for s in pip_facts.signals(pip, today)
                    if s.code not in OWN_KIND_SIGNALS
                ),
            )
        )
    return facts


def period_days(cadence: str) -> int:
    return 1 if cadence == "daily" else 7


def today_in(now: datetime, tz: str) -> date:
    return local_date(now, tz)
