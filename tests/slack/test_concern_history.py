"""The count and dates of an engineer's early-intervention conversations, which a PIP needs:
their current manager may ask, HR once a formal process is open; nobody else, and nobody ever
gets what was said."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime, timezone

import pytest

from bot.domain.policy import Actor
from bot.services.concern_history import EarlierConversations, earlier_conversations
from bot.services.concerns import ConcernRefused
from tests.conftest import TEAM, Bot
from tests.slack.concern_helpers import record, seed_team


@pytest.fixture(autouse=True)
def history(bot: Bot) -> None:
    """Maya talks with Ana twice (a recap after the first), then Ana moves to Otto."""
    seed_team(bot)
    record(bot, recap=["recap"])
    bot.clock.now = datetime(2027, 1, 18, 10, tzinfo=timezone.utc)
    record(bot)
    with bot.uow() as uow:
        ana, otto = uow.people.get(TEAM, "UANA"), uow.people.get(TEAM, "UOTTO")
        assert ana is not None and otto is not None
        ana.manager = otto
        uow.commit()


def ask(bot: Bot, user: str, *, is_hr: bool = False, escalated: bool = False) -> object:
    with bot.uow() as uow:
        person, ana = uow.people.get(TEAM, user), uow.people.get(TEAM, "UANA")
        assert person is not None and ana is not None
        actor = Actor(TEAM, person.id, is_hr=is_hr)
        try:
            return earlier_conversations(uow, actor, ana, escalated=escalated)
        except ConcernRefused:
            return "refused"


def test_the_engineers_current_manager_gets_the_count_and_dates_of_every_conversation(
    bot: Bot,
) -> None:
    found = ask(bot, "UOTTO")

    assert isinstance(found, EarlierConversations)
    assert found.count == 2
    assert found.dates == (date(2027, 1, 4), date(2027, 1, 18))
    assert [c.recap_sent for c in found.conversations] == [True, False]
    assert found.recaps_sent == 1


def test_nothing_that_was_said_is_in_the_answer(bot: Bot) -> None:
    found = ask(bot, "UOTTO")

    assert isinstance(found, EarlierConversations)
    assert {f.name for f in fields(found.conversations[0])} == {"held_on", "number", "recap_sent"}


def test_hr_gets_them_only_once_a_formal_process_is_open(bot: Bot) -> None:
    assert ask(bot, "UHANA", is_hr=True) == "refused"

    found = ask(bot, "UHANA", is_hr=True, escalated=True)

    assert isinstance(found, EarlierConversations) and found.count == 2


@pytest.mark.parametrize("user", ["UMAYA", "UANA", "UBEN", "UCHIDI"])
@pytest.mark.parametrize("escalated", [False, True])
def test_anyone_else_is_refused_even_once_a_formal_process_is_open(
    bot: Bot, user: str, escalated: bool
) -> None:
    """Maya recorded them but no longer manages Ana: her own record stays hers, in App Home."""
    assert ask(bot, user, escalated=escalated) == "refused"
