"""Messages the bot posts, built from prompts/messages/*.j2 (text) and Block Kit (buttons)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from slack_sdk.models.blocks import Block

from bot.domain.cadence import quarter_bounds
from bot.domain.periods import parse_agreed
from bot.slack.ids import Action
from bot.slack.views.common import clip, section
from bot.slack.views.draft import schedule_items
from bot.slack.views.plan import plan_button
from prompts import render, texts
from storage.models import Plan, ReviewEntry


@dataclass(frozen=True)
class Message:
    kind: str
    text: str
    blocks: list[Block] = field(default_factory=list)


def buttons() -> Any:
    return texts("messages/buttons")


def _plan_context(plan: Plan) -> dict[str, Any]:
    return {
        "engineer": plan.engineer.name,
        "manager": plan.manager.name,
        "engineer_id": plan.engineer.slack_user_id,
        "manager_id": plan.manager.slack_user_id,
        "start": plan.period_start,
        "end": plan.period_end,
        "goals": [
            {
                "outcome": clip(g.outcome, 300),
                "success": clip(g.success, 300),
                "target_date": g.target_date,
                "comment": clip(g.manager_comment, 300),
                "progress": g.progress,
                "carried": g.carried_count,
                "end_state": g.end_state,
                "carry_forward": g.carry_forward,
            }
            for g in plan.goals
        ],
        "commitments": [
            {
                "text": clip(c.text, 300),
                "due_date": c.due_date,
                "status": c.status,
                "reason": clip(c.reason, 300),
                "reason_on": c.reason_on,
            }
            for c in plan.commitments
        ],
        "reviews": schedule_items(dict(parse_agreed(plan.review_dates or {}))),
    }


def _message(
    kind: str,
    plan: Plan,
    button: tuple[str, Action] | None = None,
    *more: tuple[str, Action],
    **extra: Any,
) -> Message:
    text = render(f"messages/{kind}", **_plan_context(plan), **extra)
    blocks: list[Block] = [section(text)]
    if button:
        label, action = button
        blocks.append(plan_button(plan, label, action, "primary", *more))
    fallback = clip(text.splitlines()[0] if text else kind, 3000)
    return Message(kind, fallback, blocks)


def draft_submitted(plan: Plan) -> Message:
    return _message(
        "draft_submitted", plan, (buttons().add_commitments(), Action.OPEN_MANAGER_MODAL)
    )


def manager_responded(plan: Plan) -> Message:
    return _message(
        "manager_responded", plan, (buttons().review_and_confirm(), Action.OPEN_CONFIRM_MODAL)
    )


def plan_active(plan: Plan) -> Message:
    return _message("plan_active", plan)


def review_summary(plan: Plan, entry: ReviewEntry) -> Message:
    return _message(
        "review_summary",
        plan,
        entry={
            "on": entry.occurred_on,
            "progress": clip(entry.progress, 500),
            "blockers": clip(entry.blockers, 500),
            "adjustments": clip(entry.adjustments, 500),
            "delivered": entry.answers.get("delivered", []),
            "commitments": [
                {
                    "text": clip(c.get("text", ""), 300),
                    "status": c.get("status", ""),
                    "reason": clip(c.get("reason", ""), 300),
                }
                for c in entry.answers.get("commitments") or _commitments_now(plan)
            ],
        },
    )


def _commitments_now(plan: Plan) -> list[dict[str, str]]:
    """A review recorded before reviews kept their commitments' states: as they are now."""
    return [{"text": c.text, "status": c.status, "reason": c.reason} for c in plan.commitments]


def draft_waiting(plan: Plan, since: date) -> Message:
    """The manager's one nudge about a draft waiting for their commitments."""
    return _message(
        "draft_waiting",
        plan,
        (buttons().add_commitments(), Action.OPEN_MANAGER_MODAL),
        since=since,
    )


def next_quarter(plan: Plan) -> Message:
    """Next quarter's week-1 prompt, when `plan` has ended: the conversation, and the draft."""
    start, end = quarter_bounds(plan.period_end + timedelta(days=1))
    return _message(
        "next_quarter",
        plan,
        (buttons().start_next_quarter(), Action.START_NEXT_QUARTER),
        next_start=start,
        next_end=end,
        status=plan.status,
    )


def perspective_added(plan: Plan) -> Message:
    return _message("perspective_added", plan, perspective=clip(plan.reflection_manager, 1500))


def plan_closed(plan: Plan) -> Message:
    return _message(
        "plan_closed",
        plan,
        (buttons().start_next_quarter(), Action.START_NEXT_QUARTER),
        (buttons().add_perspective(), Action.OPEN_PERSPECTIVE),
        perspective=clip(plan.reflection_manager, 1500),
        achieved=clip(plan.reflection_achieved, 800),
        changed=clip(plan.reflection_changed, 800),
        carry=clip(plan.reflection_carry_forward, 800),
    )
