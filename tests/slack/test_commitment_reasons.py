"""Every commitment is reminded, and "not yet" or "no longer needed" says why (issue 7,
"Commitments and the delivery-vs-development trade-off"), through signed requests."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from bot.slack.ids import Action
from storage.models import Commitment, Prompt
from tests.conftest import Bot
from tests.slack.cadence_helpers import make_plan, posted, press, prompt_row, submit, text_of, tick
from tests.slack.helpers import (
    GOOD_COMMITMENTS,
    GOOD_DRAFT,
    dm_messages,
    open_pdp,
    pair_messages,
    text_of_view,
)
from tests.slack.helpers import press as press_button

UTC = timezone.utc
ROTA = "Put Ana on the incident review rota from February"
TIME = "Protect Friday afternoons for observability learning"
WEEK4 = datetime(2027, 1, 25, 17, 0, tzinfo=UTC)  # 09:00 in Los Angeles, 17:00 in London


def _commitments(bot: Bot) -> dict[str, Commitment]:
    with bot.uow() as uow:
        found = {c.text: c for c in uow.session.query(Commitment).all()}
        uow.session.expunge_all()
        return found


def _reminders_of(bot: Bot, commitment_id: int) -> list[Prompt]:
    with bot.uow() as uow:
        rows = (
            uow.session.query(Prompt)
            .filter_by(commitment_id=commitment_id)
            .order_by(Prompt.occurrence)
            .all()
        )
        uow.session.expunge_all()
        return rows


def test_a_commitment_left_without_a_date_is_due_by_the_next_check_and_reminded(
    bot: Bot,
) -> None:
    open_pdp(bot, "UANA")
    submit(bot, "UANA", GOOD_DRAFT)
    press_button(bot, "UMAYA", Action.OPEN_MANAGER_MODAL, message=dm_messages(bot, "UMAYA")[-1])
    modal = text_of_view(bot.fake.last_view("UMAYA") or {})
    assert "Left empty, it is due by the next check, Mon 25 Jan 2027" in modal
    submit(bot, "UMAYA", GOOD_COMMITMENTS)  # the second commitment has no date
    press_button(bot, "UANA", Action.OPEN_CONFIRM_MODAL, message=dm_messages(bot, "UANA")[-1])
    submit(bot, "UANA", {})
    undated = _commitments(bot)[str(GOOD_COMMITMENTS["commitment2_text"])]
    assert undated.due_date == date(2027, 1, 25)
    tick(bot, datetime(2027, 1, 4, 18, 0, tzinfo=UTC))
    tick(bot, datetime(2027, 1, 25, 10, 0, tzinfo=UTC))
    reminder = text_of(posted(bot, f"commitment:{undated.id}:reminder:1"))
    assert "protect Friday afternoons" in reminder and "due Mon 25 Jan 2027" in reminder


def test_not_yet_from_a_reminder_asks_why_and_the_next_review_shows_it(bot: Bot) -> None:
    plan_id = make_plan(bot, commitments=[(ROTA, date(2027, 2, 1))])
    rota = _commitments(bot)[ROTA]
    tick(bot, datetime(2027, 2, 1, 17, 0, tzinfo=UTC))
    reminder = posted(bot, f"commitment:{rota.id}:reminder:1")
    press(bot, "UMAYA", Action.REMIND_NEXT_WEEK, reminder)
    modal = bot.fake.last_view("UMAYA") or {}
    assert modal["title"]["text"] == "Not yet"
    assert "What got in the way?" in text_of_view(modal)
    empty = submit(bot, "UMAYA", {"reason": ""}).json()
    assert empty["response_action"] == "errors" and "reason" in empty["errors"]
    reason = "The release freeze took the February rota"
    assert submit(bot, "UMAYA", {"reason": reason}).json() == {}
    stored = _commitments(bot)[ROTA]
    assert (stored.status, stored.reason, stored.reason_on) == ("pending", reason, date(2027, 2, 1))
    assert "I'll ask again on Mon 8 Feb 2027" in text_of(
        posted(bot, f"commitment:{rota.id}:reminder:1")
    )
    tick(bot, datetime(2027, 2, 22, 17, 0, tzinfo=UTC))  # the week-8 check
    week8 = text_of(posted(bot, f"plan:{plan_id}:progress_check:2"))
    assert f"{ROTA} (by Mon 1 Feb 2027) — not yet delivered: _{reason}_ (Mon 1 Feb 2027)" in week8


def test_no_longer_needed_asks_why_and_stops_the_reminders(bot: Bot) -> None:
    make_plan(bot, commitments=[(ROTA, date(2027, 2, 1))])
    rota = _commitments(bot)[ROTA]
    tick(bot, datetime(2027, 2, 1, 17, 0, tzinfo=UTC))
    press(bot, "UMAYA", Action.REMIND_WITHDRAW, posted(bot, f"commitment:{rota.id}:reminder:1"))
    assert (bot.fake.last_view("UMAYA") or {})["title"]["text"] == "No longer needed"
    reason = "Ana moved to the platform team's rota instead"
    assert submit(bot, "UMAYA", {"reason": reason}).json() == {}
    assert (_commitments(bot)[ROTA].status, _commitments(bot)[ROTA].reason) == (
        "withdrawn",
        reason,
    )
    shown = text_of(posted(bot, f"commitment:{rota.id}:reminder:1"))
    assert f"no longer needed — “{reason}”" in shown and "Not yet" not in shown
    tick(bot, datetime(2027, 3, 1, 17, 0, tzinfo=UTC))
    assert [r.status for r in _reminders_of(bot, rota.id)] == ["sent", "cancelled"]


def test_the_manager_check_in_needs_a_reason_for_a_due_commitment_not_yet_delivered(
    bot: Bot,
) -> None:
    plan_id = make_plan(bot, commitments=[(ROTA, date(2027, 1, 20)), (TIME, date(2027, 3, 1))])
    tick(bot, WEEK4)
    key = f"plan:{plan_id}:progress_check:1"
    press(bot, "UMAYA", Action.OPEN_CHECKIN, posted(bot, key))
    rota, later = _commitments(bot)[ROTA], _commitments(bot)[TIME]
    answers = {f"commitment_{rota.id}": "pending", f"commitment_{later.id}": "pending"}
    refused = submit(bot, "UMAYA", answers).json()
    assert refused == {
        "response_action": "errors",
        "errors": {f"reason_{rota.id}": "Its date has passed: one line on what got in the way."},
    }  # the commitment due in March needs none yet
    assert prompt_row(bot, key).manager_answered_at is None
    why = "Two sev-1s in January; rota starts 8 Feb"
    assert submit(bot, "UMAYA", {**answers, f"reason_{rota.id}": why}).json() == {}
    assert _commitments(bot)[ROTA].reason == why
    assert prompt_row(bot, key).manager_answered_at == WEEK4
    assert f"not yet delivered: _{why}_ (Mon 25 Jan 2027)" in text_of(posted(bot, key))


def test_the_review_summary_shows_every_commitments_state_and_why(bot: Bot) -> None:
    make_plan(
        bot,
        commitments=[
            (ROTA, date(2027, 1, 20)),
            (TIME, date(2027, 1, 22)),
            ("Book the March architecture review", date(2027, 3, 1)),
        ],
    )
    bot.clock.now = datetime(2027, 2, 1, 17, 0, tzinfo=UTC)
    bot.slack.command("/pdp-review", "<@UANA|ana>", user="UMAYA")
    view = bot.fake.last_view("UMAYA") or {}
    by_text = _commitments(bot)
    rota, time, review = (by_text[t].id for t in (ROTA, TIME, "Book the March architecture review"))
    answers = {
        f"delivered{rota}": "delivered",
        f"delivered{time}": "withdrawn",
        f"delivered{review}": "pending",
    }
    refused = bot.slack.view_submission("UMAYA", view, _inputs(view, answers)).json()
    assert refused == {
        "response_action": "errors",
        "errors": {f"reason{time}": "One line: why is it no longer needed?"},
    }
    reason = "Ana now learns on the incident rota instead"
    saved = bot.slack.view_submission(
        "UMAYA", view, _inputs(view, {**answers, f"reason{time}": reason})
    )
    assert saved.status == 200 and saved.json()["response_action"] == "update"
    summary = json.dumps(pair_messages(bot, "UANA", "UMAYA")[-1]["blocks"], ensure_ascii=False)
    assert f"• {ROTA} — ✅ delivered" in summary
    assert f"• {TIME} — ✖️ no longer needed: _{reason}_" in summary
    assert "• Book the March architecture review — ⏳ not delivered yet" in summary


def test_reminders_stop_when_the_plans_period_ends(bot: Bot) -> None:
    make_plan(bot, commitments=[(ROTA, date(2027, 3, 22))])
    rota = _commitments(bot)[ROTA]
    when = datetime(2027, 3, 22, 12, 0, tzinfo=UTC)  # midday in London, every day
    while when < datetime(2027, 4, 20, tzinfo=UTC):
        tick(bot, when)
        when += timedelta(days=1)
    rows = _reminders_of(bot, rota.id)
    assert [(r.planned_on, r.status) for r in rows] == [
        (date(2027, 3, 22), "sent"),
        (date(2027, 3, 29), "sent"),
    ]  # the plan ends on Wed 31 Mar: no reminder on 5 April or later


def _inputs(view: dict[str, object], answers: dict[str, object]) -> dict[str, object]:
    from bot.fakeslack import input_values

    return input_values(view, answers)  # type: ignore[arg-type]
