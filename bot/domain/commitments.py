"""A manager's commitments: when each is due, and when saying it is not delivered needs a
reason. The guide asks for an explicit conversation when delivery pressure wins over
development, so "not yet" on a commitment whose date has passed, and "no longer needed", take
one line saying why. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

STATES = ("pending", "delivered", "withdrawn")
REASON_LIMIT = 200  # one line


@dataclass(frozen=True)
class Answer:
    """What the manager said about one commitment: its state, and why when not delivered."""

    state: str
    reason: str = ""


@dataclass(frozen=True)
class Standing:
    """A commitment as it stands before the answer."""

    status: str
    due_date: date | None


def default_due(due: date | None, first_check: date | None, period_end: date) -> date:
    """A commitment without a date is due by the plan's next check, so it is reminded too."""
    return due or first_check or period_end


def needs_reason(answer: Answer, standing: Standing, today: date) -> bool:
    """ "No longer needed" always; "not yet" once the day it was due is over."""
    if answer.state == "withdrawn":
        return True
    if answer.state == "pending":
        return standing.due_date is not None and standing.due_date < today
    return False


def missing_reasons(
    answers: Mapping[int, Answer], standings: Mapping[int, Standing], today: date
) -> list[int]:
    """The commitments (by id) whose answer needs a reason and has none, in id order."""
    return sorted(
        cid
        for cid, answer in answers.items()
        if cid in standings
        and needs_reason(answer, standings[cid], today)
        and not answer.reason.strip()
    )


def one_line(reason: str) -> str:
    """The reason as one line, at most REASON_LIMIT characters."""
    flat = " ".join(reason.split())
    return flat if len(flat) <= REASON_LIMIT else flat[: REASON_LIMIT - 1].rstrip() + "…"
