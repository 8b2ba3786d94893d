"""A concern's follow-up from its record: resolved, another conversation, a formal process."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from tests.conftest import Bot
from tests.slack.concern_helpers import (
    GOOD,
    audit_actions,
    audit_events,
    concern_row,
    home_of,
    open_record,
    record,
    seed_team,
    submit,
)
from tests.slack.helpers import find_element, text_of_view

EXPECT_TWO_OR_THREE = "The guide expects two or three of these conversations"
MAY_BE_WARRANTED = "a formal process may now be warranted"


@pytest.fixture(autouse=True)
def team(bot: Bot) -> None:
    seed_team(bot)


def press_in(bot: Bot, user: str, view: dict[str, object], action_id: str) -> None:
    response = bot.slack.block_action(user, action_id, view=view)  # type: ignore[arg-type]
    assert response.status == 200, response.text


def dm_texts(bot: Bot, user: str) -> list[str]:
    return [
        c.args["text"] for c in bot.fake.calls_to("chat.postMessage") if c.args["channel"] == user
    ]


def buttons(view: dict[str, object]) -> list[str]:
    return [
        element["action_id"]
        for block in view["blocks"]  # type: ignore[attr-defined]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_at_the_first_follow_up_the_guide_expects_more_conversations_not_a_formal_one(
    bot: Bot,
) -> None:
    concern_id = record(bot)
    bot.clock.now = datetime(2027, 2, 1, 10, tzinfo=timezone.utc)

    view = open_record(bot, "UMAYA", concern_id)

    text = text_of_view(view)
    assert EXPECT_TWO_OR_THREE in text
    assert MAY_BE_WARRANTED not in text
    assert buttons(view) == ["concern_resolved", "concern_another", "close_concern"]


def test_resolved_closes_the_record_and_nothing_further_is_needed(bot: Bot) -> None:
    concern_id = record(bot)
    view = open_record(bot, "UMAYA", concern_id)

    press_in(bot, "UMAYA", view, "concern_resolved")

    updated = bot.fake.last_view("UMAYA")
    assert updated is not None
    assert "Resolved: the concern about Ana Ruiz is closed, and nothing further is needed" in (
        text_of_view(updated)
    )
    concern = concern_row(bot, concern_id)
    assert concern.status == "resolved" and concern.closed_at == bot.clock.now
    assert concern.conversations[-1].outcome == "resolved"
    assert "Your early-intervention notes" not in text_of_view(home_of(bot, "UMAYA"))
    [_, resolved] = audit_events(bot, concern_id)
    assert resolved.action == "concern.resolved"
    assert resolved.before is not None and resolved.before["status"] == "open"
    assert resolved.after is not None and resolved.after["status"] == "resolved"
    assert resolved.after["conversation"]["outcome"] == "resolved"


def test_a_follow_up_answered_twice_is_a_no_op_with_a_short_message(bot: Bot) -> None:
    concern_id = record(bot)
    view = open_record(bot, "UMAYA", concern_id)
    press_in(bot, "UMAYA", view, "concern_resolved")

    press_in(bot, "UMAYA", view, "concern_resolved")  # the old modal, pressed again
    press_in(bot, "UMAYA", view, "concern_another")

    assert (
        dm_texts(bot, "UMAYA")[-2:]
        == [
            "That follow-up has already been answered, so nothing changed. Your App Home shows "
            "where this concern stands.",
        ]
        * 2
    )
    assert audit_actions(bot, concern_id) == ["concern.opened", "concern.resolved"]


def test_another_conversation_opens_the_next_one_of_the_same_concern(bot: Bot) -> None:
    concern_id = record(bot)
    view = open_record(bot, "UMAYA", concern_id)

    press_in(bot, "UMAYA", view, "concern_another")

    pushed = bot.fake.calls_to("views.push")[-1].args["view"]
    text = text_of_view(pushed)
    assert "this is conversation 2" in text and EXPECT_TWO_OR_THREE in text
    submit(bot, "UMAYA", {**GOOD, "expectation": "Every PR reviewed by a second engineer"})
    concern = concern_row(bot, concern_id)
    assert [(c.number, c.outcome) for c in concern.conversations] == [(1, "another"), (2, None)]
    assert "conversation 2" in text_of_view(home_of(bot, "UMAYA"))


def test_the_formal_process_note_comes_at_the_second_follow_up_and_not_before(bot: Bot) -> None:
    concern_id = record(bot)
    record(bot)  # conversation 2, follow-up on Mon 1 Feb
    before_due = open_record(bot, "UMAYA", concern_id)
    assert MAY_BE_WARRANTED not in text_of_view(before_due)
    assert "concern_formal" not in buttons(before_due)
    with pytest.raises(AssertionError):
        find_element(before_due["blocks"], "concern_formal")

    bot.clock.now = datetime(2027, 2, 1, 10, tzinfo=timezone.utc)
    due = open_record(bot, "UMAYA", concern_id)

    text = text_of_view(due)
    assert "After 2 conversations without sufficient change, " + MAY_BE_WARRANTED in text
    assert "it is a performance matter, not conduct or capability" in text
    assert "HR is involved from the start" in text
    press_in(bot, "UMAYA", due, "concern_formal")
    concern = concern_row(bot, concern_id)
    assert concern.status == "formal"
    assert [c.outcome for c in concern.conversations] == ["another", "formal"]
    shown = bot.fake.last_view("UMAYA")
    assert shown is not None and "a formal process is being considered" in text_of_view(shown)
    assert audit_actions(bot, concern_id)[-1] == "concern.formal"


def test_a_formal_process_pressed_before_the_second_follow_up_changes_nothing(bot: Bot) -> None:
    concern_id = record(bot)
    view = open_record(bot, "UMAYA", concern_id)
    value = json.dumps({"concern_id": concern_id, "number": 1})

    bot.slack.block_action("UMAYA", "concern_formal", value, view=view)

    assert (
        "The guide expects two or three of these conversations, each with support"
        in (dm_texts(bot, "UMAYA")[-1])
    )
    assert concern_row(bot, concern_id).status == "open"


def test_the_iteration_count_grows_with_each_conversation(bot: Bot) -> None:
    concern_id = record(bot)
    record(bot)
    record(bot)

    text = text_of_view(open_record(bot, "UMAYA", concern_id))

    assert "3 conversations" in text
    assert text.index("*Conversation 3,") < text.index("*Conversation 1,")  # newest first
    assert "conversation 3 · follow-up" in text_of_view(home_of(bot, "UMAYA"))


def test_close_ends_the_record_once(bot: Bot) -> None:
    concern_id = record(bot)
    view = open_record(bot, "UMAYA", concern_id)

    press_in(bot, "UMAYA", view, "close_concern")
    press_in(bot, "UMAYA", view, "close_concern")

    assert concern_row(bot, concern_id).status == "closed"
    assert dm_texts(bot, "UMAYA")[-1] == "This concern is already closed, so nothing changed."
    assert audit_actions(bot, concern_id) == ["concern.opened", "concern.closed"]
