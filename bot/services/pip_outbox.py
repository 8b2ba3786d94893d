"""The messages a PIP owes, through the outbox in the caller's transaction. Where they go is
the issue's rule: the HR person's DM, the manager's DM, the engineer's DM, the pair's DM;
nothing else (bot/services/outbox/kinds/pips.py renders them when they are sent)."""

from __future__ import annotations

from typing import Any

from bot.domain.pip_rules import checkpoint_dates, overdue_on
from bot.services.cadence import calendar_of
from bot.services.common import Ctx
from bot.services.outbox.kinds import pips as kinds
from bot.services.outbox.queue import cancel_pending, enqueue
from storage.models import Person
from storage.pip_models import Pip, PipCheckpoint

SUBJECT_TYPE = "pip"


def _send(
    ctx: Ctx,
    pip: Pip,
    kind: str,
    key: str,
    recipient: Person | None,
    args: dict[str, Any] | None = None,
    on: Any = None,
) -> None:
    enqueue(
        ctx.uow,
        kind,
        key=f"pip:{pip.id}:{key}",
        team_id=ctx.team_id,
        now=ctx.now,
        settings=ctx.settings,
        on=on,
        recipient=recipient,
        subject=(SUBJECT_TYPE, pip.id),
        args=args,
    )


def _stamp(ctx: Ctx, pip: Pip) -> str:
    """Unique per step of a PIP: every step appends an audit event first."""
    return f"{len(ctx.uow.audit.for_subject(SUBJECT_TYPE, pip.id))}"


def ask_hr(ctx: Ctx, pip: Pip) -> None:
    """The preconditions in the HR person's DM, with Acknowledge and Ask for changes."""
    _send(ctx, pip, kinds.HR_REVIEW, f"hr_review:{_stamp(ctx, pip)}", pip.hr_person)


def tell_manager(ctx: Ctx, pip: Pip, step: str) -> None:
    """acknowledged (write the plan), changes (HR's words), opening (the conversation's
    checklist and Mark opened), answered (the engineer's answers)."""
    _send(
        ctx, pip, kinds.MANAGER, f"manager:{step}:{_stamp(ctx, pip)}", pip.manager, {"step": step}
    )


def tell_hr(ctx: Ctx, pip: Pip, what: str, **args: Any) -> None:
    """opened, signals, not_working, outcome: in the HR person's DM."""
    _send(
        ctx,
        pip,
        kinds.HR_NOTICE,
        f"hr:{what}:{_stamp(ctx, pip)}",
        pip.hr_person,
        {"what": what, **args},
    )


def send_plan_to_engineer(ctx: Ctx, pip: Pip) -> None:
    _send(ctx, pip, kinds.ENGINEER_PLAN, "engineer_plan", pip.engineer, {"again": False})
    tell_hr(ctx, pip, "opened")


def ask_engineer_again(ctx: Ctx, pip: Pip) -> None:
    """A criterion changed after the engineer answered: they are asked again."""
    _send(
        ctx,
        pip,
        kinds.ENGINEER_PLAN,
        f"engineer_again:{_stamp(ctx, pip)}",
        pip.engineer,
        {"again": True},
    )


def schedule_checkpoints(ctx: Ctx, pip: Pip, after: int = 0) -> None:
    """Checkpoint rows for the schedule from the start (or, for an extension, those after
    checkpoint `after`), each owing the manager a prompt on its date, a reminder when it is
    overdue, and HR a notice then."""
    assert pip.start_on and pip.end_on and pip.frequency
    calendar = calendar_of(pip.manager, ctx.settings, pip.start_on)
    working_day = calendar.is_working_day
    dates = checkpoint_dates(pip.start_on, pip.end_on, pip.frequency, working_day)
    last_due = pip.checkpoints[-1].due_on if pip.checkpoints else None
    number = len(pip.checkpoints)
    for due in dates:
        if last_due is not None and due <= last_due:
            continue
        number += 1
        checkpoint = PipCheckpoint(
            team_id=pip.team_id,
            number=number,
            due_on=due,
            overdue_on=overdue_on(due, working_day),
        )
        pip.checkpoints.append(checkpoint)
        owe_checkpoint(ctx, pip, checkpoint)


def owe_checkpoint(ctx: Ctx, pip: Pip, checkpoint: PipCheckpoint) -> None:
    number = {"number": checkpoint.number}
    n = checkpoint.number
    _send(ctx, pip, kinds.CHECKPOINT, f"checkpoint:{n}", pip.manager, number, checkpoint.due_on)
    overdue = checkpoint.overdue_on
    _send(ctx, pip, kinds.OVERDUE, f"overdue:{n}", pip.manager, number, overdue)
    _send(ctx, pip, kinds.HR_OVERDUE, f"hr_overdue:{n}", pip.hr_person, number, overdue)


def share_checkpoint(ctx: Ctx, pip: Pip, number: int) -> None:
    """The checkpoint's summary in the pair's DM."""
    _send(ctx, pip, kinds.SUMMARY, f"summary:{number}", None, {"number": number})


def tell_outcome(ctx: Ctx, pip: Pip, outcome: str) -> None:
    """The outcome in the pair's DM (the engineer is told) and in HR's DM."""
    _send(
        ctx, pip, kinds.OUTCOME, f"outcome:{outcome}:{_stamp(ctx, pip)}", None, {"outcome": outcome}
    )
    tell_hr(ctx, pip, "outcome", outcome=outcome)


def withdraw(ctx: Ctx, pip: Pip, reason: str) -> None:
    """Everything still owed for it (checkpoints, reminders) is no longer owed."""
    cancel_pending(ctx.uow, reason, subject=(SUBJECT_TYPE, pip.id), kinds=kinds.WITHDRAWN)
