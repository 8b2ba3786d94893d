"""A person's manager changes (by import, or confirmed in Slack): their open plan moves to the
new manager and the pair is told; the old manager's undelivered commitments close as handed
over and the new manager is asked for their own; early-intervention records stay with the
manager who wrote them; an open PIP never moves silently: HR is told and assigns it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.config import Settings
from bot.domain.cadence import local_date
from bot.services import cadence
from bot.services.outbox.queue import enqueue
from storage.models import Person, Plan, Prompt
from storage.pip_models import Pip
from storage.unit_of_work import UnitOfWork

PLAN_MOVED = "plan_moved"
COMMITMENTS_MADE = "commitments_made"
PIP_NEEDS_ASSIGNING = "pip_needs_assigning"
HANDED_OVER = "handed_over"


def open_pip_of(uow: UnitOfWork, engineer: Person) -> Pip | None:
    """The engineer's PIP under way (storage/pip_repository.py), asked before anything moves."""
    return uow.pips.under_way(engineer.team_id, engineer.id)


def change_manager(
    uow: UnitOfWork,
    engineer: Person,
    manager: Person,
    now: datetime,
    settings: Settings,
    *,
    source: str,
) -> Plan | None:
    """Make `manager` the engineer's manager and move what moves; the plan moved, if any.
    `source` ("import", "slack") is recorded in the messages' keys. Idempotent: the same
    manager again changes nothing."""
    previous = engineer.manager
    if previous is not None and previous.id == manager.id:
        return None
    engineer.manager = manager
    stamp = f"{source}:{now:%Y%m%dT%H%M%S}"
    pip = open_pip_of(uow, engineer)
    if pip is not None:
        _tell_hr(uow, engineer, pip, previous, manager, now, settings, stamp)
    plan = uow.plans.current_for(engineer)
    if plan is None or plan.manager_id == manager.id:
        return None
    _move(uow, plan, manager, now, settings, stamp)
    return plan


def _move(
    uow: UnitOfWork, plan: Plan, manager: Person, now: datetime, settings: Settings, stamp: str
) -> None:
    old = plan.manager
    today = local_date(now, cadence.zone_of(old, settings))
    handed = []
    for commitment in plan.commitments:
        if commitment.status == "pending":
            commitment.status = HANDED_OVER
            commitment.reason = f"handed over to {manager.name or manager.slack_user_id}"
            commitment.reason_on = today
            handed.append(commitment.text)
    for row in cadence.prompts_of(uow, plan):
        if row.kind == cadence.REMINDER and row.status in cadence.OPEN:
            row.status, row.error = "cancelled", "commitment handed over"
    plan.manager = manager
    if plan.status == "awaiting_engineer":  # the new manager makes their own commitments first
        plan.status = "awaiting_manager"
    plan.dm_channel_id = None  # the new pair's conversation is opened when first needed
    uow.session.flush()
    cadence.reslot_person(uow, plan.engineer, settings, now)  # the new pair's shared week
    enqueue(
        uow,
        PLAN_MOVED,
        key=f"plan:{plan.id}:moved:{manager.id}:{stamp}",
        team_id=plan.team_id,
        now=now,
        settings=settings,
        on=local_date(now, cadence.zone_of(plan.engineer, settings)),
        plan=plan,
        args={"previous": old.name or old.slack_user_id, "handed_over": handed[:10]},
    )


def _tell_hr(
    uow: UnitOfWork,
    engineer: Person,
    pip: Pip,
    previous: Person | None,
    manager: Person,
    now: datetime,
    settings: Settings,
    stamp: str,
) -> None:
    """The PIP stays with the manager who holds it; HR is told in the private HR channel (the
    named HR person mentioned), and assigns it."""
    hr_person = pip.hr_person
    if settings.hr_channel_id is None:
        return  # nowhere to tell HR; `pdpbot doctor` says HR_CHANNEL_ID is needed
    enqueue(
        uow,
        PIP_NEEDS_ASSIGNING,
        key=f"pip:{pip.id}:manager_changed:{manager.id}:{stamp}",
        team_id=engineer.team_id,
        now=now,
        settings=settings,
        channel=settings.hr_channel_id,
        subject=("person", engineer.id),
        args={
            "pip_id": pip.id,
            "engineer": engineer.name or engineer.slack_user_id,
            "engineer_id": engineer.slack_user_id,
            "previous": previous.name if previous is not None else "",
            "manager": manager.name or manager.slack_user_id,
            "hr_person_id": hr_person.slack_user_id if hr_person is not None else "",
        },
    )


def moved_to(uow: UnitOfWork, plan: Plan, manager: Person) -> bool:
    """Whether the plan moved to `manager` from another (their commitments are theirs to make
    on an agreed plan)."""
    found = uow.session.scalar(
        select(Prompt.id)
        .where(
            Prompt.plan_id == plan.id,
            Prompt.kind == PLAN_MOVED,
            Prompt.key.like(f"plan:{plan.id}:moved:{manager.id}:%"),
        )
        .limit(1)
    )
    return plan.manager_id == manager.id and found is not None


def commitments_made(uow: UnitOfWork, plan: Plan, now: datetime, settings: Settings) -> None:
    """The new manager wrote their commitments on a moved, agreed plan: the pair is told."""
    uow.session.flush()
    enqueue(
        uow,
        COMMITMENTS_MADE,
        key=f"plan:{plan.id}:commitments_made:v{plan.version}",
        team_id=plan.team_id,
        now=now,
        settings=settings,
        plan=plan,
    )
