"""What people do with the cadence's prompts: answer a check-in, mark a commitment delivered,
move a review, say they are away."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import select, update

from bot.domain.errors import Conflict, DomainError, NotFound, PermissionDenied
from bot.domain.periods import agreed_key
from bot.domain.policy import Act, allows
from bot.domain.slots import first_day, prompt_week, slot, week_calendar
from bot.services import cadence, commitments
from bot.services.common import (
    Ctx,
    actor_of,
    authorize,
    edit_later,
    plan_subject,
    today_for,
)
from bot.slack.views import prompts as views
from storage.models import Person, Plan, Prompt, ReviewEntry

Role = Literal["engineer", "manager"]
COMMITMENT_ANSWERS = commitments.STATES


@dataclass(frozen=True)
class EngineerAnswers:
    done: str
    worked: str = ""
    blockers: str = ""
    learned: str = ""
    focus: str = ""
    need: str = ""
    change: str = ""


@dataclass(frozen=True)
class ManagerAnswers:
    commitments: dict[int, commitments.Answer]  # commitment id -> its state, and why
    seeing: str = ""
    conditions: str = ""


def load_prompt(ctx: Ctx, prompt_id: int, lock: bool = False) -> Prompt:
    """A plan's prompt, before anything is known about who asks: PermissionDenied, the same
    refusal as for someone else's, when there is none. `lock`: hold the row (PostgreSQL
    FOR UPDATE) so a tick cannot claim it meanwhile."""
    prompt = ctx.uow.session.get(Prompt, prompt_id, with_for_update=lock or None)
    if prompt is None or prompt.team_id != ctx.team_id or prompt.plan is None:
        raise PermissionDenied()
    return prompt


def still_open(prompt: Prompt, what: str) -> Plan:
    """The prompt's plan, once the person may act on it: refused when it is no longer active."""
    plan = prompt.plan
    assert plan is not None
    if plan.status != "active":
        raise Conflict("cadence/errors/plan_closed", status=plan.status, what=what)
    return plan


def role_of(person: Person, plan: Plan) -> Role:
    """Which half of a check-in the policy lets `person` answer; PermissionDenied if none."""
    subject = plan_subject(plan)
    if allows(actor_of(person), Act.ANSWER_CHECKIN_AS_ENGINEER, subject):
        return "engineer"
    if allows(actor_of(person), Act.ANSWER_CHECKIN_AS_MANAGER, subject):
        return "manager"
    raise PermissionDenied()


ANSWER_AS: dict[Role, Act] = {
    "engineer": Act.ANSWER_CHECKIN_AS_ENGINEER,
    "manager": Act.ANSWER_CHECKIN_AS_MANAGER,
}


def start_checkin(
    ctx: Ctx, person: Person, prompt_id: int, as_role: Role | None = None
) -> tuple[Prompt, Role]:
    """The check-in and the half `person` answers (`as_role`, when the modal says which:
    the policy is asked about that half only)."""
    prompt = load_prompt(ctx, prompt_id)
    assert prompt.plan is not None
    if as_role is None:
        role = role_of(person, prompt.plan)
    else:
        authorize(person, ANSWER_AS[as_role], prompt.plan)
        role = as_role
    still_open(prompt, "check-in")
    if prompt.kind not in cadence.CHECKIN_KINDS:
        raise DomainError("cadence/errors/not_a_checkin")
    answered = prompt.engineer_answered_at if role == "engineer" else prompt.manager_answered_at
    if answered is not None:
        raise Conflict("cadence/errors/already_answered", when=answered)
    return prompt, role


def _claim_answer(ctx: Ctx, prompt: Prompt, role: Role) -> None:
    """Record the answer time only if nobody did yet: a second submission changes nothing."""
    column = Prompt.engineer_answered_at if role == "engineer" else Prompt.manager_answered_at
    done = ctx.uow.session.execute(
        update(Prompt)
        .where(Prompt.id == prompt.id, column.is_(None))
        .values({column: ctx.now})
        .execution_options(synchronize_session=False)
    )
    ctx.uow.session.refresh(prompt)
    if done.rowcount != 1:  # type: ignore[attr-defined]
        answered = getattr(prompt, column.key)
        raise Conflict("cadence/errors/already_answered", when=answered)


def submit_engineer(ctx: Ctx, person: Person, prompt_id: int, answers: EngineerAnswers) -> Prompt:
    prompt, _ = _start(ctx, person, prompt_id, "engineer")
    _claim_answer(ctx, prompt, "engineer")
    _log(
        ctx,
        person,
        prompt,
        "engineer",
        answers.done,
        answers.blockers,
        answers.change,
        asdict(answers),
    )
    return _saved(ctx, prompt)


def submit_manager(ctx: Ctx, person: Person, prompt_id: int, answers: ManagerAnswers) -> list[int]:
    """Saved, or the commitments whose answer still needs a reason (nothing saved then)."""
    prompt, plan = _start(ctx, person, prompt_id, "manager")
    given = {cid: a for cid, a in answers.commitments.items() if a.state in COMMITMENT_ANSWERS}
    missing = commitments.missing(ctx, plan, given)
    if missing:
        return missing
    _claim_answer(ctx, prompt, "manager")
    states, reasons = {}, {}
    for commitment in plan.commitments:
        if commitment.id in given:
            commitments.answer(ctx, plan, commitment, given[commitment.id])
        states[commitment.text] = commitment.status
        if commitment.status != "delivered" and commitment.reason:
            reasons[commitment.text] = commitment.reason
    summary = "; ".join(
        f"{text}: {state}" + (f" ({reasons[text]})" if text in reasons else "")
        for text, state in states.items()
    )
    extra = {
        "commitments": states,
        "reasons": reasons,
        "seeing": answers.seeing,
        "conditions": answers.conditions,
    }
    _log(ctx, person, prompt, "manager", summary, "", answers.seeing, extra)
    _saved(ctx, prompt)
    return []


def _start(ctx: Ctx, person: Person, prompt_id: int, role: Role) -> tuple[Prompt, Plan]:
    prompt, _ = start_checkin(ctx, person, prompt_id, role)
    assert prompt.plan is not None
    return prompt, prompt.plan


def _log(
    ctx: Ctx,
    person: Person,
    prompt: Prompt,
    role: Role,
    progress: str,
    blockers: str,
    adjustments: str,
    answers: Mapping[str, object],
) -> None:
    ctx.uow.session.add(
        ReviewEntry(
            team_id=ctx.team_id,
            plan=prompt.plan,
            kind="checkin",
            author=person,
            prompt_id=prompt.id,
            occurred_on=today_for(person, ctx),
            created_at=ctx.now,
            progress=progress,
            blockers=blockers,
            adjustments=adjustments,
            answers={"role": role, "prompt": prompt.kind, **answers},
        )
    )


def _saved(ctx: Ctx, prompt: Prompt) -> Prompt:
    message = refreshed_message(ctx, prompt)  # built from what is about to be committed
    channel, ts = prompt.channel, prompt.ts
    ctx.uow.commit()
    if message is not None and channel and ts:  # chat.update can be slow: after the answer
        edit_later(ctx, channel, ts, message.text, message.blocks)
    return prompt


def refreshed_message(ctx: Ctx, prompt: Prompt) -> views.Message | None:
    """The posted prompt as it shows now: who has answered and who is still to."""
    if prompt.channel is None or prompt.ts is None or prompt.plan is None:
        return None
    late = cadence.late_on(prompt, ctx.settings, prompt.sent_at or ctx.now)
    return views.plan_prompt(prompt, prompt.plan, late_on=late)


# --- commitment reminders ----------------------------------------------------


def _reminder(ctx: Ctx, person: Person, prompt_id: int) -> Prompt:
    prompt = load_prompt(ctx, prompt_id)
    assert prompt.plan is not None
    authorize(person, Act.MARK_COMMITMENT, prompt.plan)
    still_open(prompt, "reminder")
    if prompt.kind != cadence.REMINDER or prompt.commitment is None:
        raise NotFound(what="reminder")
    return prompt


def mark_delivered(ctx: Ctx, person: Person, prompt_id: int) -> Prompt:
    """Delivered, from the reminder. Pressing it twice records it once."""
    prompt = _reminder(ctx, person, prompt_id)
    commitment, plan = prompt.commitment, prompt.plan
    assert commitment is not None and plan is not None
    if commitment.status == "pending":
        commitments.set_status(ctx, plan, commitment, "delivered")
        ctx.uow.commit()
    when = commitment.delivered_at or ctx.now
    if commitment.status == "delivered":
        _show_reminder(ctx, prompt, "delivered", (person.name, when.date()))
    else:
        _show_reminder(ctx, prompt, "withdrawn", (commitment.reason,))
    return prompt


def start_reminder_answer(ctx: Ctx, person: Person, prompt_id: int) -> Prompt:
    """The reminder a "not yet" or "no longer needed" modal is about: still open."""
    prompt = _reminder(ctx, person, prompt_id)
    assert prompt.commitment is not None
    if prompt.commitment.status != "pending":
        raise Conflict("cadence/errors/not_pending", status=prompt.commitment.status)
    return prompt


def remind_next_week(ctx: Ctx, person: Person, prompt_id: int, reason: str) -> date | None:
    """Not yet, and why: asked again a week from today while the plan's period lasts (the
    day it will be, or None when the period ends first)."""
    prompt = start_reminder_answer(ctx, person, prompt_id)
    commitment, plan = prompt.commitment, prompt.plan
    assert commitment is not None and plan is not None
    commitments.answer(ctx, plan, commitment, commitments.Answer("pending", reason))
    mine = [
        r
        for r in cadence.prompts_of(ctx.uow, plan)
        if r.kind == cadence.REMINDER and r.commitment_id == commitment.id
    ]
    upcoming = [r for r in mine if r.status == "pending"]
    on = today_for(person, ctx) + timedelta(days=7)
    if on > plan.period_end:  # reminders stop with the plan's period
        for row in upcoming:
            row.status, row.error = "cancelled", "the plan's period is over by then"
        ctx.uow.commit()
        _show_reminder(ctx, prompt, "not_yet", (None, commitment.reason))
        return None
    if not upcoming:
        number = max(r.occurrence for r in mine) + 1  # later ones may have ended, unsent
        upcoming = [
            cadence.add_reminder(ctx.uow, plan, commitment, number, on, ctx.settings, ctx.now)
        ]
    for row in upcoming:
        row.planned_on = on
        row.due_at = cadence.due_for(row, ctx.settings)
        cadence.start_afresh(row)
    ctx.uow.commit()
    _show_reminder(ctx, prompt, "not_yet", (on, commitment.reason))
    return on


def withdraw(ctx: Ctx, person: Person, prompt_id: int, reason: str) -> Prompt:
    """No longer needed, and why: its reminders stop."""
    prompt = start_reminder_answer(ctx, person, prompt_id)
    commitment, plan = prompt.commitment, prompt.plan
    assert commitment is not None and plan is not None
    commitments.answer(ctx, plan, commitment, commitments.Answer("withdrawn", reason))
    ctx.uow.commit()
    _show_reminder(ctx, prompt, "withdrawn", (commitment.reason,))
    return prompt


def _show_reminder(
    ctx: Ctx, prompt: Prompt, state: views.ReminderState, args: tuple[object, ...]
) -> None:
    """Show on the reminder what was answered, once Slack has the answer."""
    if prompt.channel is None or prompt.ts is None:
        return
    assert prompt.commitment is not None and prompt.plan is not None
    late = cadence.late_on(prompt, ctx.settings, prompt.sent_at or ctx.now)
    message = views.reminder(
        prompt, prompt.commitment, prompt.plan, late_on=late, state=state, note_args=args
    )
    edit_later(ctx, prompt.channel, prompt.ts, message.text, message.blocks)


# --- moving a review, being away -----------------------------------------------


def start_reschedule(ctx: Ctx, person: Person, prompt_id: int, lock: bool = False) -> Prompt:
    prompt = load_prompt(ctx, prompt_id, lock=lock)
    assert prompt.plan is not None
    authorize(person, Act.RESCHEDULE, prompt.plan)
    still_open(prompt, "review")
    if prompt.kind not in cadence.REVIEW_KINDS or prompt.status not in ("pending", "sent"):
        raise Conflict("cadence/errors/not_movable", status=prompt.status)
    return prompt


def reschedule(ctx: Ctx, person: Person, prompt_id: int, on: date) -> Prompt:
    """Move one review to another day; a prompt already posted is posted again that day."""
    prompt = start_reschedule(ctx, person, prompt_id, lock=True)
    plan = prompt.plan
    assert plan is not None
    today = today_for(person, ctx)
    if on < today:
        raise DomainError("cadence/errors/date_in_past", day=on)
    if on > plan.period_end:
        raise DomainError("cadence/errors/after_period", end=plan.period_end)
    _refuse_a_second_prompt_that_week(ctx, prompt, on)
    moved = views.plan_prompt(prompt, plan, moved=(person.name, on))
    old = (prompt.channel, prompt.ts)
    prompt.planned_on, prompt.status, prompt.error = on, "pending", None
    prompt.ts = prompt.sent_at = prompt.nudged_at = prompt.deferred_from = None
    cadence.start_afresh(prompt)
    cadence.place(prompt, ctx.settings, ctx.now)
    for nudge in ctx.uow.session.scalars(select(Prompt).where(Prompt.parent_id == prompt.id)):
        if nudge.status in cadence.OPEN:
            nudge.status, nudge.error = "cancelled", "the review was moved"
    key = agreed_key(prompt.kind, prompt.occurrence)
    plan.review_dates = {**(plan.review_dates or {}), key: on.isoformat()}
    ctx.uow.commit()
    channel, ts = old
    if channel and ts:
        edit_later(ctx, channel, ts, moved.text, moved.blocks)
    return prompt


def _refuse_a_second_prompt_that_week(ctx: Ctx, prompt: Prompt, on: date) -> None:
    assert prompt.plan is not None
    people = cadence.recipients(prompt, ctx.settings)
    target = prompt_week(
        slot(on, people, ctx.settings.prompt_hour), people[0].tz, week_calendar(people)
    )
    for other in cadence.prompts_of(ctx.uow, prompt.plan):
        live = other.status in (*cadence.OPEN, "sent")
        if other.id == prompt.id or other.kind not in cadence.REVIEW_KINDS or not live:
            continue
        if cadence.week_of(other, ctx.settings) == target:
            name = views.prompt_title(other, prompt.plan)
            raise DomainError("cadence/errors/same_week", other=name, day=other.planned_on)


def away_from(ctx: Ctx, person: Person, prompt_id: int) -> Prompt:
    """The prompt an away modal was opened from, if it is one of `person`'s: its channel is
    where the confirmation goes. Anyone else's (or a made-up id) is refused before anything
    is saved (issue 9, item 9)."""
    prompt = load_prompt(ctx, prompt_id)
    assert prompt.plan is not None
    authorize(person, Act.RESCHEDULE, prompt.plan)
    return prompt


def set_away(ctx: Ctx, person: Person, until: date) -> date:
    """Hold this person's pending prompts and reminders until the first working day back."""
    today = today_for(person, ctx)
    if until < today:
        raise DomainError("cadence/errors/date_in_past", day=until)
    person.away_until = until
    cadence.reslot_person(ctx.uow, person, ctx.settings, ctx.now)
    ctx.uow.commit()
    return first_day(until, [cadence.recipient(person, ctx.settings, until)])
