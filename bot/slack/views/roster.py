"""Messages about the roster, rendered from prompts/roster/*.j2."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block

from bot.slack.ids import Action
from bot.slack.views.common import clip, section
from bot.slack.views.messages import Message, buttons
from bot.slack.views.plan import plan_button
from prompts import texts
from storage.models import Plan

# The plan states in which the manager's modal takes the new manager's commitments.
ADD_COMMITMENTS = ("awaiting_manager", "awaiting_engineer", "active")


def t() -> Any:
    return texts("roster/messages")


def _message(kind: str, text: str, *more: Block) -> Message:
    return Message(kind, clip(text.splitlines()[0] if text else kind, 3000), [section(text), *more])


def plan_moved(plan: Plan, previous: str, handed_over: list[str]) -> Message:
    text = t().plan_moved(
        plan.engineer.slack_user_id, plan.manager.slack_user_id, previous, handed_over, plan.status
    )
    if plan.status not in ADD_COMMITMENTS:
        return _message("plan_moved", text)
    button = plan_button(plan, buttons().add_commitments(), Action.OPEN_MANAGER_MODAL, "primary")
    return _message("plan_moved", text, button)


def pip_needs_assigning(args: dict[str, Any]) -> Message:
    text = t().pip_needs_assigning(
        args.get("engineer", ""),
        args.get("engineer_id", ""),
        args.get("previous", ""),
        args.get("manager", ""),
        args.get("hr_person_id", ""),
    )
    return _message("pip_needs_assigning", text)
