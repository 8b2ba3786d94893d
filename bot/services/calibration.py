"""The calibration export read from the database: each engineer's plan of a quarter."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from bot.domain import calibration as c
from bot.domain.periods import parse_agreed
from storage.models import Person, Plan
from storage.unit_of_work import UnitOfWork

SHOWN_STATES = ("active", "closed", "awaiting_manager", "awaiting_engineer", "draft")


def engineer_facts(
    uow: UnitOfWork, start: date, end: date, team_id: str | None = None
) -> list[c.EngineerFacts]:
    """Everyone with a plan that starts in [start, end], and everyone who has a manager
    (a report with no plan that quarter is a row too: calibration should see it)."""
    query = (
        select(Plan)
        .where(Plan.period_start >= start, Plan.period_start <= end)
        .where(Plan.status.in_(SHOWN_STATES))
        .options(
            selectinload(Plan.goals),
            selectinload(Plan.commitments),
            selectinload(Plan.reviews),
            selectinload(Plan.engineer),
            selectinload(Plan.manager),
        )
        .order_by(Plan.period_start, Plan.id)
    )
    if team_id is not None:
        query = query.where(Plan.team_id == team_id)
    latest: dict[int, Plan] = {}
    for found in uow.session.scalars(query):
        latest[found.engineer_id] = found  # the last one of the quarter wins
    people = select(Person).where(
        Person.is_bot.is_(False),
        or_(
            and_(Person.manager_id.is_not(None), Person.deleted.is_(False)),
            Person.id.in_(list(latest) or [0]),
        ),
    )
    if team_id is not None:
        people = people.where(Person.team_id == team_id)
    result = []
    for person in uow.session.scalars(people.options(selectinload(Person.manager))):
        result.append(_facts(person, latest.get(person.id)))
    return result


def _facts(person: Person, plan: Plan | None) -> c.EngineerFacts:
    manager = plan.manager if plan else person.manager
    base = c.EngineerFacts(
        engineer=person.name or person.slack_user_id,
        engineer_slack_id=person.slack_user_id,
        manager=(manager.name or manager.slack_user_id) if manager else "",
        manager_slack_id=manager.slack_user_id if manager else "",
    )
    if plan is None:
        return base
    agreed = parse_agreed(plan.review_dates or {})
    return replace(
        base,
        period_start=plan.period_start,
        period_end=plan.period_end,
        plan_status=plan.status,
        goals=[
            c.GoalFacts(g.outcome, g.progress, g.carried_count, g.end_state) for g in plan.goals
        ],
        review_dates=sorted(on for key, on in agreed.items() if key != "1"),
        reviews_held=len(plan.reviews),
        commitments_made=len(plan.commitments),
        commitments_delivered=sum(1 for x in plan.commitments if x.status == "delivered"),
    )


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str | int) -> str | int:
    """Text a person typed that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(
    uow: UnitOfWork, start: date, end: date, today: date, team: str | None = None
) -> tuple[str, int]:
    """The CSV, and how many engineers it has a row for."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(c.COLUMNS), lineterminator="\n")
    writer.writeheader()
    rows = c.rows(engineer_facts(uow, start, end, team), today)
    writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue(), len(rows)
