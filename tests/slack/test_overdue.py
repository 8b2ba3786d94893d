"""Overdue and long plans on the manager's App Home (issue 7): every review kind counts as
overdue once unanswered after its nudge; a plan with no review for over 35 days is flagged.
And the confirmation names the first check still ahead."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

from bot.slack.ids import Action
from tests.conftest import Bot
from tests.slack.cadence_helpers import make_plan, posted, press, submit, tick
from tests.slack.helpers import GOOD_COMMITMENTS, GOOD_DRAFT, dm_messages, open_pdp, text_of_view
from tests.slack.helpers import press as press_button
from tests.slack.helpers import submit as submit_modal

UTC = timezone.utc


def at(month: int, day: int) -> datetime:
    return datetime(2027, month, day, 17, 0, tzinfo=UTC)  # 09:00 in LA, 17:00 in London


def anas_row(bot: Bot) -> str:
    bot.slack.event({"type": "app_home_opened", "user": "UMAYA", "tab": "home"})
    lines = text_of_view(bot.fake.views["home:UMAYA"]).splitlines()
    # "ana" until the tick looks her profile up in Slack
    start = next(i for i, line in enumerate(lines) if line.startswith(("*ana*", "*Ana Ruiz*")))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("─"))  # 1 report
    return "\n".join(lines[start:end])


def overdue_in(row: str) -> int:
    found = re.search(r"⚠️ (\d+) overdue reviews?", row)
    return int(found.group(1)) if found else 0


def test_every_review_kind_is_overdue_once_unanswered_after_its_nudge(bot: Bot) -> None:
    plan_id = make_plan(bot)
    tick(bot, at(1, 25))  # week 4
    assert overdue_in(anas_row(bot)) == 0  # posted, not nudged yet
    tick(bot, at(1, 28))  # its nudge
    assert overdue_in(anas_row(bot)) == 1
    key = f"plan:{plan_id}:progress_check:1"
    press(bot, "UANA", Action.OPEN_CHECKIN, posted(bot, key))
    submit(bot, "UANA", {"done": "Led one incident"})
    assert overdue_in(anas_row(bot)) == 1  # half answered is not answered
    press(bot, "UMAYA", Action.OPEN_CHECKIN, posted(bot, key))
    submit(bot, "UMAYA", {})
    assert overdue_in(anas_row(bot)) == 0
    tick(bot, at(2, 22))  # week 8, then its nudge
    tick(bot, at(2, 25))
    tick(bot, at(3, 22))  # the reflection, then its nudge
    assert overdue_in(anas_row(bot)) == 1
    tick(bot, at(3, 25))
    assert overdue_in(anas_row(bot)) == 2  # week 8 and the reflection


def test_a_monthly_review_unanswered_after_its_nudge_is_overdue(bot: Bot) -> None:
    make_plan(bot, end=date(2027, 6, 30))  # six months: monthly reviews after week 8
    for day in (at(1, 25), at(1, 28), at(2, 22), at(2, 25)):
        tick(bot, day)
    assert overdue_in(anas_row(bot)) == 2
    bot.clock.now = at(2, 26)  # Maya holds the review: weeks 4 and 8 are answered
    bot.slack.command("/pdp-review", "<@UANA|ana>", user="UMAYA")
    submit(bot, "UMAYA", {"done": "Two incidents led"})
    assert overdue_in(anas_row(bot)) == 0
    tick(bot, at(3, 4))  # monthly review 1
    tick(bot, at(3, 9))  # its nudge, three working days later
    assert overdue_in(anas_row(bot)) == 1


def test_a_plan_with_no_review_for_over_35_days_is_flagged_on_the_managers_home(
    bot: Bot,
) -> None:
    make_plan(bot)  # agreed on Mon 4 Jan
    bot.clock.now = datetime(2027, 2, 8, 12, 0, tzinfo=UTC)  # 35 days
    assert "No review for" not in anas_row(bot)
    bot.clock.now = datetime(2027, 2, 9, 12, 0, tzinfo=UTC)  # 36 days
    row = anas_row(bot)
    assert "*⚠️ No review for 36 days*: the guide asks for one at least monthly." in row
    home = text_of_view(bot.fake.views["home:UMAYA"])
    assert "1 needing you now" in home
    bot.slack.command("/pdp-review", "<@UANA|ana>", user="UMAYA")
    submit(bot, "UMAYA", {"done": "Caught up in our 1:1"})
    assert "No review for" not in anas_row(bot)


def test_the_confirmation_names_the_first_check_still_ahead(bot: Bot) -> None:
    open_pdp(bot, "UANA")  # Mon 4 Jan: checks on Mon 25 Jan and Mon 22 Feb
    submit_modal(bot, "UANA", GOOD_DRAFT)
    press_button(bot, "UMAYA", Action.OPEN_MANAGER_MODAL, message=dm_messages(bot, "UMAYA")[-1])
    submit_modal(bot, "UMAYA", {**GOOD_COMMITMENTS, "commitment1_due": "2027-03-01"})
    bot.clock.now = at(1, 27)  # confirmed after the first check's day
    press_button(bot, "UANA", Action.OPEN_CONFIRM_MODAL, message=dm_messages(bot, "UANA")[-1])
    done = submit_modal(bot, "UANA").text
    assert "First check: Mon 22 Feb 2027." in done
