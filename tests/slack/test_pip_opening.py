"""/pip through signed requests: preconditions with the earlier conversations listed, HR
from the start (checked against the private HR channel, acknowledging before the engineer
sees anything), the plan, the opening conversation, and the engineer's agreement."""

from __future__ import annotations

import pytest

from bot.fakeslack import input_values
from tests.conftest import Bot
from tests.slack.helpers import dm_messages, text_of_view
from tests.slack.pip_helpers import (
    ENGINEER,
    HR,
    MANAGER,
    PLAN,
    PRECONDITIONS,
    acknowledge,
    audit_actions,
    command,
    earlier_conversations,
    latest_with,
    mark_opened,
    opened_pip,
    pip_id,
    pip_row,
    press_in,
    seed_team,
    start,
    submit,
    text_of,
    write_plan,
)


@pytest.fixture(autouse=True)
def team(bot: Bot) -> None:
    seed_team(bot)


def test_the_preconditions_modal_lists_the_earlier_conversations_with_dates(bot: Bot) -> None:
    earlier_conversations(bot, 2)
    command(bot, MANAGER, f"<@{ENGINEER}|ana>")

    view = bot.fake.last_view(MANAGER)
    assert view is not None and view["callback_id"] == "pip_preconditions"
    text = text_of_view(view)
    assert (
        "Earlier conversations recorded:* 2" in text or "Earlier conversations recorded: 2" in text
    )
    assert "Conversation 1 on Mon 4 Jan 2027" in text and "Conversation 2 on Mon 4 Jan 2027" in text
    assert "first honest conversation" not in text


def test_with_fewer_than_two_conversations_it_warns_and_requires_a_justification(bot: Bot) -> None:
    earlier_conversations(bot, 1)
    command(bot, MANAGER, f"<@{ENGINEER}|ana>")
    assert "would be the first honest conversation" in text_of_view(
        bot.fake.last_view(MANAGER) or {}
    )

    response = start(bot)

    assert response.json()["response_action"] == "errors"
    assert "first honest conversation" in response.json()["errors"]["justification"]
    submit(
        bot, MANAGER, {**PRECONDITIONS, "justification": "Two production incidents since December"}
    )
    [message] = dm_messages(bot, HR)
    assert "Two production incidents since December" in text_of(message)


def test_hr_gets_the_preconditions_before_the_engineer_sees_anything(bot: Bot) -> None:
    earlier_conversations(bot, 2)
    response = start(bot)

    assert "Hana Sato" in text_of_view(response.json()["view"])
    [message] = dm_messages(bot, HR)
    assert "Maya Okafor intends to start a PIP with Ana Ruiz" in text_of(message)
    assert "Eight of the last ten PRs reopened" in text_of(message)
    assert dm_messages(bot, ENGINEER) == [
        m for m in dm_messages(bot, ENGINEER) if "PIP" not in text_of(m)
    ]
    assert pip_row(bot, pip_id(bot)).status == "preconditions"


def test_hr_can_ask_for_changes_and_the_manager_edits_and_resends(bot: Bot) -> None:
    earlier_conversations(bot, 2)
    start(bot)
    press_in(bot, HR, latest_with(bot, HR, "pip_hr_changes"), "pip_hr_changes")
    submit(bot, HR, {"changes": "Add the dates of the reopened PRs"})

    assert pip_row(bot, pip_id(bot)).status == "changes_requested"
    message = latest_with(bot, MANAGER, "pip_edit_preconditions")
    assert "Add the dates of the reopened PRs" in text_of(message)
    press_in(bot, MANAGER, message, "pip_edit_preconditions")
    submit(bot, MANAGER, {"gap_evidence": "PRs #412 (3 Feb), #418 (10 Feb) reopened"})
    assert pip_row(bot, pip_id(bot)).status == "preconditions"
    assert "PRs #412 (3 Feb)" in text_of(latest_with(bot, HR, "pip_hr_acknowledge"))


def test_the_whole_opening_ends_with_the_engineer_agreeing_to_each_criterion(bot: Bot) -> None:
    earlier_conversations(bot, 2)
    start(bot)
    acknowledge(bot)
    assert pip_row(bot, pip_id(bot)).status == "planning"
    write_plan(bot)
    opening = latest_with(bot, MANAGER, "pip_mark_opened")
    assert "that this is a formal process" in text_of(opening)
    assert not [
        m for m in dm_messages(bot, ENGINEER) if "Performance Improvement Plan" in text_of(m)
    ]

    mark_opened(bot)

    plan = latest_with(bot, ENGINEER, "pip_received")
    text = text_of(plan)
    assert "This is a formal Performance Improvement Plan" in text
    for part in ("concern_0", "evidence_0", "criterion_0", "consequence", "support_what_0"):
        assert str(PLAN[part]) in text
    press_in(bot, ENGINEER, plan, "pip_received")
    press_in(bot, ENGINEER, latest_with(bot, ENGINEER, "pip_agree"), "pip_agree")
    pip = pip_row(bot, pip_id(bot))
    assert pip.status == "open" and pip.received_at is not None
    assert [c.agreed for c in pip.criteria] == [True]
    assert len(pip.checkpoints) == 8
    assert audit_actions(bot, pip.id) == [
        "pip.preconditions",
        "pip.hr_acknowledged",
        "pip.planned",
        "pip.opened",
        "pip.received",
        "pip.criterion_answered",
    ]


def test_a_criterion_changed_after_agreement_asks_the_engineer_again(bot: Bot) -> None:
    pid = opened_pip(bot)
    press_in(bot, ENGINEER, latest_with(bot, ENGINEER, "pip_agree"), "pip_agree")
    home = _manager_home(bot)
    bot.slack.block_action(MANAGER, f"pip_write_plan_{pid}", f'{{"pip_id": {pid}}}', view=home)
    submit(
        bot,
        MANAGER,
        {"criterion_0": "Every PR includes tests for the changed code, as checked by the reviewer"},
    )

    again = latest_with(bot, ENGINEER, "pip_agree")
    assert "changed criteria of your PIP" in text_of(again)
    assert [c.agreed for c in pip_row(bot, pid).criteria] == [False]


def _manager_home(bot: Bot) -> dict[str, object]:
    bot.slack.event({"type": "app_home_opened", "user": MANAGER, "tab": "home"})
    home = bot.fake.views[f"home:{MANAGER}"]
    return {**home, "id": home.get("id", "VHOME")}


def test_a_comment_instead_of_agreement_is_recorded_and_told_to_the_manager(bot: Bot) -> None:
    pid = opened_pip(bot)
    press_in(bot, ENGINEER, latest_with(bot, ENGINEER, "pip_comment"), "pip_comment")
    submit(bot, ENGINEER, {"comment": "Reviewers differ: can we name two reviewers?"})

    [criterion] = pip_row(bot, pid).criteria
    assert (criterion.answer, criterion.comment) == (
        "commented",
        "Reviewers differ: can we name two reviewers?",
    )
    assert any("Reviewers differ" in text_of(m) for m in dm_messages(bot, MANAGER))


@pytest.mark.parametrize(
    ("classification", "words"),
    [("conduct", "a conduct process"), ("capability", "redeployment or redundancy")],
)
def test_conduct_or_capability_is_recorded_and_stops(
    bot: Bot, classification: str, words: str
) -> None:
    command(bot, MANAGER, f"<@{ENGINEER}|ana>")
    response = submit(bot, MANAGER, {"classification": classification})

    assert words in text_of_view(response.json()["view"])
    assert pip_row(bot, pip_id(bot)).status == "referred"
    assert dm_messages(bot, HR) == []
    assert audit_actions(bot, pip_id(bot)) == ["pip.referred"]


def test_add_buttons_add_a_criterion_and_a_support_item_keeping_what_was_typed(bot: Bot) -> None:
    earlier_conversations(bot, 2)
    start(bot)
    acknowledge(bot)
    press_in(bot, MANAGER, latest_with(bot, MANAGER, "pip_write_plan"), "pip_write_plan")
    view = bot.fake.last_view(MANAGER)
    assert view is not None
    typed = input_values(view, {"criterion_0": PLAN["criterion_0"]})
    for action in ("pip_add_criterion", "pip_add_support"):
        current = bot.fake.last_view(MANAGER)
        assert current is not None
        bot.slack.block_action(MANAGER, action, "add", view={**current, "state": {"values": typed}})

    grown = bot.fake.last_view(MANAGER)
    assert grown is not None
    blocks = {b.get("block_id") for b in grown["blocks"]}
    assert {"criterion_1", "support_what_1", "support_who_1"} <= blocks
    first = next(b for b in grown["blocks"] if b.get("block_id") == "criterion_0")
    assert first["element"]["initial_value"] == PLAN["criterion_0"]
    submit(
        bot,
        MANAGER,
        {
            **PLAN,
            "criterion_1": "Every PR includes tests for its changed code, as checked by reviewers",
        },
    )
    assert [c.position for c in pip_row(bot, pip_id(bot)).criteria] == [1, 2]
