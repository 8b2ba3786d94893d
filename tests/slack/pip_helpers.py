"""A PIP driven the way Slack drives it: /pip, modals filled in, buttons pressed in DMs."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from bot.fakeslack import Response, input_values
from storage.pip_models import Pip
from tests.conftest import TEAM, Bot
from tests.slack.concern_helpers import record, seed_team
from tests.slack.helpers import dm_messages, find_element

__all__ = ["seed_team"]

MANAGER, ENGINEER, HR = "UMAYA", "UANA", "UHANA"
PRECONDITIONS: dict[str, object] = {
    "classification": "performance",
    "confirmed": [
        "gap_persistent",
        "expectations_explicit",
        "earlier_conversations",
        "performance_matter",
        "support_available",
    ],
    "gap_evidence": "Eight of the last ten PRs reopened after review since November",
    "expectations_evidence": "Written recaps after the conversations of 4 Jan and 1 Feb",
    "conversations_evidence": "Two conversations with pairing offered; PR quality unchanged",
    "support_evidence": "Priya Shah pairs weekly; I review PRs within a day",
    "hr_user": HR,
}
CRITERION = (
    "PR descriptions consistently include context, rationale for approach and testing notes, "
    "as assessed by reviewers over the next eight weeks"
)
PLAN: dict[str, object] = {
    "concern_0": "The last eight PRs came back with significant issues after review",
    "evidence_0": "PRs #412, #418, #430 reopened; reviewers' notes of 12 and 19 Feb",
    "criterion_0": CRITERION,
    "consequence": "A formal review with HR of whether you continue in this role",
    "support_what_0": "Pairing on the search service",
    "support_who_0": "Priya Shah",
    "support_how_often_0": "Tuesday afternoons, weekly",
}


def at(bot: Bot, *when: int) -> None:
    bot.clock.now = datetime(*when, tzinfo=timezone.utc)  # type: ignore[misc]


def tick(bot: Bot, *when: int) -> None:
    at(bot, *when)
    bot.runtime.tick(bot.clock.now)


def text_of(message: dict[str, Any]) -> str:
    parts = [message.get("text", "")]
    for block in message.get("blocks", []):
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            text = element.get("text")
            parts.append(text.get("text", "") if isinstance(text, dict) else str(text or ""))
    return "\n".join(parts)


def command(bot: Bot, user: str, text: str) -> Response:
    response = bot.slack.command("/pip", text, user=user)
    assert response.status == 200, response.text
    return response


def submit(bot: Bot, user: str, answers: dict[str, object] | None = None) -> Response:
    view = bot.fake.last_view(user)
    assert view is not None, f"{user} has no modal open"
    return bot.slack.view_submission(user, view, input_values(view, answers or {}))


def latest_with(bot: Bot, user: str, action_prefix: str) -> dict[str, Any]:
    """The newest message in `user`'s DM with a button whose action id starts so."""
    for message in reversed(dm_messages(bot, user)):
        for block in message.get("blocks", []):
            for element in block.get("elements", []):
                if str(element.get("action_id", "")).startswith(action_prefix):
                    return message
    raise AssertionError(f"no message with {action_prefix} in {user}'s DM")


def press_in(bot: Bot, user: str, message: dict[str, Any], action_id: str) -> Response:
    button = _button(message, action_id)
    channel = bot.fake.channel_of(message["ts"])
    response = bot.slack.block_action(
        user,
        button["action_id"],
        button.get("value"),
        message={**message, "channel": channel} if channel else message,
    )
    assert response.status == 200, response.text
    return response


def _button(message: dict[str, Any], prefix: str) -> dict[str, Any]:
    for block in message.get("blocks", []):
        for element in block.get("elements", []):
            if str(element.get("action_id", "")).startswith(prefix):
                return dict(element)
    raise AssertionError(f"no {prefix} button in {message}")


def earlier_conversations(bot: Bot, count: int = 2, engineer: str = ENGINEER) -> None:
    for _ in range(count):
        record(bot, MANAGER, engineer)


def start(bot: Bot, engineer: str = ENGINEER, **answers: object) -> Response:
    command(bot, MANAGER, f"<@{engineer}|{engineer.lower()}>")
    response = submit(bot, MANAGER, {**PRECONDITIONS, **answers})
    body = response.json() if response.text else {}
    view = body.get("view") or {}
    if view.get("callback_id") == "pip_preconditions":  # warnings: accept them
        response = submit(bot, MANAGER, {**PRECONDITIONS, **answers})
    return response


def acknowledge(bot: Bot) -> None:
    press_in(bot, HR, latest_with(bot, HR, "pip_hr_acknowledge"), "pip_hr_acknowledge")


def write_plan(bot: Bot, **answers: object) -> Response:
    press_in(bot, MANAGER, latest_with(bot, MANAGER, "pip_write_plan"), "pip_write_plan")
    response = submit(bot, MANAGER, {**PLAN, **answers})
    body = response.json() if response.text else {}
    if (body.get("view") or {}).get("callback_id") == "pip_plan":  # warnings: accept them
        response = submit(bot, MANAGER, {**PLAN, **answers})
    return response


def mark_opened(bot: Bot) -> None:
    press_in(bot, MANAGER, latest_with(bot, MANAGER, "pip_mark_opened"), "pip_mark_opened")


def opened_pip(bot: Bot, earlier: int = 2, engineer: str = ENGINEER, **plan: object) -> int:
    """A PIP through HR's acknowledgement, the plan and the opening conversation."""
    earlier_conversations(bot, earlier, engineer)
    justified = {} if earlier >= 2 else {"justification": "Two incidents in production"}
    start(bot, engineer, **justified)
    acknowledge(bot)
    write_plan(bot, **plan)
    mark_opened(bot)
    return pip_id(bot, engineer)


def pip_id(bot: Bot, engineer_user: str = ENGINEER) -> int:
    with bot.uow() as uow:
        engineer = uow.people.get(TEAM, engineer_user)
        assert engineer is not None
        pips = uow.pips.about(TEAM, engineer.id)
        assert pips, "no PIP"
        return pips[-1].id


def pip_row(bot: Bot, pip_id: int) -> Pip:
    with bot.uow() as uow:
        pip = uow.pips.get(pip_id)
        assert pip is not None
        for name in ("criteria", "support", "checkpoints", "concerns", "engineer", "manager"):
            getattr(pip, name)
        uow.session.expunge_all()
        return pip


def audit_actions(bot: Bot, pip_id: int) -> list[str]:
    with bot.uow() as uow:
        return [e.action for e in uow.audit.for_subject("pip", pip_id)]


def find(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    return find_element(blocks, action_id)


def told(bot: Bot, user: str) -> list[str]:
    """Every text posted to `user` alone: in their DM, or to their user id (which Slack
    delivers to the app's DM with them)."""
    bot.runtime.app.wait_for_background()
    dms = {user} | {
        c.args["channel"]
        for c in bot.fake.calls_to("chat.postMessage")
        if (bot.fake.channel(str(c.args["channel"])) or {}).get("is_im")
        and bot.fake.members(str(c.args["channel"])) == [user]
    }
    return [
        str(c.args.get("text"))
        for c in bot.fake.calls_to("chat.postMessage") + bot.fake.calls_to("chat.postEphemeral")
        if c.args.get("channel") in dms or c.args.get("user") == user
    ]


def record_checkpoint(
    bot: Bot,
    pip_id: int,
    number: int,
    statuses: tuple[str, ...] = ("progressing",),
    deliveries: tuple[str, ...] = ("yes",),
    **answers: object,
) -> Response:
    """Open checkpoint `number` as the manager does and save it (warnings accepted)."""
    value = f'{{"pip_id": {pip_id}, "number": {number}}}'
    response = bot.slack.block_action(MANAGER, "pip_open_checkpoint", value)
    assert response.status == 200, response.text
    view = bot.fake.last_view(MANAGER)
    assert view is not None and view.get("callback_id") == "pip_checkpoint", told(bot, MANAGER)[-1:]
    filled: dict[str, object] = {
        "working": "PR descriptions now explain the approach: exactly what was asked",
        "needs_work": "Tests for the indexer changes",
        "next_focus": "Tests in every indexer PR",
    }
    for i, status in enumerate(statuses):
        filled[f"status_{i}"] = status
        filled[f"evidence_{i}"] = f"PRs reviewed this week (criterion {i + 1})"
    for i, delivery in enumerate(deliveries):
        filled[f"delivery_{i}"] = delivery
        if delivery != "yes":
            filled[f"delivery_reason_{i}"] = "Priya was on call"
    filled.update(answers)
    response = submit(bot, MANAGER, filled)
    body = response.json() if response.text else {}
    if (body.get("view") or {}).get("callback_id") == "pip_checkpoint":  # warnings
        response = submit(bot, MANAGER, filled)
    return response


def close_pip(bot: Bot, pip_id: int, outcome: str, **answers: object) -> Response:
    response = bot.slack.block_action(MANAGER, "pip_open_outcome", f'{{"pip_id": {pip_id}}}')
    assert response.status == 200, response.text
    view = bot.fake.last_view(MANAGER)
    assert view is not None and view.get("callback_id") == "pip_outcome"
    return submit(bot, MANAGER, {"outcome": outcome, **answers})


def pair_texts(bot: Bot) -> list[str]:
    from tests.slack.helpers import pair_messages

    return [text_of(m) for m in pair_messages(bot, ENGINEER, MANAGER)]


def refusal_of(response: Response) -> str:
    """The outcome modal replaced by the refusal's reason."""
    from tests.slack.helpers import text_of_view

    body = response.json()
    assert body["response_action"] == "update", body
    return text_of_view(body["view"])
