"""The cadence's kinds: a plan's review prompts in the pair's DM, commitment reminders in the
manager's DM, and nudges in the thread of an unanswered check-in. All in working hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config import Settings
from bot.domain.cadence import is_window_passed, local_date
from bot.domain.slots import prompt_week, slot, week_calendar
from bot.services import cadence
from bot.services.outbox.registry import Close, Decision, Defer, Kind, Rendered, register
from bot.slack.views import prompts as views
from storage.models import Person, Prompt
from storage.unit_of_work import UnitOfWork

# The goal-setting conversation is how a plan gets agreed: its prompt goes while the draft is
# with the manager or back with the engineer, as well as once the plan is active.
AGREEING = ("awaiting_manager", "awaiting_engineer")


def _plan_check(prompt: Prompt) -> Decision | None:
    plan = prompt.plan
    live = ("active", *AGREEING) if prompt.kind == "goal_setting" else ("active",)
    if plan is None or plan.status not in live:
        return Close("cancelled", f"the plan is {plan.status if plan else 'gone'}")
    if plan.paused_reason:
        return Close("paused", plan.paused_reason)
    return None


def _review_check(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Decision | None:
    decided = _plan_check(prompt)
    if decided is not None:
        return decided
    siblings = [
        r
        for r in cadence.prompts_of(uow, prompt.plan)  # type: ignore[arg-type]
        if r.kind in cadence.REVIEW_KINDS and r.id != prompt.id
    ]
    later = sorted(
        (
            r
            for r in siblings
            if r.kind == prompt.kind
            and r.planned_on > prompt.planned_on
            and r.status in (*cadence.OPEN, "sent")
        ),
        key=lambda r: r.due_at,
    )
    if later and is_window_passed(prompt.due_at, later[0].due_at, now):
        return Close("missed", f"the next {prompt.kind.replace('_', ' ')} was already due")
    if _week_taken(prompt, siblings, now, settings):
        return Defer(_next_week(prompt, now, settings), "one prompt a week: moved to the next week")
    return None


def _week_taken(prompt: Prompt, siblings: list[Prompt], now: datetime, settings: Settings) -> bool:
    """The pair already had a review prompt for this plan this week, or another kind that
    ranks ahead of this one is due now (another tick may be sending it)."""
    people = cadence.recipients(prompt, settings)
    tz, week = people[0].tz, week_calendar(people)  # the pair's working week, not ISO's
    this_week = prompt_week(now, tz, week)
    mine = (cadence.RANK[prompt.kind], prompt.due_at, prompt.id)
    for other in siblings:
        sent = other.status == "sent" and other.sent_at
        if sent and prompt_week(other.sent_at, tz, week) == this_week:  # type: ignore[arg-type]
            return True
        due = other.status in cadence.OPEN and other.due_at <= now and other.kind != prompt.kind
        if due and (cadence.RANK[other.kind], other.due_at, other.id) < mine:
            return True
    return False


def _next_week(prompt: Prompt, now: datetime, settings: Settings) -> datetime:
    """The first good time in the recipients' next working week."""
    audience = cadence.recipients(prompt, settings)
    today = local_date(now, audience[0].tz)
    next_week = week_calendar(audience).week_of(today) + timedelta(days=7)
    return slot(next_week, audience, settings.prompt_hour)


def _render_review(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    assert prompt.plan is not None
    return views.plan_prompt(prompt, prompt.plan, late_on=cadence.late_on(prompt, settings, now))


def _after_review(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> None:
    if prompt.kind in cadence.NUDGED_KINDS:  # check-ins, and the reflection (issue 7)
        cadence.add_nudge(uow, prompt, settings, now)


for _name in cadence.REVIEW_KINDS:
    register(
        Kind(
            _name,
            to="pair",
            render=_render_review,
            working_hours=True,
            check=_review_check,
            after_sent=_after_review,
        )
    )


# --- commitment reminders ------------------------------------------------------------------


def _manager(prompt: Prompt) -> Person | None:
    return prompt.plan.manager if prompt.plan is not None else None


def _reminder_check(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Decision | None:
    decided = _plan_check(prompt)
    if decided is not None:
        return decided
    commitment = prompt.commitment
    if commitment is None or commitment.status != "pending":
        return Close(
            "cancelled", f"the commitment is {commitment.status if commitment else 'gone'}"
        )
    plan = prompt.plan
    assert plan is not None
    if local_date(now, cadence.zone_of(plan.manager, settings)) > plan.period_end:
        return Close("cancelled", "the plan's period is over")
    return None


def _render_reminder(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Rendered:
    assert prompt.plan is not None and prompt.commitment is not None
    late = cadence.late_on(prompt, settings, now)
    return views.reminder(prompt, prompt.commitment, prompt.plan, late_on=late)


def _next_reminder(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> None:
    """Next week's reminder, however this one ended, while the commitment is still open and
    no later reminder is already waiting (a "not yet" may have set one)."""
    plan, commitment = prompt.plan, prompt.commitment
    if plan is None or commitment is None or commitment.status != "pending":
        return
    rows = cadence.prompts_of(uow, plan)
    waiting = [
        r
        for r in rows
        if r.kind == cadence.REMINDER
        and r.commitment_id == commitment.id
        and r.status in cadence.OPEN
        and r.id != prompt.id
    ]
    if not waiting:
        cadence.schedule_commitment(uow, plan, commitment, settings, now, rows)


register(
    Kind(
        cadence.REMINDER,
        to="dm",
        recipient=_manager,
        render=_render_reminder,
        working_hours=True,
        check=_reminder_check,
        after_sent=_next_reminder,
        after_given_up=_next_reminder,
    )
)


# --- nudges ------------------------------------------------------------------------------------


def _pair(prompt: Prompt) -> list[Person]:
    plan = prompt.plan
    return [plan.engineer, plan.manager] if plan is not None else []


def _nudge_check(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Decision | None:
    decided = _plan_check(prompt)
    if decided is not None:
        return decided
    parent = prompt.parent
    if parent is None or parent.status != "sent":
        return Close("cancelled", "the check-in is no longer open")
    if parent.engineer_answered_at and parent.manager_answered_at:
        return Close("cancelled", "both have answered")
    return None


def _render_nudge(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    plan, parent = prompt.plan, prompt.parent
    assert plan is not None and parent is not None
    if parent.kind == "reflection":  # the engineer writes it; the manager adds their view
        waiting = [plan.engineer.name]
        waiting += [] if plan.reflection_manager else [plan.manager.name]
        return views.nudge(parent, plan, waiting)
    waiting = [
        person.name
        for person, at in (
            (plan.engineer, parent.engineer_answered_at),
            (plan.manager, parent.manager_answered_at),
        )
        if at is None
    ]
    return views.nudge(parent, plan, waiting)


def _after_nudge(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> None:
    if prompt.parent is not None:
        prompt.parent.nudged_at = now


register(
    Kind(
        cadence.NUDGE,
        to="thread",
        people=_pair,
        render=_render_nudge,
        working_hours=True,
        check=_nudge_check,
        after_sent=_after_nudge,
    )
)
