"""Messages the lifecycle sends: to the manager's DM, the engineer's DM, or the pair's group DM."""

from __future__ import annotations

import logging

from bot.services.common import Ctx, load_plan
from bot.slack.gateway import SlackFailure
from bot.slack.views import messages
from storage.models import Plan, ReviewEntry

log = logging.getLogger(__name__)


def _send(ctx: Ctx, channel: str, message: messages.Message) -> str | None:
    try:
        return ctx.gateway.post(channel, message.text, message.blocks)
    except SlackFailure as exc:
        # The change is saved; the person sees it in /pdp and App Home even if the DM failed.
        log.warning("could not post %s to %s: %s", message.kind, channel, exc.error)
        return None


def _dm(ctx: Ctx, user_id: str, message: messages.Message) -> None:
    try:
        channel = ctx.gateway.open_conversation([user_id])
    except SlackFailure as exc:
        log.warning("could not open a DM with %s: %s", user_id, exc.error)
        return
    _send(ctx, channel, message)


def pair_channel(ctx: Ctx, plan: Plan) -> str | None:
    if plan.dm_channel_id is None:
        try:
            plan.dm_channel_id = ctx.gateway.open_conversation(
                [plan.manager.slack_user_id, plan.engineer.slack_user_id]
            )
        except SlackFailure as exc:
            log.warning("could not open the pair's DM for plan %s: %s", plan.id, exc.error)
            return None
        ctx.uow.commit()
    return plan.dm_channel_id


def draft_submitted(ctx: Ctx, plan_id: int) -> None:
    plan = load_plan(ctx, plan_id)
    _dm(ctx, plan.manager.slack_user_id, messages.draft_submitted(plan))


def manager_responded(ctx: Ctx, plan_id: int) -> None:
    plan = load_plan(ctx, plan_id)
    _dm(ctx, plan.engineer.slack_user_id, messages.manager_responded(plan))


def plan_active(ctx: Ctx, plan_id: int) -> None:
    plan = load_plan(ctx, plan_id)
    channel = pair_channel(ctx, plan)
    if channel:
        _send(ctx, channel, messages.plan_active(plan))


def review_recorded(ctx: Ctx, plan_id: int, entry_id: int) -> None:
    plan = load_plan(ctx, plan_id)
    entry = ctx.uow.session.get(ReviewEntry, entry_id)
    channel = pair_channel(ctx, plan)
    if channel and entry is not None:
        _send(ctx, channel, messages.review_summary(plan, entry))


def plan_closed(ctx: Ctx, plan_id: int) -> None:
    plan = load_plan(ctx, plan_id)
    channel = pair_channel(ctx, plan)
    if channel:
        _send(ctx, channel, messages.plan_closed(plan))


def perspective_added(ctx: Ctx, plan_id: int) -> None:
    plan = load_plan(ctx, plan_id)
    channel = pair_channel(ctx, plan)
    if channel:
        _send(ctx, channel, messages.perspective_added(plan))
