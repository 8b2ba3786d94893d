"""Cadence arithmetic: when each plan prompt is due. Pure; `now`/`today` are always arguments."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import count
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PromptKind = Literal["goal_setting", "progress_check", "monthly_review", "reflection"]

WEEK = timedelta(days=7)
LONG_PERIOD_DAYS = 98
SATURDAY_SUNDAY = frozenset({5, 6})


@dataclass(frozen=True)
class Calendar:
    """A person's working week: the weekdays of their weekend (Monday is 0) and their public
    holidays. Services build it from the country's calendar (the `holidays` package knows
    each country's weekend: Friday and Saturday in Saudi Arabia)."""

    weekend: frozenset[int] = SATURDAY_SUNDAY
    holidays: frozenset[date] = frozenset()

    def is_working_day(self, d: date) -> bool:
        return d.weekday() not in self.weekend and d not in self.holidays

    def joined(self, other: Calendar) -> Calendar:
        """The days both people work."""
        return Calendar(self.weekend | other.weekend, self.holidays | other.holidays)

    @property
    def week_starts_on(self) -> int:
        """The first weekday after the weekend (Sunday after a Friday-Saturday weekend)."""
        starts = [d for d in range(7) if d not in self.weekend and (d - 1) % 7 in self.weekend]
        return 0 if not starts or 0 in starts else starts[0]

    def week_of(self, d: date) -> date:
        """The first day of `d`'s working week: the key of "one prompt a week"."""
        return d - timedelta(days=(d.weekday() - self.week_starts_on) % 7)


WEEKDAYS = Calendar()
NO_HOLIDAYS = WEEKDAYS


@dataclass(frozen=True, order=True)
class Occurrence:
    on: date  # planned date; due_at applies the working-day adjustment
    kind: PromptKind
    occurrence: int  # 1-based within its kind for this plan


def quarter_bounds(d: date) -> tuple[date, date]:
    first_month = 3 * ((d.month - 1) // 3) + 1
    last_month = first_month + 2
    last_day = monthrange(d.year, last_month)[1]
    return date(d.year, first_month, 1), date(d.year, last_month, last_day)


def default_period(today: date) -> tuple[date, date]:
    return quarter_bounds(today)


def week_start(start: date, week: int) -> date:
    if week < 1:
        raise ValueError(f"weeks count from 1, got {week}")
    return start + (week - 1) * WEEK


def review_dates(start: date, end: date) -> dict[int, date]:
    return {week: min(week_start(start, week), end) for week in (1, 4, 8, 12)}


def is_long_period(start: date, end: date) -> bool:
    return (end - start).days + 1 > LONG_PERIOD_DAYS


def is_working_day(d: date, calendar: Calendar = WEEKDAYS) -> bool:
    return calendar.is_working_day(d)


def next_working_day(d: date, calendar: Calendar = WEEKDAYS) -> date:
    for _ in range(400):  # a calendar with no working day at all must not hang
        if calendar.is_working_day(d):
            return d
        d += timedelta(days=1)
    return d


def previous_working_day(d: date, calendar: Calendar = WEEKDAYS) -> date:
    for _ in range(400):
        if calendar.is_working_day(d):
            return d
        d -= timedelta(days=1)
    return d


def add_working_days(d: date, n: int, calendar: Calendar = WEEKDAYS) -> date:
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    for _ in range(400 + 2 * remaining):
        if not remaining:
            break
        d += step
        if calendar.is_working_day(d):
            remaining -= 1
    return d


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ValueError(f"unknown time zone: {tz!r}") from error


def due_at(on: date, tz: str, hour: int = 10, calendar: Calendar = WEEKDAYS) -> datetime:
    local = datetime.combine(next_working_day(on, calendar), time(hour), tzinfo=_zone(tz))
    return local.astimezone(UTC)


def _to_local(instant: datetime, tz: str) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(_zone(tz))


def local_date(instant: datetime, tz: str) -> date:
    return _to_local(instant, tz).date()


def in_working_hours(
    instant: datetime, tz: str, start: int = 9, end: int = 18, calendar: Calendar = WEEKDAYS
) -> bool:
    local = _to_local(instant, tz)
    return local.weekday() not in calendar.weekend and start <= local.hour < end


def shift_for_absence(on: date, away_until: date | None, calendar: Calendar = WEEKDAYS) -> date:
    if away_until is None or on > away_until:
        return on
    return next_working_day(away_until + timedelta(days=1), calendar)


def is_window_passed(
    kind_due: datetime, next_same_kind_due: datetime | None, now: datetime
) -> bool:
    return next_same_kind_due is not None and kind_due <= next_same_kind_due <= now


def weekly_reminders(due: date, today: date) -> date:
    if today <= due:
        return due
    weeks_behind = -(-(today - due).days // 7)
    return due + weeks_behind * WEEK


def pip_checkpoints(start: date, weeks: int) -> list[date]:
    if weeks < 1:
        raise ValueError(f"a PIP lasts at least one week, got {weeks}")
    every = WEEK if weeks <= 8 else 2 * WEEK
    last = start + weeks * WEEK
    return [start + k * every for k in range(1, (last - start) // every + 1)]


def iso_week_key(d: date) -> tuple[int, int]:
    iso = d.isocalendar()
    return iso.year, iso.week


def _prompt_week(d: date) -> tuple[int, int]:
    return iso_week_key(next_working_day(d))


def _monday_after_week_of(d: date) -> date:
    sent = next_working_day(d)
    return sent - timedelta(days=sent.weekday()) + WEEK


def _months_after(start: date, months: int) -> date:
    years, month_index = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month_index + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def _progress_checks(start: date, end: date) -> list[Occurrence]:
    dates = [week_start(start, week) for week in (4, 8)]
    return [Occurrence(d, "progress_check", n) for n, d in enumerate(dates, 1) if d <= end]


def _place_reflection(start: date, end: date, before: list[Occurrence]) -> list[Occurrence]:
    """Quarterly plans: week 12, else the period's last week after the last kept prompt."""
    if week_start(start, 12) <= end:
        return [*before, Occurrence(week_start(start, 12), "reflection", 1)]
    last = before[-1]
    wanted = max(end - timedelta(days=6), last.on)
    if _prompt_week(wanted) != _prompt_week(last.on):
        return [*before, Occurrence(wanted, "reflection", 1)]
    if _monday_after_week_of(last.on) <= end:
        return [*before, Occurrence(_monday_after_week_of(last.on), "reflection", 1)]
    if last.kind == "goal_setting":
        return before
    return _place_reflection(start, end, before[:-1])


def _monthly_reviews(
    start: date, until: date, other_weeks: set[tuple[int, int]]
) -> list[Occurrence]:
    after_week_8 = week_start(start, 8)
    taken = set(other_weeks)
    reviews: list[date] = []
    for d in (_months_after(start, months) for months in count(1)):
        if d >= until:
            break
        if d > after_week_8 and _prompt_week(d) not in taken:
            reviews.append(d)
            taken.add(_prompt_week(d))
    return [Occurrence(d, "monthly_review", n) for n, d in enumerate(reviews, 1)]


def plan_schedule(start: date, end: date) -> list[Occurrence]:
    if end < start:
        raise ValueError(f"period ends {end} before it starts {start}")
    fixed = [Occurrence(start, "goal_setting", 1), *_progress_checks(start, end)]
    if not is_long_period(start, end):
        return sorted(_place_reflection(start, end, fixed))
    fixed.append(Occurrence(end - timedelta(days=13), "reflection", 1))
    taken = {_prompt_week(o.on) for o in fixed}
    return sorted(fixed + _monthly_reviews(start, fixed[-1].on, taken))
