"""/pdp-concern: recording an early-intervention conversation, through signed requests."""

from __future__ import annotations

from datetime import date

import pytest

from storage.models import Person
from tests.conftest import TEAM, Bot
from tests.slack.concern_helpers import (
    CONCERN,
    CONTEXT_NOTES,
    EXPECTATION,
    GOOD,
    SUPPORT,
    audit_actions,
    audit_events,
    command,
    concern_count,
    concern_row,
    home_of,
    open_modal,
    record,
    seed_team,
    submit,
)
from tests.slack.helpers import text_of_view


@pytest.fixture(autouse=True)
def team(bot: Bot) -> None:
    seed_team(bot)


def initial(view: dict[str, object], block_id: str) -> object:
    for block in view["blocks"]:  # type: ignore[attr-defined]
        if block.get("block_id") == block_id:
            element = block["element"]
            return element.get("initial_date") or element.get("initial_value")
    raise AssertionError(f"no block {block_id}")


def test_a_manager_records_a_conversation_with_the_guides_five_parts(bot: Bot) -> None:
    view = open_modal(bot, "UMAYA", "UANA")

    text = text_of_view(view)
    assert "Ana Ruiz" in text and "Only you see it" in text
    block_ids = [b.get("block_id") for b in view["blocks"] if b["type"] == "input"]
    assert block_ids == [
        "held_on",
        "concern",
        "context_kind",
        "context_notes",
        "expectation",
        "support",
        "follow_up_on",
        "recap",
    ]
    # Monday 4 January in London; four weeks on is Monday 1 February
    assert initial(view, "held_on") == "2027-01-04"
    assert initial(view, "follow_up_on") == "2027-02-01"
    assert "never health or family detail" in str(view)

    response = submit(bot, "UMAYA", GOOD)

    body = response.json()
    assert body["response_action"] == "update"
    done = text_of_view(body["view"])
    assert "Saved: conversation 1 with Ana Ruiz" in done
    assert "Mon 1 Feb 2027" in done
    [conversation] = concern_row(bot, concern_id := _only_concern(bot)).conversations
    assert (conversation.concern, conversation.context_kind) == (CONCERN, "system")
    assert (conversation.context_notes, conversation.expectation) == (CONTEXT_NOTES, EXPECTATION)
    assert (conversation.support, conversation.follow_up_on) == (SUPPORT, date(2027, 2, 1))
    assert conversation.held_on == date(2027, 1, 4)
    [event] = audit_events(bot, concern_id)
    assert event.action == "concern.opened" and event.before is None
    assert event.after is not None and event.after["conversation"]["expectation"] == EXPECTATION


def _only_concern(bot: Bot) -> int:
    from tests.slack.concern_helpers import open_concern_id

    return open_concern_id(bot, "UMAYA", "UANA")


def test_the_managers_app_home_lists_the_open_concern_and_its_next_follow_up(bot: Bot) -> None:
    record(bot)

    text = text_of_view(home_of(bot, "UMAYA"))

    assert "Your early-intervention notes" in text
    assert "Only you see this section" in text
    assert "*Ana Ruiz* · conversation 1 · follow-up Mon 1 Feb 2027" in text


def test_a_conversation_recorded_later_defaults_to_today_and_can_be_dated_back(bot: Bot) -> None:
    open_modal(bot, "UMAYA", "UANA")

    submit(bot, "UMAYA", {**GOOD, "held_on": "2026-12-30", "follow_up_on": "2027-01-27"})

    [conversation] = concern_row(bot, _only_concern(bot)).conversations
    assert conversation.held_on == date(2026, 12, 30)
    assert conversation.follow_up_on == date(2027, 1, 27)


# --- the language rules, once, next to the field ---------------------------------------


def test_personality_and_an_unobservable_expectation_are_warned_about_once(bot: Bot) -> None:
    open_modal(bot, "UMAYA", "UANA")
    answers = {
        **GOOD,
        "concern": "She is not really a team player and lacks executive presence",
        "expectation": "Improve communication",
    }

    first = submit(bot, "UMAYA", answers).json()

    assert first["response_action"] == "update"
    warned = text_of_view(first["view"])
    assert "“not really a team player” describes who someone is, not what they did" in warned
    assert "“Improve communication” can’t be observed" in warned
    assert "over the next four weeks" in warned
    assert concern_count(bot) == 0

    second = submit(bot, "UMAYA", answers).json()

    assert "Saved: conversation 1" in text_of_view(second["view"])
    assert concern_count(bot) == 1


def test_be_more_proactive_is_not_an_action(bot: Bot) -> None:
    open_modal(bot, "UMAYA", "UANA")

    body = submit(bot, "UMAYA", {**GOOD, "expectation": "Be more proactive"}).json()

    assert "“be more proactive” names a trait, not an action" in text_of_view(body["view"])


def test_a_changed_submission_is_checked_again(bot: Bot) -> None:
    open_modal(bot, "UMAYA", "UANA")
    submit(bot, "UMAYA", {**GOOD, "expectation": "Deliver more consistently"})

    body = submit(bot, "UMAYA", {**GOOD, "expectation": "Take more initiative"}).json()

    assert body["response_action"] == "update"
    assert "“Take more initiative” can’t be observed" in text_of_view(body["view"])
    assert concern_count(bot) == 0


def test_health_detail_in_the_context_notes_is_flagged(bot: Bot) -> None:
    open_modal(bot, "UMAYA", "UANA")

    body = submit(
        bot, "UMAYA", {**GOOD, "context_kind": "personal", "context_notes": "Her divorce"}
    ).json()

    assert "Record only that a personal circumstance was shared" in text_of_view(body["view"])


# --- bad input: errors next to the field, nothing saved --------------------------------


@pytest.mark.parametrize(
    ("answers", "block", "says"),
    [
        ({"concern": ""}, "concern", "Describe the concern"),
        ({"expectation": "  "}, "expectation", "Say what you need to see"),
        ({"follow_up_on": "2027-01-01"}, "follow_up_on", "can’t be in the past"),
        ({"follow_up_on": "2027-01-09"}, "follow_up_on", "isn’t one of your working days"),
        ({"held_on": "2027-01-05"}, "held_on", "can’t be in the future"),
        ({"held_on": "2027-01-04", "follow_up_on": "2027-01-04"}, "follow_up_on", "later date"),
    ],
)
def test_bad_input_is_an_error_next_to_the_field_and_nothing_is_saved(
    bot: Bot, answers: dict[str, object], block: str, says: str
) -> None:
    open_modal(bot, "UMAYA", "UANA")

    body = submit(bot, "UMAYA", {**GOOD, **answers}).json()

    assert body["response_action"] == "errors"
    assert says in body["errors"][block]
    assert concern_count(bot) == 0


def test_a_follow_up_on_a_public_holiday_of_the_managers_country_is_refused(bot: Bot) -> None:
    with bot.uow() as uow:
        maya = uow.people.get(TEAM, "UMAYA")
        assert maya is not None
        maya.country = "GB"
        uow.commit()
    open_modal(bot, "UMAYA", "UANA")

    body = submit(bot, "UMAYA", {**GOOD, "follow_up_on": "2027-03-26"}).json()  # Good Friday

    assert "isn’t one of your working days" in body["errors"]["follow_up_on"]


@pytest.mark.parametrize(
    ("user", "text", "says"),
    [
        ("UMAYA", "", "Tell me who you talked with"),
        ("UMAYA", "about ana", "Tell me who you talked with"),
        ("UMAYA", "<@UMAYA|maya>", "can’t record one about yourself"),
        ("UMAYA", "<@UROBOT|deploybot>", "is an app, not a person"),
        ("UMAYA", "<@UCHIDI|chidi>", "I don’t have <@UCHIDI> down as one of them"),
        ("UANA", "<@UBEN|ben>", "I don’t have <@UBEN> down as one of them"),
    ],
)
def test_a_concern_about_the_wrong_person_is_refused_clearly(
    bot: Bot, user: str, text: str, says: str
) -> None:
    body = command(bot, user, text).json()

    assert body["response_type"] == "ephemeral"
    assert says in body["text"]
    assert bot.fake.calls_to("views.open") == []
    assert concern_count(bot) == 0


def test_a_concern_about_a_deactivated_account_is_refused(bot: Bot) -> None:
    bot.fake.add_user("ULEFT", name="left", real_name="Lee Left", tz="UTC", deleted=True)

    body = command(bot, "UMAYA", "<@ULEFT|left>").json()

    assert "deactivated" in body["text"]
    assert bot.fake.calls_to("views.open") == []


# --- a second concern continues the open thread ----------------------------------------


def test_a_second_concern_continues_the_open_thread_and_says_so(bot: Bot) -> None:
    concern_id = record(bot)

    view = open_modal(bot, "UMAYA", "UANA")

    text = text_of_view(view)
    assert "This continues your open concern about *Ana Ruiz* from Mon 4 Jan 2027" in text
    assert "conversation 2" in text
    assert "The guide expects two or three of these conversations" in text
    body = submit(bot, "UMAYA", {**GOOD, "expectation": "Every PR reviewed within a day"}).json()
    assert "Saved: conversation 2 with Ana Ruiz" in text_of_view(body["view"])
    concern = concern_row(bot, concern_id)
    assert [c.number for c in concern.conversations] == [1, 2]
    assert [c.outcome for c in concern.conversations] == ["another", None]
    assert concern_count(bot) == 1
    assert audit_actions(bot, concern_id) == ["concern.opened", "concern.continued"]


def test_the_guides_two_or_three_is_said_before_the_second_conversation_only(bot: Bot) -> None:
    first = text_of_view(open_modal(bot, "UMAYA", "UANA"))
    submit(bot, "UMAYA", GOOD)
    second = text_of_view(open_modal(bot, "UMAYA", "UANA"))
    submit(bot, "UMAYA", GOOD)
    third = text_of_view(open_modal(bot, "UMAYA", "UANA"))

    expectation = "The guide expects two or three of these conversations"
    assert (expectation in first, expectation in second, expectation in third) == (
        False,
        True,
        False,
    )


def test_the_same_modal_submitted_twice_saves_one_conversation(bot: Bot) -> None:
    open_modal(bot, "UMAYA", "UANA")
    view = bot.fake.last_view("UMAYA")
    assert view is not None
    from bot.fakeslack import input_values

    bot.slack.view_submission("UMAYA", view, input_values(view, GOOD))
    again = bot.slack.view_submission("UMAYA", view, input_values(view, GOOD)).json()

    assert "moved on since you opened this" in str(again)
    assert [c.number for c in concern_row(bot, _only_concern(bot)).conversations] == [1]


def test_a_manager_change_leaves_the_concern_with_the_manager_who_recorded_it(
    bot: Bot,
) -> None:
    concern_id = record(bot)
    with bot.uow() as uow:
        ana, otto = uow.people.get(TEAM, "UANA"), uow.people.get(TEAM, "UOTTO")
        assert isinstance(ana, Person) and isinstance(otto, Person)
        ana.manager = otto
        uow.commit()

    assert "Ana Ruiz" in text_of_view(home_of(bot, "UMAYA"))
    assert "early-intervention" not in text_of_view(home_of(bot, "UOTTO"))
    refused = command(bot, "UMAYA", "<@UANA|ana>").json()
    assert "I don’t have <@UANA> down as one of them" in refused["text"]
    view = open_modal(bot, "UOTTO", "UANA")  # Otto starts his own record, unaware of Maya's
    assert "This continues" not in text_of_view(view)
    submit(bot, "UOTTO", GOOD)
    assert concern_count(bot) == 2
    assert concern_row(bot, concern_id).manager_id != concern_row(bot, concern_id + 1).manager_id
