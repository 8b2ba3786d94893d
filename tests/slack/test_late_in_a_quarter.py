"""Late in a quarter the draft proposes the next one, and the engineer can choose otherwise
(issue 7, Period and review dates), through signed requests."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select

from bot.fakeslack import input_values
from storage.models import Plan
from tests.cadence_support import person
from tests.conftest import Bot
from tests.slack.helpers import GOOD_DRAFT, open_pdp, submit, text_of_view

UTC = timezone.utc


def pickers(view: dict[str, Any]) -> dict[str, str | None]:
    return {
        b["block_id"]: b["element"].get("initial_date")
        for b in view["blocks"]
        if b.get("type") == "input" and b["element"]["type"] == "datepicker"
    }


def test_on_30_november_the_draft_proposes_next_quarter_and_this_one_can_be_kept(
    bot: Bot,
) -> None:
    bot.clock.now = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # 09:00 for Ana in Los Angeles
    with bot.uow() as uow:
        person(uow, "T0001", "UANA", bot.clock.now, country="US")  # 1 January is a holiday
        uow.commit()
    view = open_pdp(bot, "UANA")
    assert pickers(view)["period_start"] == "2027-01-01"
    assert pickers(view)["period_end"] == "2027-03-31"
    assert "Goal setting *Mon 4 Jan 2027*" in text_of_view(view)

    # Ana keeps the rest of this quarter instead: the dates move with it, none in the past
    typed = {"period_start": "2026-11-30", "period_end": "2026-12-31"}
    view["state"] = {"values": input_values(view, typed)}
    bot.slack.block_action(
        "UANA", "value", view=view, block_id="period_start", selected_date="2026-11-30"
    )
    moved = bot.fake.last_view("UANA")
    assert moved is not None
    text = text_of_view(moved)
    assert "Goal setting *Mon 30 Nov 2026*" in text
    assert "reflection *" in text and "2027" not in text.split("Goal setting", 1)[1].split("\n")[0]

    response = submit(bot, "UANA", {**GOOD_DRAFT, **typed, "goal1_target": "2026-12-18"})
    assert "Maya Okafor will get your draft" in response.text, response.text
    with bot.uow() as uow:
        plan = uow.session.scalars(select(Plan)).one()
        assert (str(plan.period_start), str(plan.period_end)) == ("2026-11-30", "2026-12-31")
        assert plan.review_dates["1"] == "2026-11-30"
        assert all("2026-11-30" <= on <= "2026-12-31" for on in plan.review_dates.values())
        assert "12" in plan.review_dates
