"""Who may create, view, follow up and close a concern, through signed requests: only the
manager who recorded it. Every refusal is identical whether or not a concern exists."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.fakeslack import input_values
from storage.models import Concern
from tests.conftest import TEAM, Bot
from tests.slack.concern_helpers import (
    GOOD,
    audit_actions,
    command,
    concern_row,
    open_modal,
    record,
    seed_team,
)

MANAGER, OTHER_MANAGER, ENGINEER, OTHER_ENGINEER, HR = "UMAYA", "UOTTO", "UANA", "UBEN", "UHANA"
OTHERS = [OTHER_MANAGER, ENGINEER, OTHER_ENGINEER, HR]
REFUSED = "Sorry, that isn’t something you can do. Early-intervention notes are seen and changed only by the manager who recorded them."  # noqa: E501
NOT_YOUR_REPORT = "I don’t have <@UANA> down as one of them"
MISSING = 987654  # an id no concern has


@pytest.fixture(autouse=True)
def team(bot: Bot) -> None:
    seed_team(bot)


def observed(bot: Bot, response: Any, before: int) -> tuple[Any, list[tuple[str, str, str]]]:
    """What a person sees of one request: the HTTP answer, and every Slack call it caused
    (method, where, text), without timestamps or ids that differ between two runs."""
    bot.runtime.app.wait_for_background()
    calls = [
        (c.method, str(c.args.get("channel") or c.args.get("user_id") or ""), _text_of(c.args))
        for c in bot.fake.calls[before:]
        if c.method != "auth.test"  # Bolt's own, once per process
    ]
    return response.json() if response.text else None, calls


def _text_of(args: dict[str, Any]) -> str:
    if "text" in args:
        return str(args["text"])
    return json.dumps(args.get("view", {}).get("blocks", []), sort_keys=True)


def attempt(bot: Bot, user: str, act: str, concern_id: int) -> tuple[Any, list[Any]]:
    before = len(bot.fake.calls)
    value = json.dumps({"concern_id": concern_id, "number": 1})
    if act == "create":
        response = bot.slack.command("/pdp-concern", "<@UANA|ana>", user=user)
    elif act == "view":
        response = bot.slack.block_action(user, f"open_concern_{concern_id}", value)
    elif act == "follow up":
        response = bot.slack.block_action(user, "concern_resolved", value)
    elif act == "another":
        response = bot.slack.block_action(user, "concern_another", value)
    else:
        response = bot.slack.block_action(user, "close_concern", value)
    assert response.status == 200, response.text
    return observed(bot, response, before)


def refusal_text(seen: tuple[Any, list[Any]]) -> str:
    body, calls = seen
    if body and body.get("text"):
        return str(body["text"])
    [(method, _where, text)] = calls
    assert method == "chat.postMessage"
    return text


@pytest.mark.parametrize("act", ["view", "follow up", "another", "close"])
@pytest.mark.parametrize("user", OTHERS)
def test_nobody_but_the_recording_manager_can_touch_a_concern_and_cannot_tell_it_exists(
    bot: Bot, user: str, act: str
) -> None:
    concern_id = record(bot)

    on_existing = attempt(bot, user, act, concern_id)
    on_missing = attempt(bot, user, act, MISSING)

    assert on_existing == on_missing
    assert refusal_text(on_existing) == REFUSED
    assert "Ana" not in str(on_existing) and "PR" not in str(on_existing)
    concern = concern_row(bot, concern_id)
    assert concern.status == "open" and [c.outcome for c in concern.conversations] == [None]
    assert audit_actions(bot, concern_id) == ["concern.opened"]


@pytest.mark.parametrize("act", ["view", "follow up", "another", "close"])
def test_the_manager_gets_the_same_refusal_for_a_concern_that_does_not_exist(
    bot: Bot, act: str
) -> None:
    concern_id = record(bot)
    someone_else = attempt(bot, OTHER_MANAGER, act, concern_id)

    mine_missing = attempt(bot, MANAGER, act, MISSING)

    assert refusal_text(mine_missing) == refusal_text(someone_else) == REFUSED


@pytest.mark.parametrize("user", OTHERS)
def test_creating_a_concern_is_refused_alike_before_and_after_one_exists(
    bot: Bot, user: str
) -> None:
    before = attempt(bot, user, "create", 0)
    record(bot)

    after = attempt(bot, user, "create", 0)

    assert before == after
    expected = "can’t record one about yourself" if user == ENGINEER else NOT_YOUR_REPORT
    assert expected in refusal_text(after)
    assert [c for c in after[1] if c[0] == "views.open"] == []


def test_the_recording_manager_may_do_each_act(bot: Bot) -> None:
    concern_id = record(bot)

    created = attempt(bot, MANAGER, "create", 0)
    viewed = attempt(bot, MANAGER, "view", concern_id)
    closed = attempt(bot, MANAGER, "close", concern_id)

    assert [c[0] for c in created[1]] == ["views.open"]
    assert [c[0] for c in viewed[1]] == ["views.open"]
    assert "Closed: the concern about Ana Ruiz is no longer open" in str(closed)
    second = record(bot)  # a new thread, then its follow-up
    followed = attempt(bot, MANAGER, "follow up", second)
    assert "nothing further is needed" in str(followed)


@pytest.mark.parametrize("user", OTHERS)
def test_a_replayed_conversation_modal_is_refused_alike_whether_the_thread_exists(
    bot: Bot, user: str
) -> None:
    concern_id = record(bot)
    view = open_modal(bot, MANAGER, ENGINEER)  # Maya's modal for conversation 2
    meta = json.loads(view["private_metadata"])

    def replay(thread_id: int) -> tuple[Any, list[Any]]:
        forged = {**view, "private_metadata": json.dumps({**meta, "thread_id": thread_id})}
        before = len(bot.fake.calls)
        response = bot.slack.view_submission(user, forged, input_values(forged, GOOD))
        return observed(bot, response, before)

    on_existing, on_missing = replay(concern_id), replay(MISSING)

    assert on_existing == on_missing
    assert REFUSED in str(on_existing)
    assert [c.number for c in concern_row(bot, concern_id).conversations] == [1]


@pytest.mark.parametrize("user", OTHERS)
def test_a_replayed_new_concern_modal_saves_nothing_for_anyone_else(bot: Bot, user: str) -> None:
    view = open_modal(bot, MANAGER, ENGINEER)

    response = bot.slack.view_submission(user, view, input_values(view, GOOD))

    assert response.json()["errors"] == {"held_on": REFUSED}
    with bot.uow() as uow:
        assert uow.session.query(Concern).count() == 0


def test_the_engineer_is_refused_about_their_own_concern_like_anyone_else(bot: Bot) -> None:
    record(bot)

    body = command(bot, ENGINEER, "<@UANA|ana>").json()

    assert "can’t record one about yourself" in body["text"]
    with bot.uow() as uow:
        ana = uow.people.get(TEAM, ENGINEER)
        assert ana is not None and ana.manager is not None
