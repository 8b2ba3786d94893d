"""The quarter's turning points: a draft left waiting for the manager (one nudge, in their DM)
and next quarter's week-1 prompt to the pair when a plan ends. Both in working hours."""

from __future__ import annotations

from datetime import datetime

from bot.config import Settings
from bot.domain.cadence import local_date
from bot.services import cadence
from bot.services.outbox.registry import Close, Decision, Kind, Rendered, register
from bot.services.week_one import DRAFT_WAITING, NEXT_QUARTER
from bot.slack.views import messages
from storage.models import Person, Prompt
from storage.unit_of_work import UnitOfWork


def _manager(prompt: Prompt) -> Person | None:
    return prompt.plan.manager if prompt.plan is not None else None


def _still_waiting(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Decision | None:
    plan = prompt.plan
    if plan is None or plan.status != "awaiting_manager":
        return Close("cancelled", "the draft is no longer waiting for the manager")
    return None


def _waiting(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    plan = prompt.plan
    assert plan is not None
    sent = plan.submitted_at or prompt.created_at
    return messages.draft_waiting(plan, local_date(sent, cadence.zone_of(plan.manager, settings)))


def _quarter_ended(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Decision | None:
    plan = prompt.plan
    if plan is None or plan.status not in ("active", "closed"):
        return Close("cancelled", f"the plan is {plan.status if plan else 'gone'}")
    if plan.paused_reason:
        return Close("paused", plan.paused_reason)
    current = uow.plans.current_for(plan.engineer)
    if current is not None and current.id != plan.id:
        return Close("cancelled", "next quarter's plan is drafted already")
    return None


def _week_one(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    assert prompt.plan is not None
    return messages.next_quarter(prompt.plan)


register(
    Kind(
        DRAFT_WAITING,
        to="dm",
        recipient=_manager,
        render=_waiting,
        working_hours=True,
        check=_still_waiting,
    )
)
register(Kind(NEXT_QUARTER, to="pair", render=_week_one, working_hours=True, check=_quarter_ended))
