"""The roster's messages: a plan moved to a new manager (the new pair's DM, in their working
hours) and a PIP HR must assign (the private HR channel, at once)."""

from __future__ import annotations

from datetime import datetime

from bot.config import Settings
from bot.services.manager_change import PIP_NEEDS_ASSIGNING, PLAN_MOVED
from bot.services.outbox.registry import Close, Decision, Kind, Rendered, register
from bot.slack.views import roster as views
from storage.models import Prompt
from storage.repositories import OPEN_PLAN_STATES
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


register(Kind(PLAN_MOVED, to="pair", render=_moved, working_hours=True, check=_still_theirs))
register(Kind(PIP_NEEDS_ASSIGNING, to="channel", render=_pip))
