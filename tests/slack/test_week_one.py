"""Week 1 comes first (issue 7): the goal-setting prompt reaches the pair when the draft goes to
the manager; a draft waiting for the manager nudges them once; when a plan ends, next quarter's
week-1 prompt opens next quarter's draft. Through signed requests and the tick."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from bot.fakeslack import input_values
from bot.slack.ids import Action
from storage.models import Plan, Prompt
from tests.conftest import Bot
from tests.slack.cadence_helpers import tick
from tests.slack.helpers import (
    GOOD_COMMITMENTS,
    GOOD_DRAFT,
    dm_messages,
    open_pdp,
    pair_messages,
    press,
    submit,
    text_of_view,
)

UTC = timezone.utc
MONDAY = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
# Ana is in Los Angeles, Maya in London: 17:00 UTC is 09:00 for Ana and 17:00 for Maya.
PAIR_HOUR = 17


def at(month: int, day: int, hour: int = PAIR_HOUR) -> datetime:
    return datetime(2027, month, day, hour, 0, tzinfo=UTC)


def rows(bot: Bot, kind: str) -> list[Prompt]:
    with bot.uow() as uow:
        found = list(uow.session.scalars(select(Prompt).where(Prompt.kind == kind)))
        uow.session.expunge_all()
        return found


def plan_of(bot: Bot) -> Plan:
    with bot.uow() as uow:
        plan = uow.session.scalars(select(Plan).order_by(Plan.id.desc())).first()
        assert plan is not None
        uow.session.expunge_all()
        return plan


def texts(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks", []), ensure_ascii=False)


def send_draft(bot: Bot) -> None:
    open_pdp(bot, "UANA")
    assert "Maya Okafor will get your draft" in submit(bot, "UANA", GOOD_DRAFT).text


def agree(bot: Bot) -> None:
    press(bot, "UMAYA", Action.OPEN_MANAGER_MODAL, message=dm_messages(bot, "UMAYA")[-1])
    assert "Ana Ruiz will get it" in submit(bot, "UMAYA", GOOD_COMMITMENTS).text
    press(bot, "UANA", Action.OPEN_CONFIRM_MODAL, message=dm_messages(bot, "UANA")[-1])
    assert "Your plan is active" in submit(bot, "UANA").text


def goal_setting_messages(bot: Bot) -> list[dict[str, Any]]:
    return [m for m in pair_messages(bot, "UANA", "UMAYA") if "goal-setting" in m["text"]]


def test_the_goal_setting_prompt_reaches_the_pair_when_the_draft_goes_to_the_manager(
    bot: Bot,
) -> None:
    bot.clock.now = MONDAY
    send_draft(bot)
    assert plan_of(bot).status == "awaiting_manager"
    tick(bot, at(1, 4))
    (prompt,) = goal_setting_messages(bot)
    body = texts(prompt)
    assert "Week 1: goal-setting conversation" in body
    assert "what kind of work do you want to be doing in three years?" in body
    assert str(GOOD_DRAFT["goal1_outcome"]) in body  # the draft's goals, to refine together
    assert "Ana Ruiz's draft is with Maya Okafor" in body
    assert "open_reschedule" not in body  # nothing to move before the plan is agreed
    bot.clock.now = at(1, 18)  # agreed two weeks later
    agree(bot)
    (row,) = rows(bot, "goal_setting")
    assert (row.status, row.sent_at) == ("sent", at(1, 4))  # never "missed"
    tick(bot, at(1, 25))
    assert len(goal_setting_messages(bot)) == 1
    assert any("Week 4: progress check" in m["text"] for m in pair_messages(bot, "UANA", "UMAYA"))


def test_a_draft_waiting_three_working_days_nudges_the_manager_once_and_shows_on_her_home(
    bot: Bot,
) -> None:
    bot.clock.now = MONDAY
    send_draft(bot)
    tick(bot, at(1, 6, 12))  # Wednesday: two working days
    assert [m for m in dm_messages(bot, "UMAYA") if "waiting" in m["text"]] == []
    tick(bot, at(1, 7, 12))  # Thursday, midday in London
    (nudge,) = [m for m in dm_messages(bot, "UMAYA") if "waiting" in texts(m)]
    assert "has been waiting for your commitments since Mon 4 Jan 2027" in texts(nudge)
    assert "open_manager_modal" in texts(nudge)
    tick(bot, at(1, 14, 12))
    assert len([m for m in dm_messages(bot, "UMAYA") if "waiting" in texts(m)]) == 1
    bot.slack.event({"type": "app_home_opened", "user": "UMAYA", "tab": "home"})
    home = text_of_view(bot.fake.views["home:UMAYA"])
    assert "Their draft has waited for your commitments since Mon 4 Jan 2027* (8 working days)" in (
        home
    )
    assert "1 needing you now" in home


def test_a_draft_answered_in_time_sends_no_nudge(bot: Bot) -> None:
    bot.clock.now = MONDAY
    send_draft(bot)
    bot.clock.now = at(1, 5, 12)
    press(bot, "UMAYA", Action.OPEN_MANAGER_MODAL, message=dm_messages(bot, "UMAYA")[-1])
    submit(bot, "UMAYA", GOOD_COMMITMENTS)
    tick(bot, at(1, 7, 12))
    assert [m for m in dm_messages(bot, "UMAYA") if "waiting" in texts(m)] == []
    assert [r.status for r in rows(bot, "draft_waiting")] == ["cancelled"]


def _reflect(bot: Bot, carry: bool) -> None:
    bot.clock.now = at(3, 22)
    press(bot, "UANA", Action.OPEN_REFLECTION, view=open_pdp(bot, "UANA"))
    view = bot.fake.last_view("UANA") or {}
    (block,) = [b["block_id"] for b in view["blocks"] if b.get("block_id", "").startswith("end_")]
    state = "partly" if carry else "achieved"
    view["state"] = {"values": input_values(view, {block: state})}
    bot.slack.block_action("UANA", "end_state", view=view, block_id=block, value=state)
    answers = {block: state, "achieved": "Led one incident of two."}
    assert "The plan is closed" in submit(bot, "UANA", answers).text


def test_after_the_reflection_the_pair_gets_next_quarters_week_one_prompt_on_its_first_day(
    bot: Bot,
) -> None:
    bot.clock.now = MONDAY
    send_draft(bot)
    agree(bot)
    _reflect(bot, carry=True)
    tick(bot, at(3, 31))  # the old quarter's last day: nothing yet
    assert not [m for m in pair_messages(bot, "UANA", "UMAYA") if "next quarter" in m["text"]]
    tick(bot, at(4, 1))  # Thursday 1 April: the new period's first working day
    (week_one,) = [
        m for m in pair_messages(bot, "UANA", "UMAYA") if "Week 1 of next quarter" in texts(m)
    ]
    body = texts(week_one)
    assert "the quarter from Thu 1 Apr 2027 to Wed 30 Jun 2027 starts now" in body
    assert "Carried forward, unfinished:" in body and str(GOOD_DRAFT["goal1_outcome"]) in body
    assert "Draft next quarter's plan" in body
    bot.clock.now = at(4, 1, 18)
    press(bot, "UANA", Action.START_NEXT_QUARTER, message=week_one)
    draft = bot.fake.last_view("UANA") or {}
    assert draft["callback_id"] == "pdp_draft"
    shown = text_of_view(draft)
    assert "Goal 1 (carried forward 1×)" in shown and str(GOOD_DRAFT["goal1_outcome"]) in shown


def test_a_period_that_runs_out_without_a_reflection_still_gets_next_quarters_prompt(
    bot: Bot,
) -> None:
    bot.clock.now = MONDAY
    send_draft(bot)
    agree(bot)
    tick(bot, at(4, 1))
    (week_one,) = [
        m for m in pair_messages(bot, "UANA", "UMAYA") if "Week 1 of next quarter" in texts(m)
    ]
    assert "has no reflection yet" in texts(week_one)
    press(bot, "UANA", Action.START_NEXT_QUARTER, message=week_one)
    assert (bot.fake.last_view("UANA") or {})["callback_id"] == "pdp_reflection"  # first


def test_next_quarters_prompt_is_not_sent_when_its_plan_is_drafted_already(bot: Bot) -> None:
    bot.clock.now = MONDAY
    send_draft(bot)
    agree(bot)
    tick(bot, at(1, 4))  # this quarter's goal-setting prompt
    _reflect(bot, carry=False)
    closing = pair_messages(bot, "UANA", "UMAYA")[-1]
    press(bot, "UANA", Action.START_NEXT_QUARTER, message=closing)
    draft = bot.fake.last_view("UANA") or {}
    answers = {k: v for k, v in GOOD_DRAFT.items() if k != "goal1_target"}
    answers["goal1_target"] = "2027-06-18"
    sent = bot.slack.view_submission("UANA", draft, input_values(draft, answers))
    assert "Maya Okafor will get your draft" in sent.text
    for day in range(29, 32):
        tick(bot, at(3, day))
    tick(bot, at(4, 1))
    week_ones = [
        m["text"] for m in pair_messages(bot, "UANA", "UMAYA") if "goal-setting" in texts(m)
    ]
    assert len(week_ones) == 2  # this quarter's, and the new draft's on 1 April: no third
    assert [r.status for r in rows(bot, "next_quarter")] == ["cancelled"]
    new_plan = plan_of(bot)
    assert (new_plan.period_start, new_plan.review_dates["1"]) == (date(2027, 4, 1), "2027-04-01")


def test_the_reflection_gets_one_nudge_like_a_check_in(bot: Bot) -> None:
    bot.clock.now = MONDAY
    send_draft(bot)
    agree(bot)
    for day in (at(1, 4), at(1, 25), at(1, 28), at(2, 22), at(2, 25)):
        tick(bot, day)
    when = at(3, 22)
    while when < at(4, 1):
        tick(bot, when)
        when += timedelta(days=1)
    nudges = [
        m for m in pair_messages(bot, "UANA", "UMAYA") if "is still to be written" in m["text"]
    ]
    assert len(nudges) == 1
    assert (
        "Ana Ruiz and Maya Okafor: “Week 12: end-of-quarter reflection” posted on Mon 22 Mar"
        in (nudges[0]["text"])
    )
    (reflection,) = rows(bot, "reflection")
    assert reflection.nudged_at == at(3, 25)  # three working days later
