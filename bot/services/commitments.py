"""A manager commitment changes state in one place, whichever surface it was marked from."""

from __future__ import annotations

from bot.services import cadence
from bot.services.common import Ctx, touch
from storage.models import Commitment, Plan

STATES = ("pending", "delivered", "withdrawn")


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
