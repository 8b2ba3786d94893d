"""The roster's messages: a plan moved to a new manager (the new pair's DM, in their working
hours) and a PIP HR must assign (the private HR channel, at once)."""

from __future__ import annotations

from datetime import datetime

from bot.config import Settings
from bot.services.claims import ASK, DECIDED
from bot.services.manager_change import COMMITMENTS_MADE, PIP_NEEDS_ASSIGNING, PLAN_MOVED
from bot.services.outbox.registry import Close, Decision, Kind, Rendered, register, subject
from bot.slack.views import roster as views
from storage.models import Prompt
from storage.repositories import OPEN_PLAN_STATES
from storage.roster_models import ManagerClaim
from storage.unit_of_work import UnitOfWork


def _still_theirs(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Decision | None:
    plan = prompt.plan
    if plan is None or plan.status not in OPEN_PLAN_STATES:
        return Close("cancelled", "the plan is no longer open")
    return None


def _moved(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    assert prompt.plan is not None
    args = prompt.args or {}
    return views.plan_moved(
        prompt.plan, str(args.get("previous", "")), list(args.get("handed_over") or [])
    )


def _pip(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    return views.pip_needs_assigning(dict(prompt.args or {}))


def _claim(uow: UnitOfWork, prompt: Prompt) -> ManagerClaim:
    found = subject(uow, prompt, ManagerClaim)
    assert found is not None  # _claim_exists closed the row otherwise
    return found


def _claim_exists(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Decision | None:
    found = subject(uow, prompt, ManagerClaim)
    if found is None:
        return Close("cancelled", "the claim is gone")
    if prompt.kind == ASK and found.status != "pending":
        return Close("cancelled", f"the claim was {found.status} before it was sent")
    return None


def _ask(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    return views.claim_request(_claim(uow, prompt))


def _decided(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    return views.claim_decided(_claim(uow, prompt))


register(Kind(ASK, to="dm", render=_ask, check=_claim_exists))
register(Kind(DECIDED, to="dm", render=_decided, check=_claim_exists))


def _made(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    assert prompt.plan is not None
    return views.commitments_made(prompt.plan)


register(Kind(COMMITMENTS_MADE, to="pair", render=_made, check=_still_theirs))
register(Kind(PLAN_MOVED, to="pair", render=_moved, working_hours=True, check=_still_theirs))
register(Kind(PIP_NEEDS_ASSIGNING, to="channel", render=_pip))
