"""A concern's messages through the outbox: the recap in the engineer's DM (only when chosen,
never the notes), and the follow-up in the recording manager's DM on its date."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from storage.models import Prompt
from tests.conftest import TEAM, Bot
from tests.slack.concern_helpers import (
    CONCERN,
    CONTEXT_NOTES,
    EXPECTATION,
    SUPPORT,
    audit_actions,
    concern_row,
    open_record,
    record,
    seed_team,
    submit,
)
from tests.slack.helpers import dm_messages, text_of_view

EXPECT_TWO_OR_THREE = "The guide expects two or three of these conversations"
MAY_BE_WARRANTED = "a formal process may now be warranted"


@pytest.fixture(autouse=True)
def team(bot: Bot) -> None:
    seed_team(bot)


def tick(bot: Bot, *when: int) -> None:
    bot.clock.now = datetime(*when, tzinfo=timezone.utc)  # type: ignore[misc]
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


def follow_ups(bot: Bot, user: str = "UMAYA") -> list[dict[str, Any]]:
    return [m for m in dm_messages(bot, user) if "Follow-up" in text_of(m)]


def rows(bot: Bot, kind: str) -> list[Prompt]:
    with bot.uow() as uow:
        found = uow.session.query(Prompt).filter_by(kind=kind).order_by(Prompt.id).all()
        uow.session.expunge_all()
        return found


# --- the recap -------------------------------------------------------------------------


def test_no_recap_is_sent_unless_the_manager_chooses_it(bot: Bot) -> None:
    concern_id = record(bot)

    assert dm_messages(bot, "UANA") == []
    assert rows(bot, "concern_recap") == []
    assert [c.recap_requested for c in concern_row(bot, concern_id).conversations] == [False]


def test_the_recap_has_the_expectation_support_and_date_and_never_the_notes(bot: Bot) -> None:
    concern_id = record(bot, recap=["recap"])

    [recap] = dm_messages(bot, "UANA")
    text = text_of(recap)
    assert "A recap of your conversation with Maya Okafor on Mon 4 Jan 2027" in text
    assert EXPECTATION in text and SUPPORT in text
    assert "You’ll talk again on Mon 1 Feb 2027" in text
    assert CONTEXT_NOTES not in text and "Two projects" not in text
    assert CONCERN not in text and "system problem" not in text
    assert concern_row(bot, concern_id).conversations[0].recap_requested is True
    assert audit_actions(bot, concern_id) == ["concern.opened", "concern.recap_sent"]
    [row] = rows(bot, "concern_recap")
    assert row.status == "sent" and row.sent_at is not None


def test_the_saved_screen_says_the_recap_is_on_its_way(bot: Bot) -> None:
    from tests.slack.concern_helpers import GOOD, open_modal

    open_modal(bot, "UMAYA", "UANA")
    body = submit(bot, "UMAYA", {**GOOD, "recap": ["recap"]}).json()

    assert "Ana Ruiz will get the recap in a moment" in text_of_view(body["view"])


def test_a_recap_that_cannot_be_delivered_is_recorded_as_not_sent(bot: Bot) -> None:
    bot.fake.fail_next("chat.postMessage", "user_disabled")

    concern_id = record(bot, recap=["recap"])

    [row] = rows(bot, "concern_recap")
    assert row.status == "undeliverable"
    assert audit_actions(bot, concern_id)[-1] == "concern.recap_not_sent"


# --- the follow-up, on its date, in the manager's time zone ------------------------------


def test_the_follow_up_arrives_on_its_date_in_the_managers_working_hours(bot: Bot) -> None:
    record(bot)  # Maya, London; follow-up Mon 1 Feb 2027

    tick(bot, 2027, 1, 29, 10)
    tick(bot, 2027, 2, 1, 9, 59)
    assert follow_ups(bot) == []

    tick(bot, 2027, 2, 1, 10, 0)  # 10:00 in London

    [message] = follow_ups(bot)
    text = text_of(message)
    assert "*Follow-up: Ana Ruiz* · conversation 1 of your early-intervention notes" in text
    assert EXPECTATION in text and SUPPORT in text
    assert EXPECT_TWO_OR_THREE in text and MAY_BE_WARRANTED not in text
    assert CONTEXT_NOTES not in text


def test_a_manager_far_east_gets_the_follow_up_on_their_own_date(bot: Bot) -> None:
    with bot.uow() as uow:
        otto = uow.people.get(TEAM, "UOTTO")
        assert otto is not None
        otto.tz = "Asia/Kolkata"
        uow.commit()
    record(bot, "UOTTO", "UCHIDI")  # recorded on Mon 4 Jan; follow-up Mon 1 Feb

    tick(bot, 2027, 1, 31, 23, 0)  # already Monday 1 Feb in Kolkata, but 04:30
    tick(bot, 2027, 2, 1, 4, 29)
    assert follow_ups(bot, "UOTTO") == []

    tick(bot, 2027, 2, 1, 4, 30)  # 10:00 in Kolkata

    assert len(follow_ups(bot, "UOTTO")) == 1
    assert follow_ups(bot, "UMAYA") == []


def test_resolved_from_the_follow_up_closes_it_and_the_message_says_so(bot: Bot) -> None:
    concern_id = record(bot)
    tick(bot, 2027, 2, 1, 10)
    [message] = follow_ups(bot)

    response = bot.slack.block_action("UMAYA", "concern_resolved", message=message)

    assert response.status == 200
    assert concern_row(bot, concern_id).status == "resolved"
    [updated] = follow_ups(bot)
    assert "✅ resolved on Mon 1 Feb 2027: nothing further is needed" in text_of(updated)
    assert not any(b["type"] == "actions" for b in updated.get("blocks", []))


def test_the_same_follow_up_button_pressed_twice_is_a_no_op_with_a_short_message(
    bot: Bot,
) -> None:
    concern_id = record(bot)
    tick(bot, 2027, 2, 1, 10)
    [message] = follow_ups(bot)
    bot.slack.block_action("UMAYA", "concern_resolved", message=message)

    bot.slack.block_action("UMAYA", "concern_resolved", message=message)  # an old copy

    [said] = [c.args["text"] for c in bot.fake.calls_to("chat.postEphemeral")]
    assert said.startswith("That follow-up has already been answered, so nothing changed")
    assert audit_actions(bot, concern_id) == ["concern.opened", "concern.resolved"]


@pytest.mark.parametrize("button", ["concern_resolved", "concern_another"])
def test_a_follow_up_pressed_after_the_concern_was_closed_is_a_no_op_that_says_so(
    bot: Bot, button: str
) -> None:
    concern_id = record(bot)
    tick(bot, 2027, 2, 1, 10)
    [message] = follow_ups(bot)
    bot.slack.block_action("UMAYA", "close_concern", view=open_record(bot, "UMAYA", concern_id))
    opened = len(bot.fake.calls_to("views.open")) + len(bot.fake.calls_to("views.push"))

    bot.slack.block_action("UMAYA", button, message=message)  # the DM's buttons, still there

    [said] = [c.args["text"] for c in bot.fake.calls_to("chat.postEphemeral")]
    assert said == "This concern is already closed, so nothing changed."
    assert len(bot.fake.calls_to("views.open")) + len(bot.fake.calls_to("views.push")) == opened
    assert concern_row(bot, concern_id).status == "closed"
    assert audit_actions(bot, concern_id) == ["concern.opened", "concern.closed"]


def test_two_iterations_then_the_second_follow_up_says_a_formal_process_may_be_warranted(
    bot: Bot,
) -> None:
    concern_id = record(bot)
    tick(bot, 2027, 2, 1, 10)
    [first] = follow_ups(bot)
    assert "concern_formal" not in str(first)

    bot.slack.block_action("UMAYA", "concern_another", message=first)
    modal = bot.fake.last_view("UMAYA")
    assert modal is not None and "this is conversation 2" in text_of_view(modal)
    assert EXPECT_TWO_OR_THREE in text_of_view(modal)
    submit(bot, "UMAYA", {"concern": CONCERN, "expectation": EXPECTATION})  # follow-up 1 Mar
    tick(bot, 2027, 3, 1, 10)

    [_, second] = follow_ups(bot)
    text = text_of(second)
    assert "conversation 2 of your early-intervention notes" in text
    assert "After 2 conversations without sufficient change, " + MAY_BE_WARRANTED in text
    assert "HR is involved from the start" in text
    bot.slack.block_action("UMAYA", "concern_formal", message=second)
    assert concern_row(bot, concern_id).status == "formal"
    assert "⚖️ a formal process considered on Mon 1 Mar 2027" in text_of(follow_ups(bot)[-1])


def test_a_conversation_recorded_before_the_follow_up_replaces_it(bot: Bot) -> None:
    record(bot)  # follow-up Mon 1 Feb
    bot.clock.now = datetime(2027, 1, 11, 10, tzinfo=timezone.utc)
    record(bot)  # conversation 2 a week later: follow-up Mon 8 Feb

    tick(bot, 2027, 2, 1, 12)
    assert follow_ups(bot) == []
    tick(bot, 2027, 2, 8, 12)

    [message] = follow_ups(bot)
    assert "conversation 2" in text_of(message)
    statuses = [(r.key.rsplit(":", 1)[1], r.status) for r in rows(bot, "concern_follow_up")]
    assert statuses == [("1", "cancelled"), ("2", "sent")]


def test_a_concern_resolved_early_gets_no_follow_up(bot: Bot) -> None:
    concern_id = record(bot)
    view = open_record(bot, "UMAYA", concern_id)
    bot.slack.block_action("UMAYA", "concern_resolved", view=view)

    tick(bot, 2027, 2, 1, 12)

    assert follow_ups(bot) == []
    [row] = rows(bot, "concern_follow_up")
    assert row.status == "cancelled"


def test_the_record_says_which_conversations_had_a_recap_and_when_it_was_sent(bot: Bot) -> None:
    concern_id = record(bot, recap=["recap"])
    bot.clock.now = datetime(2027, 1, 11, 10, tzinfo=timezone.utc)
    record(bot)  # conversation 2, no recap

    text = text_of_view(open_record(bot, "UMAYA", concern_id))

    second, first = text.split("*Conversation 1,")
    assert "*Recap:* none sent" in second
    assert "*Recap:* sent to them on Mon 4 Jan 2027" in first
