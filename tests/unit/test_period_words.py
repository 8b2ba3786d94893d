"""The long-period warning names the period's length, not "a year" (issue 7, Words)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.domain.plans import check_draft
from prompts import render
from tests.unit.test_plan_rules import DRAFT, FINE, TODAY


@pytest.mark.parametrize(("end", "days"), [(date(2027, 4, 30), "120"), (date(2027, 12, 31), "365")])
def test_a_long_period_is_warned_about_in_its_own_number_of_days(end: date, days: str) -> None:
    [finding] = [
        f
        for f in check_draft(replace(DRAFT, period_end=end), TODAY, FINE)
        if f.code == "period_long"
    ]
    text = render(f"findings/{finding.code}", **finding.params)
    assert text.startswith(f"{days} days is a long time for one plan")
    assert "year" not in text


def test_a_quarter_gets_no_long_period_warning() -> None:
    assert not [f for f in check_draft(DRAFT, TODAY, FINE) if f.code == "period_long"]
