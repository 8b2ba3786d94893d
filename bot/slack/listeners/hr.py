"""HR's buttons: *Nudge the manager* on an item of the digest."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.services import hr_nudge
from bot.slack.gateway import SlackFailure, SlackGateway
from bot.slack.ids import Action
from bot.slack.listeners.context import actor, ctx_of
from bot.slack.payloads import NudgeButton, decode
from bot.slack.views.hr_digest import DigestMessage


def register(app: App) -> None:
    app.action(Action.HR_NUDGE)(nudge_manager)


def nudge_manager(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    person = actor(ctx, body)
    action = (body.get("actions") or [{}])[0]
    button = decode(NudgeButton, action.get("value"))
    hr_nudge.nudge(ctx, person, button.digest_id, button.key)
    ctx.uow.commit()
    channel = str((body.get("channel") or {}).get("id") or "")
    ts = str((body.get("message") or {}).get("ts") or "")
    message = hr_nudge.redrawn_part(ctx, channel, ts) if channel and ts else None
    if message is not None:
        ctx.after_response(lambda gateway: _redraw(gateway, channel, ts, message))


def _redraw(gateway: SlackGateway, channel: str, ts: str, message: DigestMessage) -> None:
    with suppress(SlackFailure):  # the nudge is recorded; the next digest shows it
        gateway.update(channel, ts, message.text, message.blocks)
