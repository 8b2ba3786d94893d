"""HR's digest in the private HR channel: on its day and hour, once, the counts first and the
items in its thread; a *Nudge the manager* button; a public channel gets no names."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import select

from bot.runtime import Runtime, build_runtime
from bot.services.hr_post import DigestPoster
from storage.hr_models import HrNudge
from tests.conftest import Bot, settings_for
from tests.hr_support import MARK, NOW, Org, person, seed
from tests.slack.helpers import dm_messages

# Monday 1 March 2027, 10:00 UTC: the weekly digest's day (HR_DIGEST_HOUR 9, UTC).
MONDAY = NOW


def seeded(bot: Bot) -> None:
    bot.clock.now = MONDAY
    with bot.uow() as uow:
        seed(uow.session)
        uow.commit()


def another_runtime(bot: Bot, **settings: Any) -> Runtime:
    """Another instance on the same database; the digest weekly unless said otherwise."""
    changed = settings_for(bot.fake).model_copy(update={"hr_digest": "weekly", **settings})
    return build_runtime(changed, clock=bot.clock, engine=bot.runtime.engine)


@pytest.fixture
def bot(bot: Bot) -> Bot:
    """The app with HR's weekly digest on (the shared fixture has it off)."""
    weekly = bot.runtime.settings.model_copy(update={"hr_digest": "weekly"})
    bot.runtime.digests = DigestPoster(bot.runtime.uow, bot.runtime.gateway, weekly)
    return bot


def settle(runtime: Runtime) -> None:
    runtime.app.wait_for_background()
    if runtime.sender is not None:
        runtime.sender.wait_idle()


def channel_messages(bot: Bot, channel: str = "CHR") -> list[dict[str, Any]]:
    return bot.fake.messages(channel)


def texts(message: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in message.get("blocks", []) if b.get("type") == "section"]


def test_the_digest_is_posted_on_its_day_once_with_counts_first_and_items_in_its_thread(
    bot: Bot,
) -> None:
    seeded(bot)
    bot.runtime.tick(MONDAY - timedelta(hours=2))  # 08:00: before the hour
    assert channel_messages(bot) == []
    bot.runtime.tick(MONDAY)
    settle(bot.runtime)
    second = another_runtime(bot)  # another instance ticking the same minute
    second.tick(MONDAY + timedelta(minutes=1))
    bot.runtime.tick(MONDAY + timedelta(hours=3))
    settle(second)
    settle(bot.runtime)
    summary, *replies = channel_messages(bot)
    assert summary["text"] == "HR digest for Mon 1 Mar 2027: 6 items need attention"
    assert texts(summary)[0].splitlines() == [
        "*6 items need attention* as of Mon 1 Mar 2027:",
        "• PDPs with no review for over 35 days: *1*",
        "• Manager commitments overdue by more than 14 days: *1*",
        "• Goals carried two or more periods without progress: *1*",
        "• Messages that could not be delivered: *1*",
        "• Plans paused: *1*",
        "• Check-ins unanswered after their nudge: *1*",
    ]
    [part] = replies
    assert part["thread_ts"] == summary["ts"]
    lines = texts(part)
    assert lines[0] == "*PDPs with no review for over 35 days* (1)"
    assert lines[1] == "*Ana Ruiz* (manager Maya Okafor): no review for *56 days* (never reviewed)"
    assert len(lines) == 12
    buttons = [b["accessory"]["text"]["text"] for b in part["blocks"] if "accessory" in b]
    assert buttons == ["Nudge the manager"] * 6
    assert MARK not in json.dumps(channel_messages(bot))


def test_a_weekly_digest_waits_for_its_weekday_and_a_daily_one_comes_every_day(
    bot: Bot,
) -> None:
    seeded(bot)
    tuesday = MONDAY + timedelta(days=1)
    bot.runtime.tick(tuesday)
    assert channel_messages(bot) == []
    daily = another_runtime(bot, hr_digest="daily", hr_digest_hour=10, hr_tz="Asia/Tokyo")
    daily.tick(tuesday)  # 19:00 in Tokyo: Tuesday's digest is due
    settle(daily)
    assert channel_messages(bot)[0]["text"].startswith("HR digest for Tue 2 Mar 2027")


def test_nothing_to_report_says_so_in_one_line_or_is_skipped(bot: Bot) -> None:
    bot.clock.now = MONDAY
    with bot.uow() as uow:
        person(uow.session, Org(), "UHANA", "Hana Sato")
        uow.commit()
    bot.runtime.tick(MONDAY)
    settle(bot.runtime)
    [message] = channel_messages(bot)
    assert texts(message) == [
        "HR digest, Mon 1 Mar 2027: nothing needs attention. Every PDP has been reviewed in "
        "the last 35 days, no commitment or checkpoint is overdue and every message was "
        "delivered."
    ]
    skipping = another_runtime(bot, hr_digest="daily", hr_digest_when_empty="skip")
    skipping.tick(MONDAY + timedelta(days=1))
    settle(skipping)
    assert len(channel_messages(bot)) == 1


def test_a_public_hr_channel_gets_one_line_saying_why_and_no_names(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    seeded(bot)
    bot.fake.add_channel("CPUB", name="hr-public", is_private=False, members=["UHANA", "UBOT"])
    public = another_runtime(bot, hr_channel_id="CPUB")
    with caplog.at_level(logging.ERROR, logger="pdpbot.hr"):
        public.tick(MONDAY)
        settle(public)
    [message] = channel_messages(bot, "CPUB")
    assert texts(message) == [
        "This channel is not private, so pdpbot posts no HR digest here: it would name people. "
        "Make a private channel for HR, invite pdpbot and set HR_CHANNEL_ID to it."
    ]
    everything = json.dumps(message)
    assert not any(name in everything for name in ("Ana", "Maya", "Chidi", "Otto", "Priya"))
    assert [r.getMessage() for r in caplog.records] == [
        "the HR channel CPUB is not private: the digest of 2027-03-01 names nobody; pdpbot "
        "posts one line there saying why (use a private channel for HR)"
    ]


def test_a_bot_not_in_the_hr_channel_posts_nothing_and_says_so_once(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    seeded(bot)
    bot.fake.add_channel("CHR", name="hr-private", is_private=True, members=["UHANA"])
    with caplog.at_level(logging.ERROR, logger="pdpbot.hr"):
        bot.runtime.tick(MONDAY)
        bot.runtime.tick(MONDAY + timedelta(minutes=1))
    assert bot.fake.calls_to("chat.postMessage") == []
    assert [r.getMessage() for r in caplog.records] == [
        "the HR channel CHR cannot be reached (channel_not_found): no HR digest for "
        "2027-03-01; invite pdpbot to it (/invite @pdpbot) and run `pdpbot doctor`"
    ]


def _posted_part(bot: Bot) -> dict[str, Any]:
    seeded(bot)
    bot.runtime.tick(MONDAY)
    settle(bot.runtime)
    return channel_messages(bot)[1]


def _press(bot: Bot, user: str, part: dict[str, Any], block: str) -> None:
    button = next(b["accessory"] for b in part["blocks"] if b.get("block_id") == block)
    response = bot.slack.block_action(
        user, "hr_nudge", button["value"], block_id=block, message=part, channel="CHR"
    )
    assert response.status == 200
    settle(bot.runtime)


def test_nudging_a_manager_sends_a_templated_dm_records_it_and_the_item_says_so(
    bot: Bot,
) -> None:
    part = _posted_part(bot)
    [block] = [
        b["block_id"] for b in part["blocks"] if b.get("block_id", "").endswith("unreviewed")
    ]
    bot.clock.now = MONDAY + timedelta(hours=1)
    _press(bot, "UHANA", part, block)
    [dm] = dm_messages(bot, "UMAYA")
    assert texts(dm) == [
        "*Hana Sato* from HR asks you to look at this item of HR's digest of Mon 1 Mar 2027:",
        "*Ana Ruiz* (manager Maya Okafor): no review for *56 days* (never reviewed)",
    ]
    with bot.uow() as uow:
        [nudge] = uow.session.scalars(select(HrNudge)).all()
        assert (nudge.item_key, nudge.nudged_at) == (block, MONDAY + timedelta(hours=1))
    redrawn = channel_messages(bot)[1]
    line = next(b for b in redrawn["blocks"] if b.get("block_id") == block)["text"]["text"]
    assert line.endswith("\n_Nudged on Mon 1 Mar 2027 by <@UHANA>_")
    _press(bot, "UHANA", redrawn, block)  # pressed again: recorded, no second DM
    assert len(dm_messages(bot, "UMAYA")) == 1


def test_someone_outside_the_hr_channel_cannot_nudge_and_is_refused_as_for_a_made_up_item(
    bot: Bot,
) -> None:
    part = _posted_part(bot)
    block = next(b["block_id"] for b in part["blocks"] if "accessory" in b)
    _press(bot, "UBEN", part, block)
    forged = json.dumps({"digest_id": 999, "key": block})
    bot.slack.block_action("UHANA", "hr_nudge", forged, block_id=block, message=part, channel="CHR")
    settle(bot.runtime)
    refusals = [c.args["text"] for c in bot.fake.calls_to("chat.postEphemeral")]
    assert len(refusals) == 2 and refusals[0] == refusals[1]
    assert dm_messages(bot, "UMAYA") == dm_messages(bot, "UBEN") == []
    with bot.uow() as uow:
        assert uow.session.scalars(select(HrNudge)).all() == []


def test_every_digest_message_is_sent_with_its_times_as_of_the_tick(bot: Bot) -> None:
    seeded(bot)
    bot.runtime.tick(MONDAY)
    settle(bot.runtime)
    assert {m["ts"][:10] for m in channel_messages(bot)} == {
        str(int(datetime(2027, 3, 1, 10, tzinfo=timezone.utc).timestamp()))
    }
