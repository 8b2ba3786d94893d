"""Driving the cadence through the served app: ticks, posted prompts, buttons, modals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.fakeslack import input_values
from bot.fakeslack.requests import Response
from bot.services.due_work import TickReport
from storage.models import Prompt
from tests.cadence_support import active_plan
from tests.conftest import Bot


def make_plan(bot: Bot, goal_setting_held: bool = True, **kwargs: Any) -> int:
    """An active plan. Unless `goal_setting_held` is False, its week-1 goal setting already
    happened (posted at its due time), so a test can start ticking at a later week."""
    with bot.uow() as uow:
        plan = active_plan(uow, bot.runtime.settings, bot.clock.now, **kwargs)
        for row in uow.prompts.for_plan(plan.id):
            if goal_setting_held and row.kind == "goal_setting" and row.status == "pending":
                row.status, row.sent_at = "sent", row.due_at
        uow.commit()
        return plan.id


def tick(bot: Bot, when: datetime) -> TickReport:
    bot.clock.now = when
    return bot.runtime.tick(when)


def prompt_row(bot: Bot, key: str) -> Prompt:
    with bot.uow() as uow:
        row = uow.session.query(Prompt).filter_by(key=key).one()
        uow.session.expunge(row)
        return row


def posted(bot: Bot, key: str) -> dict[str, Any]:
    """The message as Slack holds it now (after any chat.update)."""
    row = prompt_row(bot, key)
    assert row.channel and row.ts, f"{key} was not posted ({row.status}: {row.error})"
    return next(m for m in bot.fake.messages(row.channel) if m["ts"] == row.ts)


def text_of(message: dict[str, Any]) -> str:
    parts = [message.get("text", "")]
    for block in message.get("blocks", []):
        for key in ("text",):
            if isinstance(block.get(key), dict):
                parts.append(block[key]["text"])
        for element in block.get("elements", []):
            parts.append(
                element.get("text", {}).get("text", "")
                if isinstance(element.get("text"), dict)
                else element.get("text", "")
            )
    return "\n".join(parts)


def press(bot: Bot, user: str, action_id: str, message: dict[str, Any]) -> Response:
    return bot.slack.block_action(user, action_id, message=message)


def submit(bot: Bot, user: str, answers: dict[str, object]) -> Response:
    view = bot.fake.last_view(user)
    assert view is not None, f"no modal open for {user}"
    return bot.slack.view_submission(user, view, input_values(view, answers))


def ephemerals(bot: Bot, user: str) -> list[str]:
    return [
        c.args["text"] for c in bot.fake.calls_to("chat.postEphemeral") if c.args["user"] == user
    ]
