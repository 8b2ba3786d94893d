"""A plan of any length names one set of dates (issue 7, Overdue and long plans): the
confirmation, the prompts, "Next review" and the reflection button agree, monthly reviews
included. Through signed requests."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.fakeslack import input_values
from bot.slack.ids import Action
from prompts import _long_date
from storage.models import Plan, Prompt
from tests.conftest import Bot
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


def noon_in_la(day: date) -> datetime:
    """Ana's working day: 20:00 UTC is noon in Los Angeles (and inside London's evening)."""
    return datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=20)


def the_plan(bot: Bot) -> Plan:
    with bot.uow() as uow:
        plan = uow.session.scalars(select(Plan)).one()
        uow.session.expunge(plan)
        return plan


def rows(bot: Bot) -> dict[str, date]:
    with bot.uow() as uow:
        found = uow.session.scalars(select(Prompt).where(Prompt.plan_id.is_not(None))).all()
        return {f"{r.kind}:{r.occurrence}": r.planned_on for r in found}


def next_review_on_home(bot: Bot) -> str:
    bot.slack.event({"type": "app_home_opened", "user": "UANA", "tab": "home"})
    home = text_of_view(bot.fake.views["home:UANA"])
    line = next(line for line in home.splitlines() if "Next review" in line)
    return line.split("Next review *", 1)[1].split("*", 1)[0]


def reflection_button(bot: Bot) -> bool:
    open_pdp(bot, "UANA")
    return "[Write the end-of-period reflection]" in text_of_view(bot.fake.last_view("UANA") or {})


@pytest.mark.parametrize(
    ("end", "warning"),
    [
        ("2027-03-31", ""),
        ("2027-06-30", "178 days is a long time for one plan"),
        ("2027-12-31", "362 days is a long time for one plan"),
    ],
)
def test_a_plan_of_any_length_names_the_same_dates_in_messages_prompts_home_and_buttons(
    bot: Bot, end: str, warning: str
) -> None:
    view = open_pdp(bot, "UANA")  # Mon 4 Jan 2027
    typed = {"period_end": end}
    view["state"] = {"values": input_values(view, typed)}
    bot.slack.block_action("UANA", "value", view=view, block_id="period_end", selected_date=end)
    answers = {**GOOD_DRAFT, **typed}
    if warning:  # a warning, not a refusal: submitted again unchanged, it is sent
        assert warning in str(submit(bot, "UANA", answers).json())
    assert "Maya Okafor will get your draft" in submit(bot, "UANA", answers).text
    press(bot, "UMAYA", Action.OPEN_MANAGER_MODAL, message=dm_messages(bot, "UMAYA")[-1])
    submit(bot, "UMAYA", GOOD_COMMITMENTS)
    press(bot, "UANA", Action.OPEN_CONFIRM_MODAL, message=dm_messages(bot, "UANA")[-1])
    assert "Your plan is active" in submit(bot, "UANA").text

    agreed = {k: date.fromisoformat(v) for k, v in the_plan(bot).review_dates.items()}
    monthly = sorted(v for k, v in agreed.items() if k.startswith("m"))
    assert bool(monthly) == bool(warning), agreed  # monthly reviews in a longer plan
    prompts = rows(bot)
    # the prompts are on the agreed dates: the reflection's is the reflection's
    assert prompts["reflection:1"] == agreed["12"]
    assert prompts["progress_check:2"] == agreed["8"]
    assert sorted(v for k, v in prompts.items() if k.startswith("monthly_review")) == monthly
    # the confirmation names the same reflection date
    confirmation = str(pair_messages(bot, "UANA", "UMAYA")[-1])
    assert f"reflection *{_long_date(agreed['12'])}*" in confirmation
    # "Next review" counts monthly reviews: the day after week 8 it is the first of them
    bot.clock.now = noon_in_la(agreed["8"] + timedelta(days=1))
    assert next_review_on_home(bot) == _long_date((monthly or [agreed["12"]])[0])
    # the reflection button appears in the reflection's week, not before
    monday = agreed["12"] - timedelta(days=agreed["12"].weekday())
    bot.clock.now = noon_in_la(monday - timedelta(days=3))
    assert not reflection_button(bot)
    bot.clock.now = noon_in_la(agreed["12"])
    assert reflection_button(bot)
    assert next_review_on_home(bot) == _long_date(agreed["12"])
