"""Quarterly cycles across the roster: when a quarter's cycle starts, who it reaches, and how
far each team is (no plan, drafted, agreed). Pure; `today` is always an argument."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.domain.cadence import Calendar, next_working_day, quarter_bounds

Stage = Literal["no_plan", "drafted", "agreed"]
DRAFTED = ("draft", "awaiting_manager", "awaiting_engineer")
AGREED = ("active", "closed")
AUTO_START_DAYS = timedelta(days=14)


def quarter_label(day: date) -> str:
    """ "2027Q1" for any day of that quarter."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def scope_of(teams: Iterable[str]) -> str:
    """How a cycle's teams are stored: "" for every team, else sorted and comma-separated."""
    return ",".join(sorted({t.strip() for t in teams if t.strip()}))


def first_day(quarter_start: date, calendar: Calendar) -> date:
    """The quarter's first working day: when its cycle starts by itself."""
    return next_working_day(quarter_start, calendar)


def due_to_start(today: date, calendar: Calendar) -> str | None:
    """The quarter whose cycle the tick starts: from the quarter's first working day, and for
    AUTO_START_DAYS after it (a tick missed that day still starts it; a roster imported in
    the middle of a quarter does not). None otherwise."""
    start, _ = quarter_bounds(today)
    first = first_day(start, calendar)
    return quarter_label(today) if first <= today <= first + AUTO_START_DAYS else None


def stage_of(plan_status: str | None) -> Stage:
    """Where an engineer is in the quarter: no plan, drafted (draft to awaiting the engineer's
    confirmation) or agreed (active, or already closed)."""
    if plan_status in AGREED:
        return "agreed"
    if plan_status in DRAFTED:
        return "drafted"
    return "no_plan"


@dataclass(frozen=True)
class Completion:
    team: str
    no_plan: int
    drafted: int
    agreed: int

    @property
    def people(self) -> int:
        return self.no_plan + self.drafted + self.agreed


def completion(rows: Iterable[tuple[str, str | None]]) -> list[Completion]:
    """Per team, from (team, plan status or None) per engineer on the roster; by team name."""
    counts: dict[str, dict[Stage, int]] = {}
    for team, status in rows:
        stages = counts.setdefault(team, {"no_plan": 0, "drafted": 0, "agreed": 0})
        stages[stage_of(status)] += 1
    return [
        Completion(team, c["no_plan"], c["drafted"], c["agreed"])
        for team, c in sorted(counts.items())
    ]


def in_scope(team: str | None, scope: str) -> bool:
    return not scope or (team or "") in scope.split(",")


def overlaps(period: tuple[date, date], quarter: Sequence[date]) -> bool:
    """Whether a plan's period covers any day of the quarter."""
    return period[0] <= quarter[1] and period[1] >= quarter[0]
