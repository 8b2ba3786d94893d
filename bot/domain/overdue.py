"""What a manager's App Home flags: reviews unanswered after their nudge, plans with no review
for over 35 days, and a draft left waiting for the manager. Pure; `today` is an argument."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.cadence import Calendar

NO_REVIEW_DAYS = 35  # the guide's "at least monthly": over five weeks is a plan not reviewed
DRAFT_WAITING_DAYS = 3  # working days a draft may wait for the manager


@dataclass(frozen=True)
class ReviewPrompt:
    """A review prompt of an open plan, as App Home needs it."""

    kind: str  # progress_check | monthly_review | reflection (goal setting has no nudge)
    planned_on: date
    nudged: bool  # its one nudge was posted
    engineer_answered: bool = False
    manager_answered: bool = False


def is_overdue(prompt: ReviewPrompt, plan_active: bool, reviewed_on: Iterable[date]) -> bool:
    """Every review kind is overdue once its nudge went and it is still unanswered: a check-in
    until both have answered (or the manager held the review since), a reflection until it is
    written (the plan is then closed)."""
    if not prompt.nudged or not plan_active:
        return False
    if prompt.kind == "reflection":
        return True
    if prompt.engineer_answered and prompt.manager_answered:
        return False
    return not any(on >= prompt.planned_on for on in reviewed_on)


def days_without_review(last_review: date | None, started: date | None, today: date) -> int:
    """Days since the last review of any kind (or since the plan started, when it has none)."""
    since = last_review or started
    return (today - since).days if since is not None else 0


def unreviewed_too_long(days: int) -> bool:
    return days > NO_REVIEW_DAYS


def working_days_between(start: date, end: date, calendar: Calendar) -> int:
    """Working days after `start` up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


def draft_waited_too_long(working_days: int) -> bool:
    return working_days >= DRAFT_WAITING_DAYS
