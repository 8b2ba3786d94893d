"""The calibration export read from the database: each engineer's plan of a quarter."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Row, case, func, select

from bot.domain import calibration as c
from bot.domain.periods import parse_agreed
from storage.models import Commitment, Goal, Person, Plan, ReviewEntry
from storage.unit_of_work import UnitOfWork

SHOWN_STATES = ("active", "closed", "awaiting_manager", "awaiting_engineer", "draft")


def engineer_facts(
    uow: UnitOfWork, start: date, end: date, team_id: str | None = None
) -> list[c.EngineerFacts]:
    """Everyone with a plan that starts in [start, end], and everyone who has a manager
    (a report with no plan that quarter is a row too: calibration should see it). Read as
    columns in five set-based queries, whatever the size of the organisation."""
    in_quarter = [
        Plan.period_start >= start,
        Plan.period_start <= end,
        Plan.status.in_(SHOWN_STATES),
        *([Plan.team_id == team_id] if team_id is not None else []),
    ]
    session = uow.session
    latest: dict[int, Row[Any]] = {}
    for row in session.execute(
        select(
            Plan.id,
            Plan.engineer_id,
            Plan.manager_id,
            Plan.period_start,
            Plan.period_end,
            Plan.status,
            Plan.review_dates,
        )
        .where(*in_quarter)
        .order_by(Plan.period_start, Plan.id)
    ):
        latest[row.engineer_id] = row  # the last one of the quarter wins
    goals: dict[int, list[c.GoalFacts]] = defaultdict(list)
    for g in session.execute(
        select(Goal.plan_id, Goal.outcome, Goal.progress, Goal.carried_count, Goal.end_state)
        .join(Plan, Plan.id == Goal.plan_id)
        .where(*in_quarter)
        .order_by(Goal.plan_id, Goal.position)
    ):
        goals[g.plan_id].append(c.GoalFacts(g.outcome, g.progress, g.carried_count, g.end_state))
    reviews = dict(
        session.execute(
            select(ReviewEntry.plan_id, func.count())
            .join(Plan, Plan.id == ReviewEntry.plan_id)
            .where(*in_quarter)
            .group_by(ReviewEntry.plan_id)
        ).all()
    )
    delivered = case((Commitment.status == "delivered", 1), else_=0)
    commitments = {
        r.plan_id: (r.made, r.delivered or 0)
        for r in session.execute(
            select(
                Commitment.plan_id,
                func.count().label("made"),
                func.sum(delivered).label("delivered"),
            )
            .join(Plan, Plan.id == Commitment.plan_id)
            .where(*in_quarter)
            .group_by(Commitment.plan_id)
        )
    }
    people_query = select(
        Person.id,
        Person.name,
        Person.slack_user_id,
        Person.manager_id,
        Person.deleted,
        Person.is_bot,
    )
    if team_id is not None:
        people_query = people_query.where(Person.team_id == team_id)
    people = {p.id: p for p in session.execute(people_query)}
    result = []
    for person in people.values():
        plan = latest.get(person.id)
        if person.is_bot or (plan is None and (person.manager_id is None or person.deleted)):
            continue
        manager = people.get(plan.manager_id if plan is not None else person.manager_id)
        base = c.EngineerFacts(
            engineer=person.name or person.slack_user_id,
            engineer_slack_id=person.slack_user_id,
            manager=(manager.name or manager.slack_user_id) if manager else "",
            manager_slack_id=manager.slack_user_id if manager else "",
        )
        if plan is None:
            result.append(base)
            continue
        made, done = commitments.get(plan.id, (0, 0))
        agreed = parse_agreed(plan.review_dates or {})
        result.append(
            replace(
                base,
                period_start=plan.period_start,
                period_end=plan.period_end,
                plan_status=plan.status,
                goals=goals.get(plan.id, []),
                review_dates=sorted(on for key, on in agreed.items() if key != "1"),
                reviews_held=reviews.get(plan.id, 0),
                commitments_made=made,
                commitments_delivered=done,
            )
        )
    return result


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
