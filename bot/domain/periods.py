"""Which period a new plan proposes, and its review dates: one schedule that the modal shows,
the prompts follow, and every message, "next review" and the reflection button read. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from bot.domain.cadence import (
    WEEKDAYS,
    Calendar,
    Occurrence,
    PromptKind,
    next_working_day,
    plan_schedule,
    previous_working_day,
    quarter_bounds,
)

# Fewer days than this left in the quarter: propose the next one (a plan needs room for its
# goal setting, a progress check and a reflection).
LATE_IN_QUARTER_DAYS = 42

# The guide's four conversations keep the keys plans have always stored them under.
GUIDE_KEYS: dict[tuple[PromptKind, int], str] = {
    ("goal_setting", 1): "1",
    ("progress_check", 1): "4",
    ("progress_check", 2): "8",
    ("reflection", 1): "12",
}
KINDS_OF = {key: kind for kind, key in GUIDE_KEYS.items()}
EDITABLE = ("1", "4", "8", "12")
# Which of two reviews in one week is kept: the lower rank.
RANK = {"goal_setting": 0, "reflection": 1, "progress_check": 2, "monthly_review": 3}


def agreed_key(kind: str, occurrence: int) -> str:
    return GUIDE_KEYS.get((kind, occurrence), f"m{occurrence}")  # type: ignore[arg-type]


def occurrence_of(key: str) -> tuple[PromptKind, int]:
    if key in KINDS_OF:
        return KINDS_OF[key]
    return "monthly_review", int(key[1:])


def parse_agreed(raw: Mapping[str, object]) -> dict[str, date]:
    """A plan's stored review dates (ISO strings by key) as dates."""
    return {key: date.fromisoformat(str(on)[:10]) for key, on in raw.items()}


def propose_period(today: date) -> tuple[date, date]:
    """This quarter from today, or next quarter when this one is nearly over."""
    start, end = quarter_bounds(today)
    if (end - today).days + 1 < LATE_IN_QUARTER_DAYS:
        return quarter_bounds(end + timedelta(days=1))
    return max(start, today), end


def propose_reviews(
    start: date, end: date, today: date, calendar: Calendar = WEEKDAYS
) -> dict[str, date]:
    """The plan's cadence (weeks 1, 4, 8 and 12, monthly reviews in a long plan) on days both
    people work, none before `today`, at most one a week. Keys: `agreed_key`."""
    if end < start:
        return {}
    first = max(start, today)
    kept: list[Occurrence] = []
    for occ in plan_schedule(start, end):
        on = _working_day_within(occ.on, first, end, calendar)
        if occ.kind == "goal_setting":
            on = _working_day_within(first, first, end, calendar)
        elif occ.kind == "reflection" and occ.on < first:
            on = previous_working_day(end, calendar)
            on = on if on >= first else _working_day_within(first, first, end, calendar)
        elif occ.on < first:
            continue  # a check whose week has gone: the next one keeps the rhythm
        kept.append(Occurrence(on, occ.kind, occ.occurrence))
    return {agreed_key(o.kind, o.occurrence): o.on for o in _one_a_week(kept, calendar)}


def _working_day_within(on: date, first: date, end: date, calendar: Calendar) -> date:
    """`on` or the next day both work; the last such day of the period when none is left."""
    later = next_working_day(max(on, first), calendar)
    if later <= end:
        return later
    earlier = previous_working_day(end, calendar)
    return earlier if earlier >= first else max(on, first)


def _one_a_week(occurrences: list[Occurrence], calendar: Calendar) -> list[Occurrence]:
    """A check or monthly review in a week already taken is dropped; the goal setting and the
    reflection are always kept (only a period of a week or two puts them in one week)."""
    taken: set[date] = set()
    kept = []
    for occ in sorted(occurrences, key=lambda o: (RANK[o.kind], o.on)):
        week = calendar.week_of(occ.on)
        if week not in taken or occ.kind in ("goal_setting", "reflection"):
            kept.append(occ)
            taken.add(week)
    return sorted(kept)


def agreed_schedule(start: date, end: date, agreed: Mapping[str, date]) -> list[Occurrence]:
    """The prompts of a plan: its agreed dates where it has them. A plan agreed with a full
    schedule (it has a goal-setting date) keeps exactly those; an older or partial one is
    completed from the cadence."""
    if "1" in agreed:
        occurrences = [Occurrence(on, *occurrence_of(key)) for key, on in agreed.items()]
        return sorted(occurrences)
    result = []
    for occ in plan_schedule(start, end):
        on = agreed.get(agreed_key(occ.kind, occ.occurrence), occ.on)
        result.append(Occurrence(on, occ.kind, occ.occurrence))
    return sorted(result)


def next_review(
    agreed: Mapping[str, date], today: date, *, checks_only: bool = False
) -> date | None:
    """The first agreed review on or after `today` (a check, a monthly review or the
    reflection only, when `checks_only`)."""
    upcoming = sorted(
        on for key, on in agreed.items() if on >= today and not (checks_only and key == "1")
    )
    return upcoming[0] if upcoming else None


def reflection_opens(agreed: Mapping[str, date], end: date, calendar: Calendar = WEEKDAYS) -> date:
    """The first day of the agreed reflection's working week (the period's last week when a
    plan is too short to have one): closing earlier would cut its own cadence short."""
    return calendar.week_of(agreed.get("12", end))
