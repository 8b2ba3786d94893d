"""Check-ins from the prompt: both halves land in the review log, the message shows who answered."""

from __future__ import annotations

from datetime import date, datetime, timezone

from bot.slack.ids import Action, Callback
from storage.models import Commitment, Plan, ReviewEntry
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
WEEK4 = datetime(2027, 1, 25, 17, 0, tzinfo=UTC)  # 09:00 in Los Angeles, 17:00 in London
ENGINEER_ANSWERS = {
    "done": "Led the January latency incident with Priya shadowing",
    "blockers": "On-call swaps ate two study afternoons",
    "focus": "Write up the tracing runbook",
}


def _checkin_day(bot: Bot) -> tuple[int, str]:
    plan_id = make_plan(
        bot, commitments=[("Put Ana on the incident review rota from February", date(2027, 2, 1))]
    )
    tick(bot, WEEK4)
    return plan_id, f"plan:{plan_id}:progress_check:1"


def test_the_week_four_check_arrives_once_in_the_pairs_dm_at_nine_in_los_angeles(bot: Bot) -> None:
    _, key = _checkin_day(bot)
    tick(bot, WEEK4.replace(minute=1))
    tick(bot, WEEK4.replace(hour=18))
    calls = [c for c in bot.fake.calls_to("chat.postMessage") if "progress check" in c.args["text"]]
    assert len(calls) == 1
    assert set(bot.fake.members(calls[0].args["channel"])) == {"UANA", "UMAYA", "UBOT"}
    body = text_of(posted(bot, key))
    assert "Week 4: progress check" in body
    assert "What got in the way?" in body
    assert "Still to answer: Ana Ruiz, Maya Okafor" in body


def test_the_engineer_answers_and_the_message_shows_who_is_still_to(bot: Bot) -> None:
    plan_id, key = _checkin_day(bot)
    press(bot, "UANA", Action.OPEN_CHECKIN, posted(bot, key))
    assert bot.fake.last_view("UANA")["callback_id"] == Callback.CHECKIN_ENGINEER  # type: ignore[index]
    response = submit(bot, "UANA", ENGINEER_ANSWERS)
    assert response.status == 200 and response.json() == {}
    status = text_of(posted(bot, key))
    assert "Answered: Ana Ruiz" in status and "Still to answer: Maya Okafor" in status
    with bot.uow() as uow:
        (entry,) = uow.session.query(ReviewEntry).filter_by(plan_id=plan_id).all()
        assert entry.kind == "checkin" and entry.author.slack_user_id == "UANA"
        assert entry.progress == ENGINEER_ANSWERS["done"]
        assert entry.blockers == ENGINEER_ANSWERS["blockers"]
        assert entry.answers["focus"] == ENGINEER_ANSWERS["focus"]


def test_a_check_in_submitted_twice_is_kept_once_with_a_message_next_to_the_field(
    bot: Bot,
) -> None:
    plan_id, key = _checkin_day(bot)
    press(bot, "UANA", Action.OPEN_CHECKIN, posted(bot, key))
    view = bot.fake.last_view("UANA")
    assert view is not None
    from bot.fakeslack import input_values

    first = bot.slack.view_submission("UANA", view, input_values(view, ENGINEER_ANSWERS))
    again = bot.slack.view_submission("UANA", view, input_values(view, ENGINEER_ANSWERS))
    assert first.json() == {}
    assert again.json()["response_action"] == "errors"
    assert "already answered" in again.json()["errors"]["done"]
    with bot.uow() as uow:
        assert uow.session.query(ReviewEntry).filter_by(plan_id=plan_id).count() == 1


def test_an_empty_first_answer_is_refused_next_to_it(bot: Bot) -> None:
    _, key = _checkin_day(bot)
    press(bot, "UANA", Action.OPEN_CHECKIN, posted(bot, key))
    body = submit(bot, "UANA", {"done": "  "}).json()
    assert body["response_action"] == "errors" and "done" in body["errors"]
    assert "Answered" not in text_of(posted(bot, key))


def test_the_manager_answers_commitment_by_commitment(bot: Bot) -> None:
    plan_id, key = _checkin_day(bot)
    press(bot, "UANA", Action.OPEN_CHECKIN, posted(bot, key))
    submit(bot, "UANA", ENGINEER_ANSWERS)
    press(bot, "UMAYA", Action.OPEN_CHECKIN, posted(bot, key))
    view = bot.fake.last_view("UMAYA")
    assert view is not None and view["callback_id"] == Callback.CHECKIN_MANAGER
    with bot.uow() as uow:
        commitment = uow.session.query(Commitment).filter_by(plan_id=plan_id).one()
        block = f"commitment_{commitment.id}"
    submit(bot, "UMAYA", {block: "delivered", "seeing": "She is ready to run the next one"})
    assert "Answered: Ana Ruiz, Maya Okafor" in text_of(posted(bot, key))
    with bot.uow() as uow:
        commitment = uow.session.query(Commitment).filter_by(plan_id=plan_id).one()
        assert commitment.status == "delivered" and commitment.delivered_at == WEEK4
        entries = uow.session.query(ReviewEntry).filter_by(plan_id=plan_id).all()
        assert [e.author.slack_user_id for e in entries] == ["UANA", "UMAYA"]
    tick(bot, datetime(2027, 2, 1, 10, 0, tzinfo=UTC))  # the commitment's due date
    reminders = [
        c for c in bot.fake.calls_to("chat.postMessage") if "You committed" in c.args["text"]
    ]
    assert reminders == []


def test_someone_else_cannot_answer_the_pairs_check_in(bot: Bot) -> None:
    _, key = _checkin_day(bot)
    press(bot, "UBEN", Action.OPEN_CHECKIN, posted(bot, key))
    assert bot.fake.calls_to("views.open") == []
    assert any("isn't something you can do" in text for text in ephemerals(bot, "UBEN"))


def test_a_button_on_a_prompt_for_a_closed_plan_says_so_and_opens_nothing(bot: Bot) -> None:
    plan_id, key = _checkin_day(bot)
    with bot.uow() as uow:
        plan = uow.session.get(Plan, plan_id)
        assert plan is not None
        plan.status = "closed"
        uow.commit()
    press(bot, "UANA", Action.OPEN_CHECKIN, posted(bot, key))
    assert bot.fake.calls_to("views.open") == []
    assert any("plan is closed" in text for text in ephemerals(bot, "UANA"))


def test_an_unanswered_check_in_gets_one_nudge_after_three_working_days(bot: Bot) -> None:
    _, key = _checkin_day(bot)
    press(bot, "UANA", Action.OPEN_CHECKIN, posted(bot, key))
    submit(bot, "UANA", ENGINEER_ANSWERS)
    for day in range(26, 32):
        tick(bot, datetime(2027, 1, day, 17, 0, tzinfo=UTC))
    tick(bot, datetime(2027, 2, 3, 17, 0, tzinfo=UTC))
    nudges = [c for c in bot.fake.calls_to("chat.postMessage") if c.args.get("thread_ts")]
    assert len(nudges) == 1
    assert "Maya Okafor" in nudges[0].args["text"] and "Ana Ruiz" not in nudges[0].args["text"]
    assert bot.clock.now.date() >= date(2027, 1, 28)
    assert prompt_row(bot, key).nudged_at == datetime(2027, 1, 28, 17, 0, tzinfo=UTC)


def test_no_nudge_when_both_have_answered(bot: Bot) -> None:
    _, key = _checkin_day(bot)
    press(bot, "UANA", Action.OPEN_CHECKIN, posted(bot, key))
    submit(bot, "UANA", ENGINEER_ANSWERS)
    press(bot, "UMAYA", Action.OPEN_CHECKIN, posted(bot, key))
    submit(bot, "UMAYA", {})
    for day in range(26, 30):
        tick(bot, datetime(2027, 1, day, 17, 0, tzinfo=UTC))
    assert [c for c in bot.fake.calls_to("chat.postMessage") if c.args.get("thread_ts")] == []
