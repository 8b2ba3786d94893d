"""The end-of-period reflection through signed requests: the engineer gives each goal an end
state, only unfinished goals are carried, the manager adds their perspective."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select

from bot.fakeslack import input_values
from storage.models import Plan
from tests.conftest import Bot
from tests.slack.helpers import (
    GOOD_COMMITMENTS,
    GOOD_DRAFT,
    dm_messages,
    open_pdp,
    pair_messages,
    press,
    submit,
    text_of_view,
)

REFLECTION_WEEK = datetime(2027, 3, 22, 17, 0, tzinfo=timezone.utc)
SECOND = {
    "goal2_outcome": "Lead the billing migration design review and have it accepted",
    "goal2_success": "Accepted in one round",
    "goal2_target": "2027-03-05",
}


def two_goal_plan(bot: Bot) -> None:
    open_pdp(bot, "UANA")
    press(bot, "UANA", "add_goal", view=bot.fake.last_view("UANA"))
    assert "Maya Okafor will get your draft" in submit(bot, "UANA", {**GOOD_DRAFT, **SECOND}).text
    press(bot, "UMAYA", "open_manager_modal", message=dm_messages(bot, "UMAYA")[-1])
    assert "Ana Ruiz will get it in a moment" in submit(bot, "UMAYA", GOOD_COMMITMENTS).text
    press(bot, "UANA", "open_confirm_modal", message=dm_messages(bot, "UANA")[-1])
    assert "Your plan is active" in submit(bot, "UANA").text


def plan(bot: Bot) -> Plan:
    with bot.uow() as uow:
        found = uow.session.scalars(select(Plan).order_by(Plan.id)).first()
        assert found is not None
        _ = [g.end_state for g in found.goals], [c.status for c in found.commitments]
        uow.session.expunge_all()
        return found


def open_reflection(bot: Bot, user: str = "UANA") -> dict[str, Any]:
    bot.clock.now = REFLECTION_WEEK
    press(bot, user, "open_reflection", view=open_pdp(bot, user))
    view = bot.fake.last_view(user)
    assert view is not None
    return view


def choose_end_state(bot: Bot, view: dict[str, Any], block: str, state: str) -> dict[str, Any]:
    view["state"] = {"values": input_values(view, {block: state})}
    bot.slack.block_action("UANA", "end_state", view=view, block_id=block, value=state)
    updated = bot.fake.last_view("UANA")
    assert updated is not None
    return updated


def end_state_blocks(view: dict[str, Any]) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if b.get("block_id", "").startswith("end_state")]


def test_each_goal_gets_an_end_state_and_only_unfinished_ones_are_offered_for_carrying(
    bot: Bot,
) -> None:
    two_goal_plan(bot)
    view = open_reflection(bot)
    first, second = end_state_blocks(view)
    options = [o["text"]["text"] for o in view["blocks"][1]["element"]["options"]]
    assert options == ["✅ Achieved", "🟡 Partly", "🔴 Not achieved", "✖️ Dropped"]
    assert not any(b.get("block_id", "").startswith("carry_goals") for b in view["blocks"])
    view = choose_end_state(bot, view, first, "achieved")
    view = choose_end_state(bot, view, second, "partly")
    carry = next(b for b in view["blocks"] if b.get("block_id", "").startswith("carry_goals"))
    offered = [o["text"]["text"] for o in carry["element"]["options"]]
    assert offered == [SECOND["goal2_outcome"]]  # the achieved goal is not offered
    assert carry["element"]["initial_options"] == carry["element"]["options"]
    assert "Not delivered by your manager this period" in text_of_view(view)
    answers = {first: "achieved", second: "partly", "achieved": "Latency goal done."}
    assert "The plan is closed" in submit(bot, "UANA", answers).text
    closed = plan(bot)
    assert [(g.end_state, g.carry_forward) for g in closed.goals] == [
        ("achieved", False),
        ("partly", True),
    ]
    closing = pair_messages(bot, "UANA", "UMAYA")[-1]
    text = json.dumps(closing["blocks"], ensure_ascii=False)
    assert "✅ achieved" in text and "🟡 partly · carried forward" in text
    assert "Not delivered this period" in text and "pair Ana with Priya" in text


def test_only_the_unfinished_goal_is_carried_and_counted_in_next_quarters_draft(
    bot: Bot,
) -> None:
    two_goal_plan(bot)
    view = open_reflection(bot)
    first, second = end_state_blocks(view)
    view = choose_end_state(bot, view, second, "not_achieved")
    carry = next(
        b["block_id"] for b in view["blocks"] if b.get("block_id", "").startswith("carry_goals")
    )
    goal_ids = [g.id for g in plan(bot).goals]
    answers = {
        first: "achieved",
        second: "not_achieved",
        "achieved": "One of two.",
        carry: [str(goal_ids[1])],
    }
    assert (
        "The plan is closed"
        in bot.slack.view_submission("UANA", view, input_values(view, answers)).text
    )
    assert [g.carry_forward for g in plan(bot).goals] == [False, True]
    press(bot, "UANA", "start_next_quarter", message=pair_messages(bot, "UANA", "UMAYA")[-1])
    draft = text_of_view(bot.fake.last_view("UANA") or {})
    assert "carried forward 1×" in draft and SECOND["goal2_outcome"] in draft
    assert GOOD_DRAFT["goal1_outcome"] not in draft


def test_a_reflection_needs_an_end_state_for_every_goal(bot: Bot) -> None:
    two_goal_plan(bot)
    view = open_reflection(bot)
    first, second = end_state_blocks(view)
    body = submit(bot, "UANA", {first: "achieved", "achieved": "Some of it."}).json()
    assert body["response_action"] == "errors"
    assert body["errors"] == {second: "Pick how this goal ended."}
    assert plan(bot).status == "active"


def test_the_manager_adds_their_perspective_and_cannot_write_the_reflection(bot: Bot) -> None:
    two_goal_plan(bot)
    bot.clock.now = REFLECTION_WEEK
    pid = plan(bot).id
    bot.slack.block_action("UMAYA", "open_reflection", json.dumps({"plan_id": pid}))
    view = bot.fake.last_view("UMAYA")
    assert view is not None and view["callback_id"] == "pdp_perspective"
    with_perspective = submit(
        bot, "UMAYA", {"perspective": "Ana owned the incidents; I was late on the rota."}
    )
    assert "Your perspective is in Ana Ruiz's plan" in with_perspective.text
    assert plan(bot).reflection_manager.startswith("Ana owned the incidents")
    view = open_reflection(bot)
    first, second = end_state_blocks(view)
    submit(bot, "UANA", {first: "achieved", second: "dropped", "achieved": "Latency goal done."})
    closing = json.dumps(pair_messages(bot, "UANA", "UMAYA")[-1]["blocks"], ensure_ascii=False)
    assert "perspective:* Ana owned the incidents" in closing
    assert "Next quarter's draft starts fresh" in closing
