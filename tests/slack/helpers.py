"""Driving the app as people do in Slack: commands, modals filled in, buttons pressed."""

from __future__ import annotations

from typing import Any

from bot.fakeslack import Response, input_values
from tests.conftest import Bot

GOOD_DRAFT: dict[str, object] = {
    "manager": "UMAYA",
    "strengths": "Shipping search features end to end; reviews that catch real bugs.",
    "difficulties": "Production performance problems: I escalate latency issues I should own.",
    "aspiration": "A senior engineer other teams call when their service is slow.",
    "goal1_outcome": (
        "Be able to diagnose production latency issues in the search service "
        "without escalating to senior engineers"
    ),
    "goal1_success": "Lead two sev-2 latency incidents to resolution as primary on-call",
    "goal1_target": "2027-03-19",
}

GOOD_COMMITMENTS: dict[str, object] = {
    "commitment1_text": "I will pair Ana with Priya on the next two search latency incidents",
    "commitment1_due": "2027-02-01",
    "commitment2_text": "I will protect Friday afternoons for observability learning time",
}


def open_pdp(bot: Bot, user: str) -> dict[str, Any]:
    response = bot.slack.command("/pdp", "", user=user)
    assert response.status == 200, response.text
    view = bot.fake.last_view(user)
    assert view is not None
    return view


def submit(bot: Bot, user: str, answers: dict[str, object] | None = None) -> Response:
    view = bot.fake.last_view(user)
    assert view is not None, f"{user} has no modal open"
    return bot.slack.view_submission(user, view, input_values(view, answers or {}))


def press(
    bot: Bot,
    user: str,
    action_id: str,
    *,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
) -> Response:
    container = message or view or {}
    button = find_element(container.get("blocks", []), action_id)
    response = bot.slack.block_action(
        user, action_id, button.get("value"), view=view, message=message
    )
    assert response.status == 200, response.text
    return response


def find_element(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    for block in blocks:
        elements = block.get("elements", [])
        if block.get("accessory"):
            elements = [*elements, block["accessory"]]
        for element in elements:
            if element.get("action_id") == action_id:
                return dict(element)
    raise AssertionError(f"no element {action_id} in {blocks}")


def dm_messages(bot: Bot, user: str) -> list[dict[str, Any]]:
    """Messages the bot posted in its one-to-one DM with `user`."""
    channels = [c.args["channel"] for c in bot.fake.calls_to("chat.postMessage")]
    result: list[dict[str, Any]] = []
    for channel in dict.fromkeys(channels):
        info = bot.fake.channel(channel) or {}
        if info.get("is_im") and bot.fake.members(channel) == [user]:
            result += bot.fake.messages(channel)
    return result


def pair_messages(bot: Bot, engineer: str, manager: str) -> list[dict[str, Any]]:
    channels = [c.args["channel"] for c in bot.fake.calls_to("chat.postMessage")]
    for channel in dict.fromkeys(channels):
        info = bot.fake.channel(channel) or {}
        members = set(bot.fake.members(channel)) - {bot.fake.bot_user_id}
        if info.get("is_mpim") and members == {engineer, manager}:
            return bot.fake.messages(channel)
    return []


def text_of_view(view: dict[str, Any]) -> str:
    from bot.demo.transcript import block_lines

    return "\n".join(block_lines(view.get("blocks", [])))
