"""Commitment reminders to the manager, moving a review, being away."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from bot.slack.ids import Action
from storage.models import Commitment, Person, Plan
from tests.conftest import Bot
from tests.slack.cadence_helpers import (
    ephemerals,
    make_plan,
    posted,
    press,
    prompt_row,
    submit,
    text_of,
    tick,
)

UTC = timezone.utc
DUE = date(2027, 2, 3)  # a Wednesday
HOUR = timedelta(hours=1)


def _reminder_plan(bot: Bot) -> tuple[int, int]:
    plan_id = make_plan(
        bot, engineer="UCHIDI", commitments=[("Book Chidi on the March incident rota", DUE)]
    )
    with bot.uow() as uow:
        commitment = uow.session.query(Commitment).filter_by(plan_id=plan_id).one()
        return plan_id, commitment.id


def _reminders(bot: Bot) -> list[str]:
    return [
        c.args["channel"]
        for c in bot.fake.calls_to("chat.postMessage")
        if "You committed" in c.args["text"]
    ]


def test_the_manager_is_reminded_in_her_own_dm_on_the_due_date_then_weekly(bot: Bot) -> None:
    _, commitment_id = _reminder_plan(bot)
    tick(bot, datetime(2027, 2, 3, 9, 59, tzinfo=UTC))
    assert _reminders(bot) == []
    tick(bot, datetime(2027, 2, 3, 10, 0, tzinfo=UTC))
    tick(bot, datetime(2027, 2, 5, 10, 0, tzinfo=UTC))
    (channel,) = _reminders(bot)
    assert bot.fake.members(channel) == ["UMAYA"]
    tick(bot, datetime(2027, 2, 10, 10, 0, tzinfo=UTC))
    assert len(_reminders(bot)) == 2
    body = text_of(posted(bot, f"commitment:{commitment_id}:reminder:2"))
    assert "Book Chidi on the March incident rota" in body and "Has it happened?" in body


def test_delivered_records_it_once_and_stops_the_reminders(bot: Bot) -> None:
    _, commitment_id = _reminder_plan(bot)
    tick(bot, datetime(2027, 2, 3, 10, 0, tzinfo=UTC))
    message = posted(bot, f"commitment:{commitment_id}:reminder:1")
    press(bot, "UMAYA", Action.REMIND_DELIVERED, message)
    press(bot, "UMAYA", Action.REMIND_DELIVERED, message)  # a double click
    after = text_of(posted(bot, f"commitment:{commitment_id}:reminder:1"))
    assert "marked this delivered" in after and "Not yet" not in after
    with bot.uow() as uow:
        commitment = uow.session.get(Commitment, commitment_id)
        assert commitment is not None and commitment.status == "delivered"
        assert commitment.delivered_at == datetime(2027, 2, 3, 10, 0, tzinfo=UTC)
    tick(bot, datetime(2027, 2, 10, 10, 0, tzinfo=UTC))
    assert len(_reminders(bot)) == 1


def test_not_yet_asks_again_a_week_from_the_press(bot: Bot) -> None:
    _, commitment_id = _reminder_plan(bot)
    tick(bot, datetime(2027, 2, 3, 10, 0, tzinfo=UTC))
    bot.clock.now = datetime(2027, 2, 4, 11, 0, tzinfo=UTC)  # pressed the next day
    press(
        bot, "UMAYA", Action.REMIND_NEXT_WEEK, posted(bot, f"commitment:{commitment_id}:reminder:1")
    )
    assert submit(bot, "UMAYA", {"reason": "The March rota isn't drafted yet"}).json() == {}
    after = text_of(posted(bot, f"commitment:{commitment_id}:reminder:1"))
    assert "not yet — “The March rota isn't drafted yet”" in after
    assert "ask again on Thu 11 Feb 2027" in after
    tick(bot, datetime(2027, 2, 10, 10, 0, tzinfo=UTC))
    assert len(_reminders(bot)) == 1
    tick(bot, datetime(2027, 2, 11, 10, 0, tzinfo=UTC))
    assert len(_reminders(bot)) == 2


def test_only_the_manager_can_answer_her_reminder(bot: Bot) -> None:
    _, commitment_id = _reminder_plan(bot)
    tick(bot, datetime(2027, 2, 3, 10, 0, tzinfo=UTC))
    press(
        bot,
        "UCHIDI",
        Action.REMIND_DELIVERED,
        posted(bot, f"commitment:{commitment_id}:reminder:1"),
    )
    with bot.uow() as uow:
        assert uow.session.get(Commitment, commitment_id).status == "pending"  # type: ignore[union-attr]
    assert ephemerals(bot, "UCHIDI")


WEEK8 = datetime(2027, 2, 22, 10, 0, tzinfo=UTC)  # Ben and Maya are both in London


def test_a_review_moved_from_its_prompt_arrives_again_on_the_new_day(bot: Bot) -> None:
    plan_id = make_plan(bot, engineer="UBEN")
    key = f"plan:{plan_id}:progress_check:2"
    tick(bot, WEEK8)
    press(bot, "UBEN", Action.OPEN_RESCHEDULE, posted(bot, key))
    first = prompt_row(bot, key)
    response = submit(bot, "UBEN", {"date": "2027-02-25"})
    assert response.json() == {}
    old = next(m for m in bot.fake.messages(first.channel or "") if m["ts"] == first.ts)
    assert "moved this review to Thu 25 Feb 2027" in text_of(old)
    tick(bot, datetime(2027, 2, 24, 10, 0, tzinfo=UTC))
    tick(bot, datetime(2027, 2, 25, 10, 0, tzinfo=UTC))
    checks = [c for c in bot.fake.calls_to("chat.postMessage") if "Week 8" in c.args["text"]]
    assert len(checks) == 2
    assert prompt_row(bot, key).sent_at == datetime(2027, 2, 25, 10, 0, tzinfo=UTC)
    with bot.uow() as uow:
        assert uow.session.get(Plan, plan_id).review_dates["8"] == "2027-02-25"  # type: ignore[union-attr]


def test_a_date_in_the_past_or_in_another_reviews_week_is_refused_next_to_the_picker(
    bot: Bot,
) -> None:
    plan_id = make_plan(bot, engineer="UBEN")
    key = f"plan:{plan_id}:progress_check:2"
    tick(bot, WEEK8)
    press(bot, "UBEN", Action.OPEN_RESCHEDULE, posted(bot, key))
    past = submit(bot, "UBEN", {"date": "2027-02-19"}).json()
    assert past["response_action"] == "errors" and "has passed" in past["errors"]["date"]
    clash = submit(bot, "UBEN", {"date": "2027-03-23"}).json()
    assert "already that week" in clash["errors"]["date"]
    assert prompt_row(bot, key).planned_on == date(2027, 2, 22)


def test_away_until_a_date_holds_the_prompts_to_the_first_working_day_back(bot: Bot) -> None:
    plan_id = make_plan(bot, engineer="UBEN")
    tick(bot, datetime(2027, 1, 25, 10, 0, tzinfo=UTC))
    press(bot, "UBEN", Action.OPEN_AWAY, posted(bot, f"plan:{plan_id}:progress_check:1"))
    assert submit(bot, "UBEN", {"until": "2027-02-26"}).json() == {}  # back Monday 1 March
    assert any("wait until Mon 1 Mar 2027" in text for text in ephemerals(bot, "UBEN"))
    tick(bot, WEEK8)
    assert prompt_row(bot, f"plan:{plan_id}:progress_check:2").status == "pending"
    tick(bot, datetime(2027, 3, 1, 10, 0, tzinfo=UTC))
    assert prompt_row(bot, f"plan:{plan_id}:progress_check:2").sent_at == datetime(
        2027, 3, 1, 10, 0, tzinfo=UTC
    )
    with bot.uow() as uow:
        person = uow.people.get("T0001", "UBEN")
        assert isinstance(person, Person) and person.away_until == date(2027, 2, 26)


def test_a_reminder_lost_to_an_hour_long_slack_outage_still_leads_to_next_weeks(
    bot: Bot,
) -> None:
    _, commitment_id = _reminder_plan(bot)
    tick(bot, datetime(2027, 2, 3, 9, 0, tzinfo=UTC))  # the plan's earlier work is done
    bot.fake.fail_next("chat.postMessage", "internal_error", times=5)
    for minutes in range(0, 120, 5):
        tick(bot, datetime(2027, 2, 3, 10, minutes % 60, tzinfo=UTC) + (minutes // 60) * HOUR)
    assert prompt_row(bot, f"commitment:{commitment_id}:reminder:1").status == "failed"
    bot.fake.clear()  # Slack is back
    tick(bot, datetime(2027, 2, 10, 10, 0, tzinfo=UTC))
    (channel,) = _reminders(bot)
    assert bot.fake.members(channel) == ["UMAYA"]
    assert prompt_row(bot, f"commitment:{commitment_id}:reminder:2").status == "sent"


def test_not_yet_after_the_next_reminder_could_not_be_delivered_asks_again_next_week(
    bot: Bot,
) -> None:
    _, commitment_id = _reminder_plan(bot)
    tick(bot, datetime(2027, 2, 3, 10, 0, tzinfo=UTC))
    tick(bot, datetime(2027, 2, 10, 9, 0, tzinfo=UTC))  # the plan's other work is done
    bot.fake.fail_next("chat.postMessage", "is_archived")
    tick(bot, datetime(2027, 2, 10, 10, 0, tzinfo=UTC))
    assert prompt_row(bot, f"commitment:{commitment_id}:reminder:2").status == "undeliverable"
    first = posted(bot, f"commitment:{commitment_id}:reminder:1")
    bot.clock.now = datetime(2027, 2, 11, 10, 0, tzinfo=UTC)
    press(bot, "UMAYA", Action.REMIND_NEXT_WEEK, first)
    assert submit(bot, "UMAYA", {"reason": "Rota owner is away"}).json() == {}
    assert ephemerals(bot, "UMAYA") == []
    assert "Thu 18 Feb" in text_of(posted(bot, f"commitment:{commitment_id}:reminder:1"))
    tick(bot, datetime(2027, 2, 18, 10, 0, tzinfo=UTC))
    assert len(_reminders(bot)) == 3
