"""Messages to other people go through the outbox: told what will happen, sent within moments,
never lost when Slack refuses or the process dies, never posted twice. And a feature adds a
kind of message without touching the tick."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.services.due_work import claim
from bot.services.outbox.queue import cancel_pending, enqueue
from bot.services.outbox.registry import Close, Kind, Rendered, register
from bot.slack.views.prompts import Message
from storage.models import Person, Prompt
from storage.unit_of_work import UnitOfWork
from tests.cadence_support import person
from tests.conftest import Bot
from tests.slack.helpers import GOOD_COMMITMENTS, GOOD_DRAFT, dm_messages, open_pdp, press, submit

UTC = timezone.utc


def _outbox(bot: Bot, kind: str) -> list[Prompt]:
    with bot.uow() as uow:
        rows = list(uow.session.scalars(select(Prompt).where(Prompt.kind == kind)))
        uow.session.expunge_all()
        return rows


def _draft_sent(bot: Bot) -> str:
    open_pdp(bot, "UANA")
    return submit(bot, "UANA", GOOD_DRAFT).text


def test_a_draft_reaches_the_manager_at_once_and_the_engineer_is_told_it_will(bot: Bot) -> None:
    answer = _draft_sent(bot)
    assert "Maya Okafor will get your draft in a moment" in answer
    [row] = _outbox(bot, "draft_submitted")
    assert row.status == "sent" and row.attempts == 1  # sent after the commit, no tick needed
    [message] = dm_messages(bot, "UMAYA")
    assert message["ts"] == row.ts
    assert message["metadata"]["event_payload"] == {"key": row.key}


def test_a_rate_limited_dm_is_retried_by_the_tick_and_arrives_once(bot: Bot) -> None:
    _draft_sent(bot)
    press(bot, "UMAYA", "open_manager_modal", message=dm_messages(bot, "UMAYA")[-1])
    # Slack asks for 90 s: longer than the sender holds a row, so it goes back to the queue
    bot.fake.rate_limit_next("chat.postMessage", retry_after=90, times=1)
    answer = submit(bot, "UMAYA", GOOD_COMMITMENTS).text
    assert "Ana Ruiz will get it in a moment" in answer
    assert dm_messages(bot, "UANA") == []
    [row] = _outbox(bot, "manager_responded")
    assert row.status == "pending" and row.error == "chat.postMessage: ratelimited"
    assert row.attempts == 0  # a 429 posted nothing: it is not counted as an attempt
    for minutes in range(1, 31):  # the scheduler ticks every minute
        bot.runtime.tick(bot.clock.now + timedelta(minutes=minutes))
    [message] = dm_messages(bot, "UANA")
    assert "Read and confirm" in str(message["blocks"])
    [row] = _outbox(bot, "manager_responded")
    assert row.status == "sent" and row.ts == message["ts"]


def test_a_message_owed_when_the_process_died_after_the_commit_is_sent_by_the_next_tick(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bot.runtime.sender is not None
    monkeypatch.setattr(bot.runtime.sender, "wake", lambda ids: None)  # died before sending
    _draft_sent(bot)
    assert dm_messages(bot, "UMAYA") == []
    report = bot.runtime.tick(bot.clock.now + timedelta(minutes=1))  # restarted
    assert report.sent == 1
    assert len(dm_messages(bot, "UMAYA")) == 1
    bot.runtime.tick(bot.clock.now + timedelta(minutes=2))
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


def test_a_message_to_a_deactivated_manager_is_undeliverable_not_retried(bot: Bot) -> None:
    _draft_sent(bot)
    bot.fake.clear()
    with bot.uow() as uow:  # Maya leaves; her profile is a week old, so it is looked up
        uow.write_first()
        maya = uow.people.get("T0001", "UMAYA")
        assert maya is not None
        maya.profile_refreshed_at = bot.clock.now - timedelta(days=8)
        uow.commit()
    bot.fake.add_user(
        "UMAYA", name="maya", real_name="Maya Okafor", tz="Europe/London", deleted=True
    )
    with bot.uow() as uow:
        uow.write_first()
        sent = select(Prompt).where(Prompt.kind == "draft_submitted")
        plan = uow.session.scalars(sent).one().plan
        assert plan is not None
        enqueue(
            uow,
            "draft_submitted",
            key="again",
            team_id="T0001",
            now=bot.clock.now,
            settings=bot.runtime.settings,
            plan=plan,
            recipient=plan.manager,
        )
        uow.commit()
    bot.runtime.app.wait_for_background()
    [_, row] = sorted(_outbox(bot, "draft_submitted"), key=lambda r: r.id)
    assert (row.status, row.error) == ("undeliverable", "Maya Okafor is deactivated in Slack")
    assert bot.fake.calls_to("chat.postMessage") == []


# --- a kind added by a feature, without touching the tick ---------------------------------


def _note(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    text = f"note {prompt.args and prompt.args['n']}"
    return Message(text, [])


def _still_wanted(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Close | None:
    return Close("cancelled", "withdrawn") if (prompt.args or {}).get("withdrawn") else None


CHANNEL_NOTE = register(Kind("test_channel_note", to="channel", render=_note, check=_still_wanted))
THREAD_NOTE = register(Kind("test_thread_note", to="thread", render=_note))
FOLLOW_UP = register(Kind("test_follow_up", to="dm", render=_note, working_hours=True))


def _add(bot: Bot, kind: str, key: str, **extra: object) -> int:
    with bot.uow() as uow:
        uow.write_first()
        row = enqueue(
            uow,
            kind,
            key=key,
            team_id="T0001",
            now=bot.clock.now,
            settings=bot.runtime.settings,
            **extra,  # type: ignore[arg-type]
        )
        uow.commit()
        return row.id


def _row(bot: Bot, row_id: int) -> Prompt:
    with bot.uow() as uow:
        row = uow.session.get(Prompt, row_id)
        assert row is not None
        uow.session.expunge(row)
        return row


def test_a_new_kind_posts_to_a_channel_and_replies_in_its_thread(bot: Bot) -> None:
    bot.fake.add_channel("CHR2", name="hr-digests", is_private=True, members=["UHANA", "UBOT"])
    digest = _add(bot, "test_channel_note", "digest:1", channel="CHR2", args={"n": 1})
    with bot.uow() as uow:
        uow.write_first()  # SQLite: read, then write, in one transaction
        parent = uow.session.get(Prompt, digest)
        reply = enqueue(
            uow,
            "test_thread_note",
            key="digest:1:more",
            team_id="T0001",
            now=bot.clock.now,
            settings=bot.runtime.settings,
            parent=parent,
            args={"n": 2},
        )
        uow.commit()
        reply_id = reply.id
    bot.runtime.app.wait_for_background()
    top, answer = _row(bot, digest), _row(bot, reply_id)
    assert (top.status, top.channel, answer.status, answer.channel) == (
        "sent",
        "CHR2",
        "sent",
        "CHR2",
    )
    [first, second] = bot.fake.calls_to("chat.postMessage")
    assert first.args["text"] == "note 1" and "thread_ts" not in first.args
    assert second.args["text"] == "note 2" and second.args["thread_ts"] == top.ts


def test_a_reply_being_enqueued_does_not_hide_its_parent_from_the_sender(bot: Bot) -> None:
    """On PostgreSQL, inserting a reply locks its parent row FOR KEY SHARE (the foreign key)
    until that transaction commits. A claim taken meanwhile must still get the parent: it
    locks FOR NO KEY UPDATE, which does not conflict, where FOR UPDATE SKIP LOCKED skipped the
    parent and left it (and so its reply) for a later tick."""
    if bot.runtime.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer")
    bot.fake.add_channel("CHR2", name="hr-digests", is_private=True, members=["UHANA", "UBOT"])
    tomorrow = bot.clock.now + timedelta(days=1)
    digest = _add(
        bot, "test_channel_note", "digest:2", channel="CHR2", args={"n": 1}, due_at=tomorrow
    )
    with bot.uow() as uow:
        parent = uow.session.get(Prompt, digest)
        enqueue(
            uow,
            "test_thread_note",
            key="digest:2:more",
            team_id="T0001",
            now=bot.clock.now,
            settings=bot.runtime.settings,
            parent=parent,
            due_at=tomorrow,
            args={"n": 2},
        )
        uow.session.flush()  # the reply's INSERT holds its parent FOR KEY SHARE
        batch = claim(bot.uow, lambda: tomorrow + timedelta(minutes=1), only=[digest])
        uow.rollback()
    assert batch.ids == [digest]


def test_enqueueing_is_idempotent_by_key_and_a_check_can_cancel(bot: Bot) -> None:
    first = _add(bot, "test_channel_note", "note:x", channel="CHR", args={"withdrawn": True})
    again = _add(bot, "test_channel_note", "note:x", channel="CHR", args={"n": 3})
    assert first == again
    bot.runtime.app.wait_for_background()
    row = _row(bot, first)
    assert (row.status, row.error) == ("cancelled", "withdrawn")
    assert bot.fake.calls_to("chat.postMessage") == []


def test_a_working_hours_kind_waits_for_its_date_and_the_recipients_morning(bot: Bot) -> None:
    with bot.uow() as uow:
        chidi = person(uow, "T0001", "UCHIDI", bot.clock.now)
        uow.commit()
        assert isinstance(chidi, Person) and chidi.tz == "Asia/Kolkata"
    row_id = _add(bot, "test_follow_up", "follow:1", on=date(2027, 2, 1), recipient=chidi)
    row = _row(bot, row_id)
    assert row.due_at == datetime(2027, 2, 1, 4, 30, tzinfo=UTC)  # 10:00 in Kolkata
    bot.runtime.tick(datetime(2027, 2, 1, 4, 29, tzinfo=UTC))
    assert bot.fake.calls_to("chat.postMessage") == []
    bot.runtime.tick(datetime(2027, 2, 1, 4, 30, tzinfo=UTC))
    [post] = bot.fake.calls_to("chat.postMessage")
    assert bot.fake.members(post.args["channel"]) == ["UCHIDI"]
    assert _row(bot, row_id).status == "sent"


def test_what_is_still_owed_about_a_subject_can_be_withdrawn(bot: Bot) -> None:
    with bot.uow() as uow:
        maya = person(uow, "T0001", "UMAYA", bot.clock.now)
        uow.commit()
    on = date(2027, 2, 1)
    first = _add(bot, "test_follow_up", "about:1", on=on, recipient=maya, subject=("concern", 7))
    other = _add(bot, "test_follow_up", "about:2", on=on, recipient=maya, subject=("concern", 8))
    with bot.uow() as uow:
        uow.write_first()
        assert cancel_pending(uow, "the concern was resolved", subject=("concern", 7)) == 1
        uow.commit()
    assert (_row(bot, first).status, _row(bot, first).error) == (
        "cancelled",
        "the concern was resolved",
    )
    assert _row(bot, other).status == "pending"
