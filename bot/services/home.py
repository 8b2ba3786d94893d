"""What App Home shows a person: their own plan, and their team's if they manage anyone."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.domain.cadence import local_date
from bot.domain.overdue import (
    ReviewPrompt,
    days_without_review,
    is_overdue,
    working_days_between,
)
from bot.services.cadence import calendar_of, zone_of
from bot.services.common import Ctx, today_for
from bot.services.hr_home import hr_home
from bot.services.pip_home import pip_lines
from bot.services.reviews import next_review
from bot.services.roster_home import roster_home
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
from storage.models import Person, Plan, Prompt

log = logging.getLogger(__name__)

NUDGED_KINDS = ("progress_check", "monthly_review", "reflection")


def _reviews_held(plan: Plan) -> set[date]:
    return {r.occurred_on for r in plan.reviews}


def overdue_reviews(plan: Plan, nudged: list[Prompt]) -> int:
    """Review prompts of any kind (progress checks, monthly reviews, the reflection) still
    unanswered after their nudge (bot/domain/overdue.py)."""
    held = [r.occurred_on for r in plan.reviews if r.kind == "review"]
    return sum(
        is_overdue(
            ReviewPrompt(
                p.kind,
                p.planned_on,
                p.nudged_at is not None,
                p.engineer_answered_at is not None,
                p.manager_answered_at is not None,
            ),
            plan.status == "active",
            held,
        )
        for p in nudged
    )


def _nudged_prompts(ctx: Ctx, plan_ids: list[int]) -> dict[int, list[Prompt]]:
    """The review prompts of these plans that got their nudge, by plan (one query)."""
    found: dict[int, list[Prompt]] = {pid: [] for pid in plan_ids}
    if not plan_ids:
        return found
    rows = ctx.uow.session.scalars(
        select(Prompt).where(
            Prompt.plan_id.in_(plan_ids),
            Prompt.kind.in_(NUDGED_KINDS),
            Prompt.status == "sent",
            Prompt.nudged_at.is_not(None),
        )
    )
    for row in rows:
        found[row.plan_id].append(row)  # type: ignore[index]
    return found


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
    nudged = _nudged_prompts(ctx, [p.id for p in plans.values()])
    closed = _last_closed_plans(ctx, [r.id for r in reports if r.id not in plans])
    lines = [
        _report_line(ctx, r, plans.get(r.id), today, nudged.get(plans[r.id].id, []))
        if r.id in plans
        else _report_line(ctx, r, closed.get(r.id), today, [])
        for r in reports
    ]
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
        hr=hr_home(ctx, person),
        roster=roster_home(ctx, person, bool(reports)),
        today=today,
        name=person.name,
        own_plan=_summary(own, today) if own else None,
        is_manager=bool(reports),
        reports=lines,
        undelivered=undelivered,
        page=page,
        concerns=concerns,
        pips=pip_lines(ctx, person),
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


def _last_closed_plans(ctx: Ctx, engineer_ids: list[int]) -> dict[int, Plan]:
    """The latest closed plan of each engineer without an open one: their row says the plan
    closed and when they were last reviewed, rather than "no plan, never reviewed"."""
    if not engineer_ids:
        return {}
    found = ctx.uow.session.scalars(
        select(Plan)
        .where(Plan.engineer_id.in_(engineer_ids), Plan.status == "closed")
        .order_by(Plan.id)
        .options(selectinload(Plan.reviews), selectinload(Plan.goals))
    )
    return {plan.engineer_id: plan for plan in found}


def _report_line(
    ctx: Ctx, report: Person, plan: Plan | None, today: date, nudged: list[Prompt]
) -> ReportLine:
    if plan is None:
        return ReportLine(report.name, report.slack_user_id, None, None, 0, None, 0)
    last = max(_reviews_held(plan), default=None)
    started = local_date(plan.activated_at, ctx.settings.default_tz) if plan.activated_at else None
    since, waited = _waiting(ctx, plan, today)
    return ReportLine(
        engineer_name=report.name,
        engineer_user_id=report.slack_user_id,
        plan_status=plan.status,
        next_review=next_review(plan, today) if plan.status == "active" else None,
        overdue_reviews=overdue_reviews(plan, nudged),
        last_review=last,
        goals_at_risk=sum(1 for g in plan.goals if g.progress == "at_risk"),
        days_unreviewed=days_without_review(last, started, today) if plan.status == "active" else 0,
        waiting_since=since,
        waiting_days=waited,
    )


def _waiting(ctx: Ctx, plan: Plan, today: date) -> tuple[date | None, int]:
    """Since when a draft has waited for the manager, and for how many working days."""
    if plan.status != "awaiting_manager" or plan.submitted_at is None:
        return None, 0
    since = local_date(plan.submitted_at, zone_of(plan.manager, ctx.settings))
    calendar = calendar_of(plan.engineer, ctx.settings, today).joined(
        calendar_of(plan.manager, ctx.settings, today)
    )
    return since, working_days_between(since, today, calendar)


def publish_home(ctx: Ctx, person: Person, page: int = 0) -> None:
    view = build_home_view(home_data(ctx, person, page))
    try:
        ctx.gateway.publish_home(person.slack_user_id, view)
    except (
        SlackFailure
    ) as exc:  # like any message: what changed is saved, the tab shows it next time
        log.warning("could not publish App Home for %s: %s", person.slack_user_id, exc.error)
