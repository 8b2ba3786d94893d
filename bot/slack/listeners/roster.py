"""The roster in Slack: *My manager is…* (App Home, a modal), the named manager's one-button
answer in their DM, and HR's *Start the cycle* in App Home."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.domain.cycles import quarter_label
from bot.domain.errors import DomainError
from bot.domain.policy import Act
from bot.services import claims, cycles
from bot.services.common import authorize_hr, edit_later, today_for
from bot.services.home import publish_home
from bot.slack.errors import message_for
from bot.slack.ids import Action, Callback
from bot.slack.listeners.context import actor, ctx_of
from bot.slack.payloads import decode, state_values
from bot.slack.views import roster as views
from bot.slack.views.done import build_done_view
from bot.slack.views.roster_home import MANAGER_BLOCK, build_my_manager_modal, t


def register(app: App) -> None:
    app.action(Action.OPEN_MY_MANAGER)(open_my_manager)
    app.view(Callback.MY_MANAGER)(submit_my_manager)
    app.action(Action.CONFIRM_MANAGER)(confirm_manager)
    app.action(Action.DECLINE_MANAGER)(decline_manager)
    app.action(Action.START_CYCLE)(start_cycle)


def open_my_manager(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    actor(ctx, body)
    ctx.uow.commit()
    ctx.gateway.open_view(body["trigger_id"], build_my_manager_modal())


def submit_my_manager(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ctx = ctx_of(context)
    engineer = actor(ctx, body)
    chosen = state_values(body.get("view") or {}).get(MANAGER_BLOCK)
    if not chosen:
        ack(response_action="errors", errors={MANAGER_BLOCK: t().modal_label()})
        return
    try:
        found = claims.claim(ctx, engineer, str(chosen))
    except DomainError as refusal:
        ack(response_action="errors", errors={MANAGER_BLOCK: message_for(refusal)})
        return
    ctx.uow.commit()
    ack(response_action="update", view=build_done_view(t().asked(found.manager.name)))
    publish_home(ctx, engineer)


def _answer(body: dict[str, Any], context: BoltContext, *, confirm: bool) -> None:
    ctx = ctx_of(context)
    manager = actor(ctx, body)
    button = decode(views.ClaimButton, (body.get("actions") or [{}])[0].get("value"))
    found = claims.decide(ctx, manager, button.claim_id, confirm=confirm)
    ctx.uow.commit()
    channel = str((body.get("channel") or {}).get("id") or "")
    ts = str((body.get("message") or {}).get("ts") or "")
    if channel and ts:
        answered = views.claim_answered(found)
        edit_later(ctx, channel, ts, answered.text, answered.blocks)
    publish_home(ctx, manager)


def confirm_manager(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    _answer(body, context, confirm=True)


def decline_manager(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    _answer(body, context, confirm=False)


def start_cycle(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """HR's *Start the cycle*: members of the private HR channel only; always this quarter
    (whatever the button's value says), for every team."""
    ack()
    ctx = ctx_of(context)
    person = actor(ctx, body)
    authorize_hr(ctx, person, Act.START_CYCLE)
    quarter = quarter_label(today_for(person, ctx))
    cycles.start_cycle(ctx.uow, ctx.team_id, quarter, (), ctx.now, ctx.settings, person)
    ctx.uow.commit()
    publish_home(ctx, person)
