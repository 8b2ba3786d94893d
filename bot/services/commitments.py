"""A manager commitment changes state in one place, whichever surface it was marked from."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.domain.commitments import STATES, Answer, Standing, missing_reasons, one_line
from bot.services import cadence
from bot.services.common import Ctx, today_for, touch
from storage.models import Commitment, Plan

__all__ = ["STATES", "Answer", "answer", "missing", "set_status"]


def set_status(ctx: Ctx, plan: Plan, commitment: Commitment, state: str) -> bool:
    """Record `state`; reminders follow it. False when there was nothing to change."""
    if state not in STATES or state == commitment.status:
        return False
    commitment.status = state
    commitment.delivered_at = ctx.now if state == "delivered" else None
    rows = cadence.prompts_of(ctx.uow, plan)
    cadence.schedule_commitment(ctx.uow, plan, commitment, ctx.settings, ctx.now, rows)
    touch(plan)
    return True


def answer(ctx: Ctx, plan: Plan, commitment: Commitment, given: Answer) -> bool:
    """Record the manager's answer: its state and, when it is not delivered, why (dated the
    manager's today). True when the state changed."""
    reason = one_line(given.reason)
    if given.state in ("pending", "withdrawn") and reason and reason != commitment.reason:
        commitment.reason, commitment.reason_on = reason, today_for(plan.manager, ctx)
        touch(plan)
    return set_status(ctx, plan, commitment, given.state)


def missing(
    ctx: Ctx, plan: Plan, answers: Mapping[int, Answer], today: date | None = None
) -> list[int]:
    """The commitments whose answer needs a reason it does not have ("no longer needed", or
    "not yet" once its date has passed)."""
    standings = {c.id: Standing(c.status, c.due_date) for c in plan.commitments}
    return missing_reasons(answers, standings, today or today_for(plan.manager, ctx))
