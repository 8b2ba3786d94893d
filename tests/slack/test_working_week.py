"""One prompt a week, in the pair's working week: after a Friday-Saturday weekend the week starts
on Sunday, not on the ISO week's Monday (issue 7, noticed in the one-prompt-a-week check)."""

from __future__ import annotations

from datetime import datetime, timezone

from tests.cadence_support import person
from tests.conftest import Bot
from tests.slack.cadence_helpers import make_plan, prompt_row, tick

UTC = timezone.utc


def test_a_saudi_pair_gets_a_check_on_sunday_after_a_thursday_prompt(bot: Bot) -> None:
    with bot.uow() as uow:
        for user in ("UBEN", "UMAYA"):  # both in Saudi Arabia: Friday and Saturday off
            person(uow, "T0001", user, bot.clock.now, country="SA")
        uow.commit()
    plan_id = make_plan(
        bot,
        engineer="UBEN",
        review_dates={
            "1": "2027-01-07",  # Thursday: the last day of the Saudi week
            "4": "2027-01-10",  # Sunday: the first day of the next one
            "8": "2027-02-21",
            "12": "2027-03-21",
        },
    )
    check = f"plan:{plan_id}:progress_check:1"
    assert prompt_row(bot, check).status == "pending"  # not merged into Thursday's week
    tick(bot, datetime(2027, 1, 10, 10, 0, tzinfo=UTC))
    sent = prompt_row(bot, check)
    assert (sent.status, sent.sent_at) == ("sent", datetime(2027, 1, 10, 10, 0, tzinfo=UTC))
    assert sent.sent_at.date().weekday() == 6  # posted on the Sunday
