"""The period and review dates a new draft proposes (pure): drafting on every day of a year."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest

from bot.domain.cadence import Calendar, is_working_day, quarter_bounds
from bot.domain.goals import GoalDraft
from bot.domain.periods import (
    agreed_schedule,
    next_review,
    propose_period,
    propose_reviews,
    reflection_opens,
)
from bot.domain.plans import DraftForm, ManagerFacts, check_draft

YEARS = [2026, 2027, 2028]
BRITAIN = Calendar(holidays=frozenset(holidays.country_holidays("GB", years=YEARS)))
SAUDI_ARABIA = Calendar(
    weekend=frozenset({4, 5}), holidays=frozenset(holidays.country_holidays("SA", years=YEARS))
)
PAIRS = {"GB": BRITAIN, "GB+SA": BRITAIN.joined(SAUDI_ARABIA)}
FINE = ManagerFacts(is_self=False, is_bot=False, is_deleted=False)
DAYS_OF_2027 = [date(2027, 1, 1) + timedelta(days=n) for n in range(365)]


def proposal(today: date, calendar: Calendar) -> DraftForm:
    start, end = propose_period(today)
    return DraftForm(
        manager_user_id="UMAYA",
        period_start=start,
        period_end=end,
        review_dates=dict(propose_reviews(start, end, today, calendar)),
        strengths="Shipping search features end to end",
        difficulties="Production latency problems",
        aspiration="The engineer other teams call when their service is slow",
        goals=[
            GoalDraft(
                "Diagnose latency issues in the search service without escalating",
                "Lead two sev-2 incidents as primary on-call",
                end,
            )
        ],
    )


@pytest.mark.parametrize("pair", sorted(PAIRS))
@pytest.mark.parametrize("today", DAYS_OF_2027, ids=str)
def test_a_draft_opened_on_any_day_proposes_dates_ahead_on_working_days_that_are_accepted(
    today: date, pair: str
) -> None:
    calendar = PAIRS[pair]
    form = proposal(today, calendar)
    start, end = form.period_start, form.period_end
    assert start is not None and end is not None
    reviews = {key: on for key, on in form.review_dates.items() if on is not None}
    # nothing in the past
    assert start >= today and all(on >= today for on in reviews.values())
    # every review on a day both people work, inside the period, in the guide's order
    assert all(is_working_day(on, calendar) and start <= on <= end for on in reviews.values())
    guide = [reviews[k] for k in ("1", "4", "8", "12") if k in reviews]
    assert guide == sorted(guide) and len(set(guide)) == len(guide)
    assert "1" in reviews and "12" in reviews
    assert min(reviews.values()) == reviews["1"] and max(reviews.values()) == reviews["12"]
    # at most one review a week
    weeks = [calendar.week_of(on) for on in reviews.values()]
    assert len(weeks) == len(set(weeks))
    # late in a quarter, the next quarter
    _, this_end = quarter_bounds(today)
    if (this_end - today).days < 41:
        assert (start, end) == quarter_bounds(this_end + timedelta(days=1))
    else:
        assert (start, end) == (today, this_end)
    # the modal accepts the proposal as it stands
    assert check_draft(form, today, FINE) == []
    # the prompts, "next review" and the reflection button read the same dates
    schedule = agreed_schedule(start, end, reviews)
    assert sorted(o.on for o in schedule) == sorted(reviews.values())
    assert next_review(reviews, today) == reviews["1"]
    assert (
        reflection_opens(reviews, end)
        <= reviews["12"]
        < reflection_opens(reviews, end) + timedelta(days=7)
    )


def test_on_30_november_the_draft_proposes_next_quarter_with_goal_setting_after_new_year() -> None:
    form = proposal(date(2026, 11, 30), BRITAIN)
    assert (form.period_start, form.period_end) == (date(2027, 1, 1), date(2027, 3, 31))
    assert form.review_dates["1"] == date(2027, 1, 4)  # 1 January is a public holiday


def test_on_15_february_the_rest_of_the_quarter_has_a_check_and_a_reflection() -> None:
    form = proposal(date(2027, 2, 15), BRITAIN)
    assert (form.period_start, form.period_end) == (date(2027, 2, 15), date(2027, 3, 31))
    assert form.review_dates == {
        "1": date(2027, 2, 15),
        "4": date(2027, 3, 8),
        "12": date(2027, 3, 25),
    }


def test_a_period_chosen_to_start_in_the_past_keeps_only_the_dates_still_ahead() -> None:
    reviews = propose_reviews(date(2027, 1, 1), date(2027, 3, 31), date(2027, 2, 1), BRITAIN)
    assert reviews == {"1": date(2027, 2, 1), "8": date(2027, 2, 19), "12": date(2027, 3, 19)}


@pytest.mark.parametrize("days", [14, 30, 45, 60, 90, 120, 182, 365])
def test_any_period_length_has_one_goal_setting_and_one_reflection_on_its_agreed_dates(
    days: int,
) -> None:
    start = date(2027, 1, 4)
    end = start + timedelta(days=days - 1)
    reviews = propose_reviews(start, end, start, BRITAIN)
    schedule = agreed_schedule(start, end, reviews)
    kinds = [o.kind for o in schedule]
    assert kinds[0] == "goal_setting" and kinds[-1] == "reflection"
    assert kinds.count("reflection") == 1
    reflection = next(o for o in schedule if o.kind == "reflection")
    assert reflection.on == reviews["12"]  # messages name what the prompt is for
    if days > 98:
        assert "monthly_review" in kinds
        assert next_review(reviews, reviews["8"] + timedelta(days=1)) == reviews["m1"]
