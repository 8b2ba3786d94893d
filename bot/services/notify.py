"""Messages the lifecycle owes the other person, added to the outbox in the caller's
transaction: the manager's DM when a draft is sent, the engineer's DM when the manager has
answered, and the pair's group DM when a plan starts, is reviewed or closes."""

from __future__ import annotations

from bot.services.common import Ctx
from bot.services.outbox.queue import enqueue
from storage.models import Person, Plan, Prompt, ReviewEntry


def _to_person(ctx: Ctx, kind: str, plan: Plan, person: Person) -> Prompt:
    ctx.uow.session.flush()  # the plan's version after this change names the message
    key = f"plan:{plan.id}:{kind}:v{plan.version}"
    return enqueue(
        ctx.uow,
        kind,
        key=key,
        team_id=plan.team_id,
        now=ctx.now,
        settings=ctx.settings,
        plan=plan,
        recipient=person,
    )


def _to_pair(ctx: Ctx, kind: str, plan: Plan, key: str, **extra: object) -> Prompt:
    return enqueue(
        ctx.uow,
        kind,
        key=key,
        team_id=plan.team_id,
        now=ctx.now,
        settings=ctx.settings,
        plan=plan,
        **extra,  # type: ignore[arg-type]
    )


def draft_submitted(ctx: Ctx, plan: Plan) -> Prompt:
    return _to_person(ctx, "draft_submitted", plan, plan.manager)


def manager_responded(ctx: Ctx, plan: Plan) -> Prompt:
    return _to_person(ctx, "manager_responded", plan, plan.engineer)


def plan_active(ctx: Ctx, plan: Plan) -> Prompt:
    return _to_pair(ctx, "plan_active", plan, f"plan:{plan.id}:plan_active")


def review_recorded(ctx: Ctx, plan: Plan, entry: ReviewEntry) -> Prompt:
    ctx.uow.session.flush()  # the entry's id names the message
    key = f"review:{entry.id}:summary"
    return _to_pair(ctx, "review_summary", plan, key, subject=("review_entry", entry.id))


def plan_closed(ctx: Ctx, plan: Plan) -> Prompt:
    return _to_pair(ctx, "plan_closed", plan, f"plan:{plan.id}:plan_closed")


def perspective_added(ctx: Ctx, plan: Plan) -> Prompt:
    ctx.uow.session.flush()  # the plan's version after this change names the message
    key = f"plan:{plan.id}:perspective_added:v{plan.version}"
    return _to_pair(ctx, "perspective_added", plan, key)
