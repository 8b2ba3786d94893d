"""The calibration export: one row per engineer with the PDP data the guide wants in talent
reviews ("an engineer who is consistently making progress ... is different from one who has
the same goals quarter after quarter without movement"). Pure: rows from plain facts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.domain.cadence import quarter_bounds

MAX_GOALS = 3
_PERIOD = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
BASE_COLUMNS = (
    "engineer",
    "engineer_slack_id",
    "manager",
    "manager_slack_id",
    "period",
    "period_start",
    "period_end",
    "plan_status",
)
GOAL_COLUMNS = tuple(
    f"goal_{n}_{part}"
    for n in range(1, MAX_GOALS + 1)
    for part in ("outcome", "progress", "carried")
)
TAIL_COLUMNS = (
    "goals_carried_without_progress",
    "reviews_held",
    "reviews_due",
    "commitments_delivered",
    "commitments_made",
)
COLUMNS = (*BASE_COLUMNS, *GOAL_COLUMNS, *TAIL_COLUMNS)


class BadPeriod(ValueError):
    """Not a quarter such as 2027Q1."""


def parse_period(text: str) -> tuple[date, date]:
    """ "2027Q1" (or "2027-Q1") as its first and last day."""
    match = _PERIOD.match(text.strip())
    if not match:
        raise BadPeriod(text)
    year, quarter = int(match.group(1)), int(match.group(2))
    return quarter_bounds(date(year, 3 * quarter - 2, 1))


def period_label(start: date) -> str:
    return f"{start.year}Q{(start.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class GoalFacts:
    outcome: str
    progress: str
    carried: int
    end_state: str | None = None


@dataclass(frozen=True)
class EngineerFacts:
    engineer: str
    engineer_slack_id: str
    manager: str
    manager_slack_id: str
    period_start: date | None = None
    period_end: date | None = None
    plan_status: str = "no plan"
    goals: Sequence[GoalFacts] = ()
    review_dates: Sequence[date] = ()  # the agreed reviews after goal-setting
    reviews_held: int = 0
    commitments_made: int = 0
    commitments_delivered: int = 0


def row(facts: EngineerFacts, today: date) -> dict[str, str | int]:
    """One CSV row. Reviews due are the agreed review dates up to today (or the period's
    end, for a closed plan); a goal's state is its end state once the period has ended."""
    values: dict[str, str | int] = {
        "engineer": facts.engineer,
        "engineer_slack_id": facts.engineer_slack_id,
        "manager": facts.manager,
        "manager_slack_id": facts.manager_slack_id,
        "period": period_label(facts.period_start) if facts.period_start else "",
        "period_start": facts.period_start.isoformat() if facts.period_start else "",
        "period_end": facts.period_end.isoformat() if facts.period_end else "",
        "plan_status": facts.plan_status,
    }
    for n in range(MAX_GOALS):
        goal = facts.goals[n] if n < len(facts.goals) else None
        values[f"goal_{n + 1}_outcome"] = goal.outcome if goal else ""
        values[f"goal_{n + 1}_progress"] = (goal.end_state or goal.progress) if goal else ""
        values[f"goal_{n + 1}_carried"] = goal.carried if goal else ""
    cutoff = min(today, facts.period_end) if facts.period_end else today
    values["goals_carried_without_progress"] = sum(
        1 for g in facts.goals if g.carried >= 2 and g.progress == "not_started"
    )
    values["reviews_held"] = facts.reviews_held
    values["reviews_due"] = sum(1 for on in facts.review_dates if on <= cutoff)
    values["commitments_delivered"] = facts.commitments_delivered
    values["commitments_made"] = facts.commitments_made
    return values


def rows(engineers: Sequence[EngineerFacts], today: date) -> list[dict[str, str | int]]:
    ordered = sorted(engineers, key=lambda e: (e.manager.casefold(), e.engineer.casefold()))
    return [row(e, today) for e in ordered]
