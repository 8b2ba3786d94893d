"""Adding a message to the outbox, in the caller's transaction: the change and the message
it owes commit together, or neither does. Once committed it is sent within moments (the unit of
work wakes the sender) and, if this process dies first, by the next tick."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.config import Settings
from bot.domain.cadence import local_date
from bot.services.outbox.registry import kind_of
from storage.models import Commitment, Person, Plan, Prompt
from storage.unit_of_work import UnitOfWork


def enqueue(
    uow: UnitOfWork,
    kind: str,
    *,
    key: str,
    team_id: str,
    now: datetime,
    settings: Settings,
    on: date | None = None,
    due_at: datetime | None = None,
    plan: Plan | None = None,
    recipient: Person | None = None,
    channel: str | None = None,
    parent: Prompt | None = None,
    commitment: Commitment | None = None,
    subject: tuple[str, int] | None = None,
    args: dict[str, Any] | None = None,
) -> Prompt:
    """The row for `key`, added unless a row with that key exists (then it is returned as it
    is: enqueueing is idempotent, so a retried request owes one message, not two).

    A working-hours kind is due on the local date `on` at the configured hour in its people's
    working hours; any other kind at `due_at` (default: now)."""
    spec = kind_of(kind)
    existing = uow.session.scalar(select(Prompt).where(Prompt.key == key))
    if existing is not None:
        return existing
    row = Prompt(
        team_id=team_id,
        key=key,
        kind=kind,
        occurrence=1,
        plan=plan,
        recipient=recipient,
        channel=channel,
        parent=parent,
        commitment=commitment,
        subject_type=subject[0] if subject else None,
        subject_id=subject[1] if subject else None,
        args=args,
        status="pending",
        attempts=0,
        created_at=now,
    )
    if spec.working_hours:
        from bot.services.cadence import place  # cadence places rows through the registry

        if on is None:
            raise ValueError(f"{kind} is sent in working hours: give the date it is due (on=)")
        row.planned_on = on
        with uow.session.no_autoflush:
            place(row, settings, now)
    else:
        row.due_at = due_at or now
        row.planned_on = on or local_date(row.due_at, settings.default_tz)
    try:
        with uow.session.begin_nested():
            uow.session.add(row)
    except IntegrityError:  # the same key, enqueued by a concurrent request
        found = uow.session.scalar(select(Prompt).where(Prompt.key == key))
        if found is None:
            raise
        return found
    uow.wake_after_commit(row)
    return row


def cancel_pending(
    uow: UnitOfWork,
    reason: str,
    *,
    subject: tuple[str, int] | None = None,
    plan: Plan | None = None,
    kinds: tuple[str, ...] | None = None,
) -> int:
    """Withdraw what is still owed about `subject` (or of `plan`), of `kinds` (default: all):
    the rows not yet taken by a tick end as cancelled with `reason`. A row being sent right now
    is left to its kind's `check` and the claim. Returns how many were withdrawn."""
    if subject is None and plan is None:
        raise ValueError("cancel_pending needs a subject or a plan")
    query = select(Prompt).where(Prompt.status == "pending")
    if subject is not None:
        query = query.where(Prompt.subject_type == subject[0], Prompt.subject_id == subject[1])
    if plan is not None:
        query = query.where(Prompt.plan_id == plan.id)
    if kinds is not None:
        query = query.where(Prompt.kind.in_(kinds))
    rows = list(uow.session.scalars(query))
    for row in rows:
        row.status, row.error = "cancelled", reason[:200]
    return len(rows)
