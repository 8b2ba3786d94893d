"""What a PIP's rows mean, for its own listeners and for HR's digests and exports: the pure
facts the integrity rules read (bot/domain/pip_integrity.py), its signals today, and its
checkpoints that are overdue. Reading only: nothing here writes or checks who is asking
(HR's code asks the policy before it shows any of it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.pip_integrity import CheckpointFacts, PipFacts, Signal, integrity_signals
from bot.domain.pip_integrity import not_working as not_working_rule
from storage.pip_models import Pip, PipCheckpoint


def checkpoint_facts(checkpoint: PipCheckpoint) -> CheckpointFacts:
    statuses = tuple(str(a.get("status")) for a in checkpoint.assessments or [])
    deliveries = tuple(str(d.get("delivery")) for d in checkpoint.deliveries or [])
    return CheckpointFacts(
        number=checkpoint.number,
        due_on=checkpoint.due_on,
        overdue_on=checkpoint.overdue_on,
        recorded_on=checkpoint.recorded_on,
        statuses=statuses,
        deliveries=deliveries,
        adjusted=bool(checkpoint.adjustments.strip()),
        recognised=bool(checkpoint.working.strip()),
    )


def facts_of(pip: Pip) -> PipFacts | None:
    """The facts of a PIP whose plan is written (None before: no timeline yet)."""
    if pip.start_on is None or pip.end_on is None or pip.weeks is None:
        return None
    opened = pip.opened_at.date() if pip.opened_at else None
    received = pip.received_at.date() if pip.received_at else None
    return PipFacts(
        start_on=pip.start_on,
        end_on=pip.end_on,
        weeks=pip.weeks,
        earlier_iterations=pip.earlier_iterations,
        checkpoints=tuple(checkpoint_facts(c) for c in pip.checkpoints),
        opened_on=opened,
        acknowledged_on=received,
        criteria_unagreed=sum(
            1 for c in pip.criteria if pip.opened_at is not None and c.revision > 1 and not c.agreed
        ),
    )


def signals(pip: Pip, today: date) -> list[Signal]:
    """Its integrity signals today (empty before the plan is written)."""
    facts = facts_of(pip)
    return integrity_signals(facts, today) if facts else []


def not_working(pip: Pip, today: date) -> list[Signal]:
    facts = facts_of(pip)
    return not_working_rule(facts, today) if facts and pip.status == "open" else []


@dataclass(frozen=True)
class Overdue:
    pip: Pip
    checkpoint: PipCheckpoint


def overdue_checkpoints(pips: list[Pip], today: date) -> list[Overdue]:
    """Checkpoints of open PIPs not recorded and overdue today (two working days after their
    date, in the manager's calendar)."""
    return [
        Overdue(pip, c)
        for pip in pips
        if pip.status == "open"
        for c in pip.checkpoints
        if c.recorded_at is None and today >= c.overdue_on
    ]
