"""Week 1 comes first: the goal-setting conversation prompt reaches the pair when the draft goes
to the manager (before agreement, so it is never missed because agreement came later); a draft
left waiting for the manager nudges them once; and when a plan ends, the pair gets next
quarter's week-1 prompt on the new period's first working day."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.cadence import Calendar, add_working_days, local_date, next_working_day
from bot.domain.periods import parse_agreed
from bot.services import cadence
from bot.services.common import Ctx, today_for
from bot.services.outbox.queue import enqueue
from storage.models import Plan, Prompt

GOAL_SETTING = "goal_setting"
DRAFT_WAITING = "draft_waiting"
NEXT_QUARTER = "next_quarter"
WAITING_DAYS = 3  # working days a draft may wait for the manager before they are nudged


def pair_calendar(ctx: Ctx, plan: Plan, around: date) -> Calendar:
    engineer = cadence.calendar_of(plan.engineer, ctx.settings, around)
    return engineer.joined(cadence.calendar_of(plan.manager, ctx.settings, around))


def _row(ctx: Ctx, key: str) -> Prompt | None:
    return ctx.uow.session.query(Prompt).filter_by(key=key).one_or_none()


def draft_sent(ctx: Ctx, plan: Plan) -> None:
    """The draft went to the manager: the pair's goal-setting prompt on the draft's goal-setting
    date (today, for this quarter's plan), and the manager's nudge should it wait."""
    ctx.uow.session.flush()  # the plan's id names the rows
    today = today_for(plan.engineer, ctx)
    _goal_setting(ctx, plan, today)
    calendar = pair_calendar(ctx, plan, today)
    enqueue(
        ctx.uow,
        DRAFT_WAITING,
        key=f"plan:{plan.id}:{DRAFT_WAITING}",  # once per plan: "nudges the manager once"
        team_id=plan.team_id,
        now=ctx.now,
        settings=ctx.settings,
        on=add_working_days(today, WAITING_DAYS, calendar),
        plan=plan,
        recipient=plan.manager,
    )


def _goal_setting(ctx: Ctx, plan: Plan, today: date) -> None:
    on = max(parse_agreed(plan.review_dates or {}).get("1", today), today)
    key = cadence.plan_key(plan, GOAL_SETTING, 1)
    row = _row(ctx, key)
    if row is not None:
        if row.status == "pending" and row.planned_on != on:  # the draft's dates changed
            row.planned_on = on
            cadence.start_afresh(row)
            cadence.place(row, ctx.settings, ctx.now)
        return
    held = _held_by_week_one(ctx, plan, today)
    if held is not None:
        ctx.uow.session.add(_already_prompted(plan, key, on, held, ctx))
        return
    enqueue(
        ctx.uow,
        GOAL_SETTING,
        key=key,
        team_id=plan.team_id,
        now=ctx.now,
        settings=ctx.settings,
        on=on,
        plan=plan,
    )


def _held_by_week_one(ctx: Ctx, plan: Plan, today: date) -> Prompt | None:
    """The previous plan's week-1 prompt for this quarter, if the pair got it this very week:
    the conversation was prompted already (one prompt a week)."""
    if plan.previous_plan_id is None:
        return None
    row = _row(ctx, f"plan:{plan.previous_plan_id}:{NEXT_QUARTER}")
    if row is None or row.status != "sent" or row.sent_at is None:
        return None
    calendar = pair_calendar(ctx, plan, today)
    sent_on = local_date(row.sent_at, cadence.zone_of(plan.engineer, ctx.settings))
    return row if calendar.week_of(sent_on) == calendar.week_of(today) else None


def _already_prompted(plan: Plan, key: str, on: date, held: Prompt, ctx: Ctx) -> Prompt:
    return Prompt(
        team_id=plan.team_id,
        key=key,
        plan=plan,
        kind=GOAL_SETTING,
        occurrence=1,
        planned_on=on,
        due_at=held.due_at,
        status="sent",
        sent_at=held.sent_at,
        channel=held.channel,
        ts=held.ts,
        attempts=0,
        created_at=ctx.now,
        error="prompted this week by next quarter's week-1 message",
    )


def next_quarter_starts(ctx: Ctx, plan: Plan) -> date:
    """The first day both work in the period after the plan's."""
    after = plan.period_end + timedelta(days=1)
    return next_working_day(after, pair_calendar(ctx, plan, after))


def plan_ends(ctx: Ctx, plan: Plan) -> Prompt:
    """When the plan ends (its reflection is written, or its period is over), the pair gets next
    quarter's week-1 prompt on the new period's first working day. Enqueued when the plan
    starts, so a period that simply runs out gets it too; idempotent."""
    ctx.uow.session.flush()
    on = max(next_quarter_starts(ctx, plan), today_for(plan.engineer, ctx))
    return enqueue(
        ctx.uow,
        NEXT_QUARTER,
        key=f"plan:{plan.id}:{NEXT_QUARTER}",
        team_id=plan.team_id,
        now=ctx.now,
        settings=ctx.settings,
        on=on,
        plan=plan,
    )
