"""App Home: published when opened, and again after a change made from it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.services import reviews
from bot.services.home import publish_home
from bot.slack.listeners.context import actor, ctx_of
from bot.slack.listeners.plans import open_pdp
from bot.slack.payloads import decode
from bot.slack.views.home import MARK_DELIVERED_ACTIONS, PAGE_ACTIONS, CommitmentRef, HomePage


def register(app: App) -> None:
    app.event("app_home_opened")(home_opened)
    app.action(PAGE_ACTIONS)(change_page)
    app.action(MARK_DELIVERED_ACTIONS)(mark_delivered)
    app.action("open_plan")(open_plan)


def home_opened(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    if event.get("tab", "home") != "home":
        return
    ctx = ctx_of(context)
    person = actor(ctx, body)
    ctx.uow.commit()
    publish_home(ctx, person)


def change_page(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    page = decode(HomePage, body["actions"][0].get("value")).page
    publish_home(ctx, actor(ctx, body), page)


def mark_delivered(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    manager = actor(ctx, body)
    ref = decode(CommitmentRef, body["actions"][0].get("value"))
    reviews.mark_delivered(ctx, manager, ref.commitment_id)
    publish_home(ctx, manager)


def open_plan(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    open_pdp(ctx_of(context), body)
