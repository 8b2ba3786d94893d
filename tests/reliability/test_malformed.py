"""Malformed requests never reach HTTP 500 (issue 9, item 10): shapes Slack never sends are
acknowledged and dropped; Slack-shaped garbage gets a specific message; what metadata may
ask for is bounded."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.fakeslack import FakeSlack, input_values
from prompts import render
from tests.conftest import TEAM, Bot
from tests.reliability import world
from tests.reliability.world import ENGINEER, GROUP, MANAGER, button, snapshot

MALFORMED = render("errors/malformed")
STALE = render("errors/stale_button")


@pytest.fixture(autouse=True)
def seeded(bot: Bot) -> None:
    world.seed(bot)


def _action(bot: Bot, **changes: Any) -> dict[str, Any]:
    payload = bot.slack._interaction("block_actions", ENGINEER)
    payload.update(
        trigger_id=bot.fake.issue_trigger(ENGINEER),
        channel={"id": GROUP, "name": "mpdm-everyone"},
        container={"type": "message", "channel_id": GROUP, "message_ts": "1.2"},
        actions=[{"action_id": "open_plan", "block_id": "b", "type": "button", "value": "{}"}],
    )
    payload.update(changes)
    return payload


def _view(**changes: Any) -> dict[str, Any]:
    view = {
        "id": "V0FORGED",
        "type": "modal",
        "callback_id": "pdp_draft",
        "blocks": [],
        "private_metadata": "{}",
        "state": {"values": {}},
    }
    return {**view, **changes}


SHAPES_SLACK_NEVER_SENDS = {
    "a button with channel: 5": lambda bot: {"payload": json.dumps(_action(bot, channel=5))},
    "actions: []": lambda bot: {"payload": json.dumps(_action(bot, actions=[]))},
    "an action that is a string": lambda bot: {"payload": json.dumps(_action(bot, actions=["x"]))},
    "a payload that is not JSON": lambda bot: {"payload": "{not json"},
    "a payload that is a JSON list": lambda bot: {"payload": "[1, 2]"},
    "a view whose blocks is a number": lambda bot: {
        "payload": json.dumps(
            {**bot.slack._interaction("view_submission", ENGINEER), "view": _view(blocks=5)}
        )
    },
    "a view whose state is a list": lambda bot: {
        "payload": json.dumps(
            {**bot.slack._interaction("view_submission", ENGINEER), "view": _view(state=[])}
        )
    },
    "a user that is a number": lambda bot: {"payload": json.dumps(_action(bot, user=7))},
    "a form with nothing Slack sends": lambda bot: {"hello": "there"},
}


@pytest.mark.parametrize("shape", list(SHAPES_SLACK_NEVER_SENDS))
def test_a_signed_request_in_a_shape_slack_never_sends_is_acknowledged_and_changes_nothing(
    bot: Bot, shape: str
) -> None:
    before = snapshot(bot)
    response = bot.slack.post_form(SHAPES_SLACK_NEVER_SENDS[shape](bot))
    assert response.status == 200
    assert response.text == ""
    assert snapshot(bot) == before


def test_a_json_body_that_is_not_an_event_is_acknowledged(bot: Bot) -> None:
    for body in (b"[]", b"{", b'{"type": 5}', b'{"type": "event_callback", "event": "x"}'):
        assert bot.slack.post(body, "application/json").status == 200


def test_an_unsigned_malformed_request_is_refused_as_unsigned_not_read(bot: Bot) -> None:
    body = urlencode({"payload": "{not json"}).encode()
    response = bot.slack.post(body, "application/x-www-form-urlencoded", signature="v0=bad")
    assert response.status == 401


def test_a_slash_command_without_a_user_is_answered_in_words(bot: Bot) -> None:
    fields = {"command": "/pdp", "text": "", "team_id": TEAM, "trigger_id": "1.2.3"}
    response = bot.slack.post_form(fields)
    assert response.status == 200
    assert response.json() == {"response_type": "ephemeral", "text": MALFORMED}


def test_a_button_no_listener_knows_is_acknowledged_and_the_person_told(bot: Bot) -> None:
    response = bot.slack.block_action(ENGINEER, "a_button_from_2019", "{}", channel=GROUP)
    assert response.status == 200
    [told] = bot.fake.calls_to("chat.postEphemeral")
    assert told.args["text"] == STALE and told.args["user"] == ENGINEER


def test_an_unknown_modal_is_acknowledged(bot: Bot) -> None:
    view = _view(callback_id="a_modal_from_2019")
    assert bot.slack.view_submission(ENGINEER, view, {}).status == 200


def _reschedule_modal(bot: Bot) -> dict[str, Any]:
    prompt_id = world.prompt_id(bot, world.plan(bot), "progress_check")
    button(bot, ENGINEER, "open_reschedule", {"prompt_id": prompt_id})
    view = bot.fake.last_view(ENGINEER)
    assert view is not None
    return view


def test_an_impossible_date_is_named_under_its_field(bot: Bot) -> None:
    view = _reschedule_modal(bot)
    values = input_values(view, {"date": "2027-02-30"})
    before = snapshot(bot)
    response = bot.slack.view_submission(ENGINEER, view, values)
    assert response.json() == {
        "response_action": "errors",
        "errors": {"date": render("errors/bad_date")},
    }
    assert snapshot(bot) == before


@pytest.mark.parametrize("raw", ["30/02/2027", "", "2027-02-30T00:00", "２０２７-０２-０１"])
def test_dates_no_date_picker_sends_are_refused_or_asked_for_again(bot: Bot, raw: str) -> None:
    view = _reschedule_modal(bot)
    response = bot.slack.view_submission(ENGINEER, view, input_values(view, {"date": raw}))
    assert response.status == 200
    assert response.json()["response_action"] == "errors"


def test_a_field_the_form_never_had_gets_a_specific_message(bot: Bot) -> None:
    plan_id = world.plan(bot)
    prompt_id = world.prompt_id(bot, plan_id, "progress_check")
    button(bot, MANAGER, "open_checkin", {"prompt_id": prompt_id})
    view = bot.fake.last_view(MANAGER)
    assert view is not None
    values = input_values(view, {})
    values["commitment_x"] = {
        "state": {"type": "radio_buttons", "selected_option": {"value": "delivered"}}
    }
    before = snapshot(bot)
    response = bot.slack.view_submission(MANAGER, view, values)
    assert render("errors/unknown_field") in json.dumps(response.json())
    assert snapshot(bot) == before


def test_add_a_goal_pressed_from_a_message_says_it_belongs_in_the_form(bot: Bot) -> None:
    response = bot.slack.block_action(ENGINEER, "add_goal", None, channel=GROUP)
    assert response.status == 200
    [told] = bot.fake.calls_to("chat.postEphemeral")
    assert told.args["text"] == render("errors/only_in_form")


@pytest.mark.parametrize(
    "meta",
    [
        {"slots": 20_000_000},
        {"slots": -1},
        {"goal_ids": list(range(1, 5000))},
        {"plan_id": 10**30},
        {"reviews": {"not a review": "2027-01-04"}},
        {"warned": "x" * 5000},
    ],
    ids=["slots", "negative slots", "goal ids", "huge id", "review key", "long warned"],
)
def test_metadata_asking_for_too_much_is_refused_before_anything_is_built(
    bot: Bot, fake_slack: FakeSlack, meta: dict[str, Any]
) -> None:
    bot.slack.command("/pdp", "", user=ENGINEER)
    view = bot.fake.last_view(ENGINEER)
    assert view is not None
    forged = {**view, "private_metadata": json.dumps(meta)}
    response = bot.slack.block_action(ENGINEER, "add_goal", None, view=forged)
    assert response.status == 200
    assert bot.fake.calls_to("views.update") == []
    told = [c.args["text"] for c in bot.fake.calls_to("chat.postMessage")]
    assert told == [STALE]


def test_a_ten_thousand_character_command_is_answered_briefly(bot: Bot) -> None:
    response = bot.slack.command("/pdp", "x" * 10_000, user=ENGINEER)
    assert response.status == 200
    assert len(response.json()["text"]) < 4000
