from datetime import UTC, date, datetime

from bot.domain.slots import Recipient, is_good_time, next_good_time, slot

LONDON = Recipient("Europe/London")
LA = Recipient("America/Los_Angeles")
KOLKATA = Recipient("Asia/Kolkata")


def test_one_person_hears_at_the_prompt_hour_on_the_next_working_day() -> None:
    assert slot(date(2027, 1, 23), [LONDON], 10) == datetime(2027, 1, 25, 10, 0, tzinfo=UTC)


def test_a_pair_eight_hours_apart_meets_at_nine_in_la_and_five_in_london() -> None:
    assert slot(date(2027, 1, 25), [LA, LONDON], 10) == datetime(2027, 1, 25, 17, 0, tzinfo=UTC)


def test_between_the_us_and_uk_clock_changes_the_overlap_widens_to_ten_in_la() -> None:
    assert slot(date(2027, 3, 22), [LA, LONDON], 10) == datetime(2027, 3, 22, 17, 0, tzinfo=UTC)


def test_kolkata_and_london_meet_in_the_kolkata_afternoon() -> None:
    due = slot(date(2027, 1, 25), [KOLKATA, LONDON], 10)
    assert due == datetime(2027, 1, 25, 9, 30, tzinfo=UTC)  # 15:00 in Kolkata
    assert is_good_time(due, [KOLKATA, LONDON])


def test_zones_that_never_overlap_fall_back_to_the_first_persons_hour() -> None:
    due = slot(date(2027, 1, 25), [LA, KOLKATA], 10)
    assert due == datetime(2027, 1, 25, 18, 0, tzinfo=UTC)  # 10:00 in Los Angeles


def test_someone_away_is_prompted_on_their_first_working_day_back() -> None:
    away = Recipient("Europe/London", away_until=date(2027, 2, 26))
    assert slot(date(2027, 2, 22), [away, LONDON], 10) == datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


def test_late_work_found_at_night_waits_for_the_morning() -> None:
    night = datetime(2027, 1, 26, 2, 0, tzinfo=UTC)
    assert next_good_time(night, [LONDON], 10) == datetime(2027, 1, 26, 10, 0, tzinfo=UTC)
    afternoon = datetime(2027, 1, 26, 15, 0, tzinfo=UTC)
    assert next_good_time(afternoon, [LONDON], 10) == afternoon


def test_the_week_of_one_prompt_a_week_follows_the_pairs_working_week() -> None:
    from bot.domain.cadence import Calendar
    from bot.domain.slots import prompt_week, week_calendar

    saudi = Recipient("Asia/Riyadh", Calendar(frozenset({4, 5})))  # Friday and Saturday off
    thursday = datetime(2027, 1, 7, 7, 0, tzinfo=UTC)  # 10:00 in Riyadh
    sunday = datetime(2027, 1, 10, 7, 0, tzinfo=UTC)
    week = week_calendar([saudi, saudi])
    assert prompt_week(thursday, "Asia/Riyadh", week) == date(2027, 1, 3)  # began on Sunday
    assert prompt_week(sunday, "Asia/Riyadh", week) == date(2027, 1, 10)  # a new week
    assert prompt_week(sunday, "Asia/Riyadh") == date(2027, 1, 4)  # Monday-to-Friday: ISO's
    british = Recipient("Europe/London")
    assert week_calendar([saudi, british]).weekend == frozenset({4, 5, 6})
    assert prompt_week(sunday, "Asia/Riyadh", week_calendar([saudi, british])) == date(2027, 1, 4)
