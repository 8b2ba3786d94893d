"""When a message reaches the people it is for: a working day for each of them, at an hour
inside everyone's working hours, as near the configured local hour as possible. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.cadence import (
    WEEKDAYS,
    Calendar,
    due_at,
    in_working_hours,
    local_date,
    next_working_day,
    shift_for_absence,
)

WORK_START, WORK_END = 9, 18
SEARCH_DAYS = 21
LATE_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class Recipient:
    tz: str
    calendar: Calendar = WEEKDAYS
    away_until: date | None = None


def hours_by_preference(hour: int) -> list[int]:
    """Working hours ordered by distance from `hour`, later first on a tie."""
    hours = range(WORK_START, WORK_END)
    return sorted(hours, key=lambda h: (abs(h - hour), -h))


def is_good_time(instant: datetime, recipients: Sequence[Recipient]) -> bool:
    return all(
        in_working_hours(instant, r.tz, WORK_START, WORK_END, r.calendar)
        and local_date(instant, r.tz) not in r.calendar.holidays
        and (r.away_until is None or local_date(instant, r.tz) > r.away_until)
        for r in recipients
    )


def first_day(on: date, recipients: Sequence[Recipient]) -> date:
    """`on`, moved past anyone's absence."""
    return max(shift_for_absence(on, r.away_until, r.calendar) for r in recipients)


def slot(on: date, recipients: Sequence[Recipient], hour: int) -> datetime:
    """The first good time on or after `on` (in the first recipient's calendar).

    When the recipients' working hours never overlap, the first recipient's own
    hour on their next working day is used."""
    if not recipients:
        raise ValueError("a message needs at least one recipient")
    anchor = recipients[0]
    zone = ZoneInfo(anchor.tz)
    start = first_day(on, recipients)
    day = start
    for _ in range(SEARCH_DAYS):
        day = next_working_day(day, anchor.calendar)
        for h in hours_by_preference(hour):
            instant = datetime.combine(day, time(h), tzinfo=zone).astimezone(UTC)
            if is_good_time(instant, recipients):
                return instant
        day += timedelta(days=1)
    return due_at(start, anchor.tz, hour, anchor.calendar)


def next_good_time(after: datetime, recipients: Sequence[Recipient], hour: int) -> datetime:
    """For late work: `after` itself when it is a good time, else the next slot."""
    if is_good_time(after, recipients):
        return after
    today = local_date(after, recipients[0].tz)
    candidate = slot(today, recipients, hour)
    if candidate >= after:
        return candidate
    return slot(today + timedelta(days=1), recipients, hour)


def is_late(due: datetime, now: datetime) -> bool:
    return now - due > LATE_AFTER


def prompt_week(instant: datetime, tz: str, calendar: Calendar = WEEKDAYS) -> date:
    """The working week `instant` falls in, in `tz`: its first day (Sunday after a
    Friday-Saturday weekend, not the ISO week's Monday). The key of "one prompt a week"."""
    return calendar.week_of(local_date(instant, tz))


def week_calendar(recipients: Sequence[Recipient]) -> Calendar:
    """The week the recipients share: the days all of them work."""
    calendar = recipients[0].calendar if recipients else WEEKDAYS
    for r in recipients[1:]:
        calendar = calendar.joined(r.calendar)
    return calendar
