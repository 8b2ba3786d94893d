"""What App Home shows a person: their own plan, and their team's if they manage anyone."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.services.common import Ctx, today_for
from bot.services.reviews import next_review
from bot.slack.gateway import SlackFailure
from bot.slack.views.concerns_home import ConcernLine
from bot.slack.views.home import (
    CommitmentLine,
    GoalLine,
    HomeData,
    PlanSummary,
    ReportLine,
    build_home_view,
)
from storage.models import Person, Plan

log = logging.getLogger(__name__)


def _reviews_held(plan: Plan) -> set[date]:
    return {r.occurred_on for r in plan.reviews}


def overdue_reviews(plan: Plan, today: date) -> int:
    """Agreed review dates (weeks 4 and 8) that passed with no review entry on or after them."""
    if plan.status != "active":
        return 0
    held = sorted(_reviews_held(plan))
    count = 0
    for week in ("4", "8"):
        if week not in plan.review_dates:
            continue
        on = date.fromisoformat(plan.review_dates[week])
        if on < today and not any(h >= on for h in held):
            count += 1
    return count


def _summary(plan: Plan, today: date) -> PlanSummary:
    return PlanSummary(
        plan_id=plan.id,
        status=plan.status,
        period_start=plan.period_start,
        period_end=plan.period_end,
        manager_name=plan.manager.name,
        goals=[GoalLine(g.outcome, g.progress, g.target_date, g.carried_count) for g in plan.goals],
        commitments=[
            CommitmentLine(c.id, c.text, c.due_date, c.status, plan.engineer.name, c.reason)
            for c in plan.commitments
        ],
        next_review=next_review(plan, today) if plan.status == "active" else None,
        last_review=max(_reviews_held(plan), default=None),
    )


def home_data(ctx: Ctx, person: Person, page: int = 0) -> HomeData:
    today = today_for(person, ctx)
    own = ctx.uow.plans.current_for(person)
    reports = ctx.uow.people.reports_of(person)
    plans = {p.engineer_id: p for p in _open_plans_of(ctx, [r.id for r in reports])}
    lines = [_report_line(r, plans.get(r.id), today) for r in reports]
    undelivered = [
        CommitmentLine(c.id, c.text, c.due_date, c.status, p.engineer.name, c.reason)
        for p in plans.values()
        if p.manager_id == person.id and p.status == "active"
        for c in p.commitments
        if c.status == "pending"
    ]
    concerns = [
        ConcernLine(c.id, c.engineer.name, len(c.conversations), c.conversations[-1].follow_up_on)
        for c in ctx.uow.concerns.open_of(person)
    ]
    return HomeData(
        today=today,
        name=person.name,
        own_plan=_summary(own, today) if own else None,
        is_manager=bool(reports),
        reports=lines,
        undelivered=undelivered,
        page=page,
        concerns=concerns,
    )


def _open_plans_of(ctx: Ctx, engineer_ids: list[int]) -> list[Plan]:
    if not engineer_ids:
        return []
    return list(
        ctx.uow.session.scalars(
            select(Plan)
            .where(Plan.engineer_id.in_(engineer_ids), Plan.status != "closed")
            .order_by(Plan.id)
            .options(
                selectinload(Plan.goals),
                selectinload(Plan.commitments),
                selectinload(Plan.reviews),
                selectinload(Plan.engineer),
            )
        )
    )


def _report_line(report: Person, plan: Plan | None, today: date) -> ReportLine:
    if plan is None:
        return ReportLine(report.name, report.slack_user_id, None, None, 0, None, 0)
    return ReportLine(
        engineer_name=report.name,
        engineer_user_id=report.slack_user_id,
        plan_status=plan.status,
        next_review=next_review(plan, today) if plan.status == "active" else None,
        overdue_reviews=overdue_reviews(plan, today),
        last_review=max(_reviews_held(plan), default=None),
        goals_at_risk=sum(1 for g in plan.goals if g.progress == "at_risk"),
    )


def publish_home(ctx: Ctx, person: Person, page: int = 0) -> None:
    view = build_home_view(home_data(ctx, person, page))
    try:
        ctx.gateway.publish_home(person.slack_user_id, view)
    except (
        SlackFailure
    ) as exc:  # like any message: what changed is saved, the tab shows it next time
        log.warning("could not publish App Home for %s: %s", person.slack_user_id, exc.error)
