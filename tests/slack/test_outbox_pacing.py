"""The sender paces itself per channel and works on many channels at once: with the fake
Slack enforcing one message a second per channel, one busy channel delays only its own rows,
nothing is refused with a 429, and every row is posted exactly once. Order, not time, is
checked (tests never assert wall-clock times)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.services.outbox.queue import enqueue
from bot.services.outbox.registry import Kind, register
from bot.slack.views.prompts import Message
from storage.models import Prompt
from storage.unit_of_work import UnitOfWork
from tests.conftest import Bot

SHARED = "CSHARED"
OWN = [f"COWN{n}" for n in range(6)]


def _note(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Message:
    return Message(f"note {prompt.key}", [])


PACED_NOTE = register(Kind("test_paced_note", to="channel", render=_note))


def _enqueue(bot: Bot, rows: list[tuple[str, str]]) -> None:
    with bot.uow() as uow:
        for key, channel in rows:
            enqueue(
                uow,
                "test_paced_note",
                key=key,
                team_id="T0001",
                now=bot.clock.now,
                settings=bot.runtime.settings,
                channel=channel,
            )
        uow.commit()


def _posts(bot: Bot) -> list[tuple[str, str]]:
    ok = {id(c) for c in bot.fake.rate_limited}
    return [
        (str(c.args["channel"]), str(c.args["text"]))
        for c in bot.fake.calls_to("chat.postMessage")
        if id(c) not in ok
    ]


def test_one_busy_channel_does_not_hold_up_the_others(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bot.runtime.sender is not None
    monkeypatch.setattr(bot.runtime.sender, "wake", lambda ids: None)  # the tick sends them
    for channel in [SHARED, *OWN]:
        bot.fake.add_channel(channel, name=channel.lower(), members=["UANA", "UBOT"])
    shared = [(f"shared:{n}", SHARED) for n in range(4)]
    own = [(f"own:{n}", channel) for n, channel in enumerate(OWN)]
    _enqueue(bot, shared + own)  # the shared channel's rows first in the queue
    bot.fake.limit_rate("chat.postMessage", 1.0, 1)
    report = bot.runtime.tick(bot.clock.now)
    assert report.sent == len(shared) + len(own)
    posts = _posts(bot)
    assert sorted(text for _, text in posts) == sorted(f"note {key}" for key, _ in shared + own)
    assert bot.fake.rate_limited == []  # the sender kept to the pace: Slack refused nothing
    second_shared = [i for i, (channel, _) in enumerate(posts) if channel == SHARED][1]
    last_own = max(i for i, (channel, _) in enumerate(posts) if channel != SHARED)
    assert last_own < second_shared  # no own-channel row waited for the shared channel
    with bot.uow() as uow:
        rows = list(uow.session.scalars(select(Prompt).where(Prompt.kind == "test_paced_note")))
        assert {(r.status, r.attempts) for r in rows} == {("sent", 1)}


def test_a_429_on_one_channel_is_waited_out_there_only_and_posts_once(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bot.runtime.sender is not None
    monkeypatch.setattr(bot.runtime.sender, "wake", lambda ids: None)
    for channel in [SHARED, *OWN[:3]]:
        bot.fake.add_channel(channel, name=channel.lower(), members=["UANA", "UBOT"])
    _enqueue(bot, [("busy", SHARED), *((f"own:{n}", c) for n, c in enumerate(OWN[:3]))])
    bot.fake.rate_limit_next("chat.postMessage", retry_after=2)  # whichever post comes first
    report = bot.runtime.tick(bot.clock.now)
    assert report.sent == 4
    [refused] = bot.fake.rate_limited
    busy = str(refused.args["channel"])
    posts = _posts(bot)
    assert sorted(text for _, text in posts) == [
        "note busy",
        "note own:0",
        "note own:1",
        "note own:2",
    ]
    assert posts[-1][0] == busy  # waited out Retry-After there, after the others went out
