"""Messages about the roster, rendered from prompts/roster/*.j2."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.slack.ids import Action
from bot.slack.payloads import encode
from bot.slack.views.common import clip, section
from bot.slack.views.messages import Message, buttons
from bot.slack.views.plan import plan_button
from prompts import plain, texts
from storage.models import Person, Plan
from storage.roster_models import ManagerClaim

# The plan states in which the manager's modal takes the new manager's commitments.
ADD_COMMITMENTS = ("awaiting_manager", "awaiting_engineer", "active")


class ClaimButton(BaseModel):
    claim_id: int = Field(ge=1, le=2**31 - 1)


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


@dataclass(frozen=True)
class ReportStage:
    user_id: str
    stage: str  # no_plan, drafted, agreed (bot/domain/cycles.py)
    status: str | None  # the plan's status


def cycle_week_one(engineer: Person, manager: Person, start: date, end: date) -> Message:
    text = t().cycle_week_one(engineer.slack_user_id, manager.slack_user_id, start, end)
    button = ActionsBlock(
        elements=[
            ButtonElement(
                text=plain(t().draft_my_plan()), action_id=Action.OPEN_PLAN, style="primary"
            )
        ]
    )
    return _message("cycle_week_one", text, button)


def cycle_manager_status(
    quarter: str, start: date, end: date, reports: list[ReportStage]
) -> Message:
    return _message("cycle_manager_status", t().cycle_manager_status(quarter, start, end, reports))


def cycle_manager_left(quarter: str, people: list[list[str]]) -> Message:
    return _message("cycle_manager_left", t().cycle_manager_left(quarter, people))


def chart_note() -> Message:
    return _message("health_chart", t().chart_note())


def claim_request(claim: ManagerClaim) -> Message:
    text = t().claim_request(claim.engineer.slack_user_id, claim.manager.slack_user_id)
    value = encode(ClaimButton(claim_id=claim.id))
    buttons_row = ActionsBlock(
        elements=[
            ButtonElement(
                text=plain(t().confirm()),
                action_id=Action.CONFIRM_MANAGER,
                value=value,
                style="primary",
            ),
            ButtonElement(text=plain(t().decline()), action_id=Action.DECLINE_MANAGER, value=value),
        ]
    )
    return _message("manager_claim", text, buttons_row)


def claim_answered(claim: ManagerClaim) -> Message:
    """The request, once answered: its buttons gone."""
    return _message("manager_claim", t().claim_answered(claim.engineer.slack_user_id, claim.status))


def claim_decided(claim: ManagerClaim) -> Message:
    return _message(
        "manager_claim_decided", t().claim_decided(claim.manager.slack_user_id, claim.status)
    )


def commitments_made(plan: Plan) -> Message:
    mine = [
        {"text": clip(c.text, 300), "due": c.due_date}
        for c in plan.commitments
        if c.status == "pending"
    ]
    text = t().commitments_made(plan.engineer.slack_user_id, plan.manager.slack_user_id, mine)
    return _message("commitments_made", text)
