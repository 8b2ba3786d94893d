"""Messages of the PDP lifecycle to the other person, sent as soon as the change is saved:
the draft to the manager, the manager's part to the engineer, and to the pair's DM the plan
started, each review's summary, the plan closed and the manager's perspective on it."""

from __future__ import annotations

from datetime import datetime

from bot.config import Settings
from bot.services.outbox.registry import (
    Check,
    Close,
    Decision,
    Kind,
    Rendered,
    register,
    subject,
)
from bot.slack.views import messages
from storage.models import Plan, Prompt, ReviewEntry
from storage.unit_of_work import UnitOfWork


def _waiting_for(status: str) -> Check:
    """Sent only while the plan still waits for what the message asks for."""

    def check(
        uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
    ) -> Decision | None:
        plan = prompt.plan
        if plan is None:
            return Close("cancelled", "the plan is gone")
        if plan.status != status:
            return Close("cancelled", f"the plan is {plan.status} now")
        return None

    return check


def _plan_exists(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Decision | None:
    return None if prompt.plan is not None else Close("cancelled", "the plan is gone")


def _plan(prompt: Prompt) -> Plan:
    assert prompt.plan is not None
    return prompt.plan


def _draft(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    return messages.draft_submitted(_plan(prompt))


def _responded(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    return messages.manager_responded(_plan(prompt))


def _active(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    return messages.plan_active(_plan(prompt))


def _perspective(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    return messages.perspective_added(_plan(prompt))


def _closed(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    return messages.plan_closed(_plan(prompt))


def _review_check(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Decision | None:
    if prompt.plan is None or subject(uow, prompt, ReviewEntry) is None:
        return Close("cancelled", "the review is gone")
    return None


def _summary(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    return messages.review_summary(_plan(prompt), subject(uow, prompt, ReviewEntry))


DRAFT_SUBMITTED = register(
    Kind("draft_submitted", to="dm", render=_draft, check=_waiting_for("awaiting_manager"))
)
MANAGER_RESPONDED = register(
    Kind("manager_responded", to="dm", render=_responded, check=_waiting_for("awaiting_engineer"))
)
PLAN_ACTIVE = register(Kind("plan_active", to="pair", render=_active, check=_plan_exists))
REVIEW_SUMMARY = register(Kind("review_summary", to="pair", render=_summary, check=_review_check))
PLAN_CLOSED = register(Kind("plan_closed", to="pair", render=_closed, check=_plan_exists))
PERSPECTIVE_ADDED = register(
    Kind("perspective_added", to="pair", render=_perspective, check=_plan_exists)
)
