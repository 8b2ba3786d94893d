import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.cadence import (
    Calendar,
    Occurrence,
    add_working_days,
    default_period,
    due_at,
    in_working_hours,
    is_long_period,
    is_window_passed,
    is_working_day,
    iso_week_key,
    local_date,
    next_working_day,
    pip_checkpoints,
    plan_schedule,
    quarter_bounds,
    review_dates,
    shift_for_absence,
    week_start,
    weekly_reminders,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
D = date


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def kinds(schedule: list[Occurrence]) -> list[tuple[str, int, date]]:
    return [(o.kind, o.occurrence, o.on) for o in schedule]


def sent_week(d: date) -> tuple[int, int]:
    return iso_week_key(next_working_day(d))


# Quarters and weeks


@pytest.mark.parametrize(
    ("day", "bounds"),
    [
        (D(2027, 1, 1), (D(2027, 1, 1), D(2027, 3, 31))),
        (D(2027, 2, 28), (D(2027, 1, 1), D(2027, 3, 31))),
        (D(2027, 4, 1), (D(2027, 4, 1), D(2027, 6, 30))),
        (D(2027, 6, 30), (D(2027, 4, 1), D(2027, 6, 30))),
        (D(2027, 8, 15), (D(2027, 7, 1), D(2027, 9, 30))),
        (D(2027, 10, 1), (D(2027, 10, 1), D(2027, 12, 31))),
        (D(2027, 12, 31), (D(2027, 10, 1), D(2027, 12, 31))),
        (D(2028, 2, 29), (D(2028, 1, 1), D(2028, 3, 31))),
    ],
)
def test_quarter_bounds_are_the_first_and_last_day_of_the_calendar_quarter(
    day: date, bounds: tuple[date, date]
) -> None:
    assert quarter_bounds(day) == bounds


def test_the_first_quarter_of_a_leap_year_has_91_days() -> None:
    first, last = quarter_bounds(D(2028, 3, 1))
    assert (last - first).days + 1 == 91
    first, last = quarter_bounds(D(2027, 3, 1))
    assert (last - first).days + 1 == 90


def test_the_default_period_is_the_current_quarter() -> None:
    assert default_period(D(2027, 5, 17)) == (D(2027, 4, 1), D(2027, 6, 30))


def test_week_one_is_the_start_date_and_week_four_is_three_weeks_later() -> None:
    assert week_start(D(2027, 1, 1), 1) == D(2027, 1, 1)
    assert week_start(D(2027, 1, 1), 4) == D(2027, 1, 22)
    with pytest.raises(ValueError):
        week_start(D(2027, 1, 1), 0)


def test_review_dates_are_weeks_one_four_eight_and_twelve_clipped_to_the_period() -> None:
    assert review_dates(D(2027, 1, 1), D(2027, 3, 31)) == {
        1: D(2027, 1, 1),
        4: D(2027, 1, 22),
        8: D(2027, 2, 19),
        12: D(2027, 3, 19),
    }
    assert review_dates(D(2027, 1, 1), D(2027, 2, 28))[12] == D(2027, 2, 28)


def test_a_period_longer_than_fourteen_weeks_is_long() -> None:
    assert not is_long_period(D(2027, 1, 1), D(2027, 3, 31))
    assert not is_long_period(D(2027, 1, 1), D(2027, 1, 1) + timedelta(days=97))
    assert is_long_period(D(2027, 1, 1), D(2027, 1, 1) + timedelta(days=98))
    assert is_long_period(D(2027, 1, 1), D(2027, 12, 31))


# Plan schedules


def test_a_quarterly_plan_prompts_in_weeks_one_four_eight_and_twelve() -> None:
    assert kinds(plan_schedule(D(2027, 1, 1), D(2027, 3, 31))) == [
        ("goal_setting", 1, D(2027, 1, 1)),
        ("progress_check", 1, D(2027, 1, 22)),
        ("progress_check", 2, D(2027, 2, 19)),
        ("reflection", 1, D(2027, 3, 19)),
    ]


def test_a_year_long_plan_adds_a_monthly_review_each_month_after_week_eight() -> None:
    schedule = plan_schedule(D(2027, 1, 1), D(2027, 12, 31))
    monthly = [(o.occurrence, o.on) for o in schedule if o.kind == "monthly_review"]
    assert monthly == [(n, D(2027, n + 2, 1)) for n in range(1, 11)]
    assert schedule[:3] == plan_schedule(D(2027, 1, 1), D(2027, 3, 31))[:3]
    assert schedule[-1] == Occurrence(D(2027, 12, 18), "reflection", 1)


def test_a_year_long_plan_never_prompts_twice_in_one_week() -> None:
    schedule = plan_schedule(D(2027, 1, 1), D(2027, 12, 31))
    weeks = [sent_week(o.on) for o in schedule]
    assert len(weeks) == len(set(weeks))
    assert schedule == sorted(schedule)


def test_monthly_reviews_keep_the_start_day_clamped_to_short_months() -> None:
    schedule = plan_schedule(D(2027, 1, 31), D(2028, 1, 30))
    monthly = [o.on for o in schedule if o.kind == "monthly_review"]
    assert monthly[:3] == [D(2027, 3, 31), D(2027, 4, 30), D(2027, 5, 31)]


def test_a_monthly_review_in_the_reflection_week_is_dropped() -> None:
    schedule = plan_schedule(D(2027, 2, 3), D(2027, 5, 17))
    assert schedule[-1] == Occurrence(D(2027, 5, 4), "reflection", 1)
    assert [o.on for o in schedule if o.kind == "monthly_review"] == [D(2027, 4, 3)]


def test_a_saturday_monthly_review_that_moves_into_the_reflection_week_is_dropped() -> None:
    schedule = plan_schedule(D(2027, 2, 1), D(2027, 5, 15))
    assert schedule[-1] == Occurrence(D(2027, 5, 2), "reflection", 1)
    assert D(2027, 5, 1) not in [o.on for o in schedule]


def test_a_short_custom_period_drops_later_checks_and_reflects_in_its_last_week() -> None:
    assert kinds(plan_schedule(D(2027, 2, 1), D(2027, 3, 5))) == [
        ("goal_setting", 1, D(2027, 2, 1)),
        ("progress_check", 1, D(2027, 2, 22)),
        ("reflection", 1, D(2027, 2, 27)),
    ]


def test_a_reflection_that_would_share_a_week_with_a_check_moves_to_the_next_monday() -> None:
    schedule = plan_schedule(D(2027, 1, 4), D(2027, 3, 2))
    assert schedule[-2:] == [
        Occurrence(D(2027, 2, 22), "progress_check", 2),
        Occurrence(D(2027, 3, 1), "reflection", 1),
    ]


def test_a_reflection_with_no_later_week_left_takes_the_place_of_the_last_check() -> None:
    assert kinds(plan_schedule(D(2027, 1, 4), D(2027, 2, 25))) == [
        ("goal_setting", 1, D(2027, 1, 4)),
        ("progress_check", 1, D(2027, 1, 25)),
        ("reflection", 1, D(2027, 2, 19)),
    ]


def test_a_period_within_one_week_has_only_goal_setting() -> None:
    assert kinds(plan_schedule(D(2027, 3, 29), D(2027, 3, 31))) == [
        ("goal_setting", 1, D(2027, 3, 29))
    ]


def test_a_period_ending_before_it_starts_is_rejected() -> None:
    with pytest.raises(ValueError):
        plan_schedule(D(2027, 3, 31), D(2027, 3, 1))


@pytest.mark.parametrize("length", [14, 28, 35, 45, 53, 60, 84, 90, 92, 98, 99, 120, 182, 365])
def test_every_schedule_starting_in_2027_keeps_the_cadence_invariants(length: int) -> None:
    for offset in range(365):
        start = D(2027, 1, 1) + timedelta(days=offset)
        end = start + timedelta(days=length - 1)
        schedule = plan_schedule(start, end)
        weeks = [sent_week(o.on) for o in schedule]
        assert schedule == sorted(schedule), start
        assert all(start <= o.on <= end for o in schedule), start
        assert len(weeks) == len(set(weeks)), start
        assert schedule[0] == Occurrence(start, "goal_setting", 1), start
        assert schedule[-1].kind == "reflection", start
        assert [o.kind for o in schedule].count("reflection") == 1, start
        for kind in ("progress_check", "monthly_review"):
            numbers = [o.occurrence for o in schedule if o.kind == kind]
            assert numbers == list(range(1, len(numbers) + 1)), start


# Working days and time zones


def test_a_weekday_is_its_own_next_working_day() -> None:
    assert next_working_day(D(2027, 3, 17)) == D(2027, 3, 17)


def test_a_prompt_due_on_saturday_moves_to_monday() -> None:
    assert next_working_day(D(2027, 3, 13)) == D(2027, 3, 15)
    assert due_at(D(2027, 3, 13), "Europe/London") == utc(2027, 3, 15, 10)


def test_a_prompt_due_on_a_holiday_moves_to_the_next_working_day() -> None:
    holidays = Calendar(holidays=frozenset({D(2027, 5, 31)}))
    assert due_at(D(2027, 5, 31), "Europe/London", calendar=holidays) == utc(2027, 6, 1, 9)


def test_a_holiday_on_a_friday_moves_the_prompt_past_the_weekend() -> None:
    holidays = Calendar(holidays=frozenset({D(2027, 4, 2)}))
    assert next_working_day(D(2027, 4, 2), holidays) == D(2027, 4, 5)
    holidays = Calendar(holidays=frozenset({D(2027, 4, 2), D(2027, 4, 5)}))
    assert due_at(D(2027, 4, 2), "Europe/London", calendar=holidays) == utc(2027, 4, 6, 9)


@pytest.mark.parametrize(
    ("on", "tz", "expected"),
    [
        (D(2027, 3, 8), "America/Los_Angeles", utc(2027, 3, 8, 18)),
        (D(2027, 3, 15), "America/Los_Angeles", utc(2027, 3, 15, 17)),
        (D(2027, 11, 8), "America/Los_Angeles", utc(2027, 11, 8, 18)),
        (D(2027, 3, 26), "Europe/London", utc(2027, 3, 26, 10)),
        (D(2027, 3, 29), "Europe/London", utc(2027, 3, 29, 9)),
        (D(2027, 3, 29), "Asia/Kolkata", utc(2027, 3, 29, 4, 30)),
    ],
)
def test_a_prompt_is_due_at_ten_local_time_across_daylight_saving(
    on: date, tz: str, expected: datetime
) -> None:
    due = due_at(on, tz)
    assert due == expected
    assert due.tzinfo is UTC


def test_a_prompt_hour_can_be_chosen() -> None:
    assert due_at(D(2027, 3, 15), "Asia/Kolkata", hour=9) == utc(2027, 3, 15, 3, 30)


@pytest.mark.parametrize("tz", ["Mars/Olympus_Mons", "", "../../etc/passwd", "zone.tab"])
def test_an_unknown_time_zone_is_a_value_error(tz: str) -> None:
    with pytest.raises(ValueError):
        due_at(D(2027, 3, 15), tz)


def test_the_local_date_follows_the_recipients_zone() -> None:
    instant = utc(2027, 3, 16, 2)
    assert local_date(instant, "America/Los_Angeles") == D(2027, 3, 15)
    assert local_date(instant, "Asia/Kolkata") == D(2027, 3, 16)


def test_a_naive_instant_is_rejected() -> None:
    with pytest.raises(ValueError):
        local_date(datetime(2027, 3, 16, 2), "Europe/London")


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (utc(2027, 3, 15, 7, 59), False),
        (utc(2027, 3, 15, 8), True),
        (utc(2027, 3, 15, 16, 59), True),
        (utc(2027, 3, 15, 17), False),
        (utc(2027, 3, 13, 10), False),
    ],
)
def test_working_hours_run_from_nine_until_six_on_weekdays(
    instant: datetime, expected: bool
) -> None:
    assert in_working_hours(instant, "Europe/Berlin") is expected


def test_working_hours_use_the_local_weekday() -> None:
    late_friday_in_los_angeles = utc(2027, 3, 20, 0, 30)
    assert in_working_hours(late_friday_in_los_angeles, "America/Los_Angeles", end=18) is True


def test_adding_working_days_skips_the_weekend_and_holidays() -> None:
    assert add_working_days(D(2027, 3, 12), 1) == D(2027, 3, 15)
    assert add_working_days(D(2027, 3, 11), 3) == D(2027, 3, 16)
    assert add_working_days(D(2027, 3, 13), 1) == D(2027, 3, 15)
    assert add_working_days(D(2027, 3, 12), 1, Calendar(holidays=frozenset({D(2027, 3, 15)}))) == D(
        2027, 3, 16
    )
    assert add_working_days(D(2027, 3, 15), -1) == D(2027, 3, 12)
    assert add_working_days(D(2027, 3, 13), 0) == D(2027, 3, 13)


# Absence, missed windows, reminders


def test_a_prompt_during_an_absence_moves_to_the_first_working_day_back() -> None:
    assert shift_for_absence(D(2027, 3, 10), D(2027, 3, 12)) == D(2027, 3, 15)
    assert shift_for_absence(D(2027, 3, 12), D(2027, 3, 12)) == D(2027, 3, 15)
    holidays = Calendar(holidays=frozenset({D(2027, 3, 15)}))
    assert shift_for_absence(D(2027, 3, 10), D(2027, 3, 12), holidays) == D(2027, 3, 16)


def test_a_prompt_outside_an_absence_is_unchanged() -> None:
    assert shift_for_absence(D(2027, 3, 13), D(2027, 3, 12)) == D(2027, 3, 13)
    assert shift_for_absence(D(2027, 3, 13), None) == D(2027, 3, 13)


def test_a_prompt_is_missed_once_the_next_of_its_kind_is_due() -> None:
    due, following = utc(2027, 1, 22, 10), utc(2027, 2, 19, 10)
    assert is_window_passed(due, following, following) is True
    assert is_window_passed(due, following, utc(2027, 3, 1)) is True


def test_a_late_prompt_is_still_sent_before_the_next_of_its_kind() -> None:
    due, following = utc(2027, 1, 22, 10), utc(2027, 2, 19, 10)
    assert is_window_passed(due, following, utc(2027, 2, 19, 9, 59)) is False
    assert is_window_passed(due, None, utc(2028, 1, 1)) is False


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2027, 3, 1), D(2027, 3, 5)),
        (D(2027, 3, 5), D(2027, 3, 5)),
        (D(2027, 3, 6), D(2027, 3, 12)),
        (D(2027, 3, 12), D(2027, 3, 12)),
        (D(2027, 3, 13), D(2027, 3, 19)),
    ],
)
def test_an_undelivered_commitment_is_reminded_on_its_due_date_then_weekly(
    today: date, expected: date
) -> None:
    assert weekly_reminders(D(2027, 3, 5), today) == expected


# PIP checkpoints


@pytest.mark.parametrize(
    ("weeks", "every", "count"),
    [(6, 7, 6), (8, 7, 8), (10, 14, 5), (12, 14, 6)],
)
def test_pip_checkpoints_are_weekly_up_to_eight_weeks_and_fortnightly_beyond(
    weeks: int, every: int, count: int
) -> None:
    start = D(2027, 3, 1)
    checkpoints = pip_checkpoints(start, weeks)
    assert checkpoints == [start + timedelta(days=every * k) for k in range(1, count + 1)]
    assert checkpoints[-1] <= start + timedelta(weeks=weeks)


def test_a_nine_week_pip_ends_its_fortnightly_checkpoints_before_the_end() -> None:
    checkpoints = pip_checkpoints(D(2027, 3, 1), 9)
    assert checkpoints[-1] == D(2027, 4, 26)


def test_iso_week_key_uses_the_iso_year() -> None:
    assert iso_week_key(D(2027, 1, 1)) == (2026, 53)
    assert iso_week_key(D(2027, 1, 4)) == (2027, 1)


def test_domain_is_pure() -> None:
    heavy = ["slack_bolt", "slack_sdk", "sqlalchemy", "jinja2", "pydantic"]
    code = (
        f"import sys, bot.domain.cadence; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


# The working week follows the country


SAUDI = Calendar(weekend=frozenset({4, 5}))  # Friday and Saturday


def test_a_friday_saturday_weekend_makes_sunday_a_working_day_and_friday_not() -> None:
    friday, saturday, sunday = D(2027, 1, 29), D(2027, 1, 30), D(2027, 1, 31)
    assert not is_working_day(friday, SAUDI) and not is_working_day(saturday, SAUDI)
    assert is_working_day(sunday, SAUDI)
    assert next_working_day(friday, SAUDI) == sunday
    assert add_working_days(D(2027, 1, 28), 1, SAUDI) == sunday


def test_the_working_week_starts_the_day_after_the_weekend() -> None:
    assert SAUDI.week_starts_on == 6  # Sunday
    assert SAUDI.week_of(D(2027, 2, 4)) == D(2027, 1, 31)  # Thursday's week began on Sunday
    assert Calendar().week_of(D(2027, 2, 4)) == D(2027, 2, 1)  # Monday


def test_two_countries_share_the_days_both_of_them_work() -> None:
    both = SAUDI.joined(Calendar(holidays=frozenset({D(2027, 2, 1)})))
    days = [D(2027, 1, 29) + timedelta(days=n) for n in range(7)]
    assert [d for d in days if is_working_day(d, both)] == [
        D(2027, 2, 2),
        D(2027, 2, 3),
        D(2027, 2, 4),
    ]


def test_working_hours_follow_the_weekend_of_the_calendar() -> None:
    friday_morning_riyadh = utc(2027, 1, 29, 8)
    sunday_morning_riyadh = utc(2027, 1, 31, 8)
    assert not in_working_hours(friday_morning_riyadh, "Asia/Riyadh", calendar=SAUDI)
    assert in_working_hours(sunday_morning_riyadh, "Asia/Riyadh", calendar=SAUDI)
    assert in_working_hours(friday_morning_riyadh, "Asia/Riyadh")  # Monday to Friday elsewhere
