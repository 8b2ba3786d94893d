"""Reviews of an active plan, the end-of-period reflection, and commitments delivered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.domain import periods
from bot.domain.errors import Conflict, NotFound, PermissionDenied
from bot.domain.plans import END_STATES, GOAL_PROGRESS, to_carry
from bot.domain.policy import Act, allows
from bot.services import commitments, notify, week_one
from bot.services.cadence import cancel_plan_prompts
from bot.services.common import (
    Ctx,
    actor_of,
    agreed_dates,
    authorize,
    plan_for,
    plan_subject,
    today_for,
    touch,
)
from storage.models import Commitment, Person, Plan, ReviewEntry


@dataclass(frozen=True)
class ReviewForm:
    progress: dict[int, str]  # goal id -> state
    delivered: dict[int, commitments.Answer]  # commitment id -> its state, and why
    done: str = ""
    blockers: str = ""
    learned: str = ""
    focus: str = ""
    adjustments: str = ""
    seeing: str = ""


@dataclass(frozen=True)
class ReflectionForm:
    achieved: str
    changed: str
    carry: str
    carry_goal_ids: list[int]
    end_states: dict[int, str] = field(default_factory=dict)  # goal id -> plans.END_STATES


def next_review(plan: Plan, today: date) -> date | None:
    """The next agreed review of any kind (monthly reviews too): the date the prompt is for."""
    return periods.next_review(agreed_dates(plan), today)


def first_check(plan: Plan, today: date) -> date | None:
    """The first check still ahead: what the confirmation names."""
    return periods.next_review(agreed_dates(plan), today, checks_only=True)


def active_plan_for_review(ctx: Ctx, manager: Person, engineer: Person | None) -> Plan:
    """The plan a manager may review; one refusal whether or not a plan exists."""
    plan = ctx.uow.plans.current_for(engineer) if engineer else None
    if engineer is not None and plan is None and engineer.manager_id == manager.id:
        raise NotFound("errors/no_plan_to_review", who=engineer.slack_user_id)
    if plan is None or not allows(actor_of(manager), Act.REVIEW_PLAN, plan_subject(plan)):
        raise NotFound("errors/not_your_report", who=engineer.slack_user_id if engineer else "")
    if plan.status != "active":
        raise Conflict("errors/plan_not_active", status=plan.status, who=engineer.slack_user_id)  # type: ignore[union-attr]
    return plan


class ReasonsMissing(Exception):
    """Some answers need a reason they lack: the commitments' ids, nothing saved."""

    def __init__(self, commitment_ids: list[int]) -> None:
        super().__init__(commitment_ids)
        self.commitment_ids = commitment_ids


def record_review(
    ctx: Ctx, manager: Person, plan_id: int, version: int, form: ReviewForm
) -> ReviewEntry:
    plan = plan_for(ctx, manager, Act.REVIEW_PLAN, plan_id)
    if plan.status != "active" or plan.version != version:
        raise Conflict()
    missing = commitments.missing(ctx, plan, form.delivered, today_for(manager, ctx))
    if missing:
        raise ReasonsMissing(missing)
    for goal in plan.goals:
        state = form.progress.get(goal.id)
        if state in GOAL_PROGRESS:
            goal.progress = state
    delivered_now = _apply_delivery(ctx, plan, form.delivered)
    entry = ReviewEntry(
        team_id=ctx.team_id,
        kind="review",
        author=manager,
        occurred_on=today_for(manager, ctx),
        created_at=ctx.now,
        progress=form.done,
        blockers=form.blockers,
        adjustments=form.adjustments,
        answers={
            "learned": form.learned,
            "focus": form.focus,
            "seeing": form.seeing,
            "progress": {str(k): v for k, v in form.progress.items()},
            "delivered": delivered_now,
            "commitments": commitment_states(plan),
        },
    )
    plan.reviews.append(entry)
    touch(plan)  # the same modal submitted twice is refused the second time
    notify.review_recorded(ctx, plan, entry)
    ctx.uow.commit()
    return entry


def _apply_delivery(ctx: Ctx, plan: Plan, answers: dict[int, commitments.Answer]) -> list[str]:
    delivered: list[str] = []
    for commitment in plan.commitments:
        given = answers.get(commitment.id)
        if given is None:
            continue
        if commitments.answer(ctx, plan, commitment, given) and given.state == "delivered":
            delivered.append(commitment.text)
    return delivered


def commitment_states(plan: Plan) -> list[dict[str, str]]:
    """Every commitment as it stands after the review: what the summary shows."""
    return [
        {
            "text": c.text,
            "status": c.status,
            "reason": c.reason if c.status != "delivered" else "",
            "reason_on": c.reason_on.isoformat() if c.reason_on else "",
        }
        for c in plan.commitments
    ]


def reflection_opens(plan: Plan) -> date:
    """The first day of the agreed reflection's week: closing a plan earlier would cut its
    own cadence short."""
    return periods.reflection_opens(agreed_dates(plan), plan.period_end)


def can_reflect(plan: Plan, today: date) -> bool:
    return plan.status == "active" and today >= reflection_opens(plan)


def open_reflection(ctx: Ctx, person: Person, plan_id: int) -> Plan:
    plan = plan_for(ctx, person, Act.REFLECT, plan_id)
    if plan.status != "active":
        raise Conflict("errors/plan_moved_on", status=plan.status)
    if not can_reflect(plan, today_for(person, ctx)):
        raise Conflict("errors/too_early_to_reflect", opens=reflection_opens(plan).isoformat())
    return plan


def reflect(ctx: Ctx, person: Person, plan_id: int, version: int, form: ReflectionForm) -> Plan:
    plan = open_reflection(ctx, person, plan_id)
    if plan.version != version:
        raise Conflict()
    plan.reflection_achieved = form.achieved
    plan.reflection_changed = form.changed
    plan.reflection_carry_forward = form.carry
    carried = to_carry(form.end_states, form.carry_goal_ids)
    for goal in plan.goals:
        state = form.end_states.get(goal.id)
        goal.end_state = state if state in END_STATES else goal.end_state
        goal.carry_forward = goal.id in carried
    plan.status = "closed"
    plan.closed_at = ctx.now
    plan.reviews.append(
        ReviewEntry(
            team_id=ctx.team_id,
            kind="reflection",
            author=person,
            occurred_on=today_for(person, ctx),
            created_at=ctx.now,
            progress=form.achieved,
            adjustments=form.carry,
            answers={
                "changed": form.changed,
                "end_states": {str(k): v for k, v in form.end_states.items()},
            },
        )
    )
    cancel_plan_prompts(ctx.uow, plan, ctx.now)
    week_one.plan_ends(ctx, plan)
    notify.plan_closed(ctx, plan)
    ctx.uow.commit()
    return plan


def open_perspective(ctx: Ctx, manager: Person, plan_id: int) -> Plan:
    """The manager's perspective on the quarter: while its reflection is due, or once the
    engineer has written it."""
    plan = plan_for(ctx, manager, Act.COMMENT_AS_MANAGER, plan_id)
    if plan.status == "closed":
        return plan
    if plan.status != "active":
        raise Conflict("errors/plan_moved_on", status=plan.status)
    if not can_reflect(plan, today_for(manager, ctx)):
        raise Conflict("errors/too_early_to_reflect", opens=reflection_opens(plan).isoformat())
    return plan


def add_perspective(
    ctx: Ctx, manager: Person, plan_id: int, version: int, perspective: str
) -> Plan:
    plan = open_perspective(ctx, manager, plan_id)
    if plan.version != version:
        raise Conflict()
    plan.reflection_manager = perspective
    touch(plan)
    if plan.status == "closed":
        notify.perspective_added(ctx, plan)
    ctx.uow.commit()
    return plan


def mark_delivered(ctx: Ctx, manager: Person, commitment_id: int) -> Commitment:
    commitment = ctx.uow.session.get(Commitment, commitment_id)
    if commitment is None or commitment.team_id != ctx.team_id:
        raise PermissionDenied()  # the same refusal as for someone else's commitment
    authorize(manager, Act.MARK_COMMITMENT, commitment.plan)
    if commitments.set_status(ctx, commitment.plan, commitment, "delivered"):
        ctx.uow.commit()
    return commitment
