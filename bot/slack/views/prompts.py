"""Block Kit for the messages the cadence engine posts. Pure builders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.slack.ids import Action
from bot.slack.views.refs import PlanRef, PromptRef, encode
from prompts import plain, texts
from storage.models import Commitment, Plan, Prompt

CHECKIN_KINDS = ("progress_check", "monthly_review")
MAX_GOAL_CHARS = 400
ReminderState = Literal["open", "delivered", "not_yet", "withdrawn"]


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[Block]


def t() -> Any:
    return texts("cadence/messages")


def _md(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text[:3000]))


def _note(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text[:3000])])


def week_number(plan: Plan, on: date) -> int:
    return (on - plan.period_start).days // 7 + 1


def prompt_title(prompt: Prompt, plan: Plan) -> str:
    long = (plan.period_end - plan.period_start).days + 1 > 98
    week = week_number(plan, prompt.planned_on)
    title: str = t().title(prompt.kind, week, prompt.occurrence, long)
    return title


def _button(label: str, action: str, value: str, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=plain(label), action_id=action, value=value, style=style)


def _actions(prompt: Prompt, plan: Plan) -> ActionsBlock:
    ref = encode(PromptRef(prompt_id=prompt.id))
    buttons = []
    if prompt.kind in CHECKIN_KINDS:
        buttons.append(_button(t().open_checkin(), Action.OPEN_CHECKIN, ref, "primary"))
    if prompt.kind == "reflection":
        plan_ref = encode(PlanRef(plan_id=plan.id))
        buttons.append(_button(t().reflect(), Action.OPEN_REFLECTION, plan_ref, "primary"))
    buttons.append(_button(t().reschedule(), Action.OPEN_RESCHEDULE, ref))
    buttons.append(_button(t().away(), Action.OPEN_AWAY, ref))
    return ActionsBlock(block_id="cadence_actions", elements=buttons)


def answer_status(prompt: Prompt, plan: Plan) -> str:
    answered: list[str] = []
    waiting: list[str] = []
    for person, at in (
        (plan.engineer, prompt.engineer_answered_at),
        (plan.manager, prompt.manager_answered_at),
    ):
        (answered if at else waiting).append(person.name)
    status: str = t().status(answered, waiting)
    return status


def plan_prompt(
    prompt: Prompt,
    plan: Plan,
    *,
    late_on: date | None = None,
    moved: tuple[str, date] | None = None,
    closed: bool = False,
) -> Message:
    title = prompt_title(prompt, plan)
    intro = str(t().intro(prompt.kind, plan.engineer.name, plan.manager.name))
    blocks: list[Block] = [HeaderBlock(text=plain(title)[:150])]
    if late_on:
        blocks.append(_note(t().late(late_on)))
    blocks.append(_md(intro))
    if prompt.kind == "goal_setting":
        blocks.append(_md(t().conversation_prompts()))
    if prompt.kind in CHECKIN_KINDS:
        blocks.append(_md(t().review_questions()))
    goals = [_short_goal(g) for g in plan.goals]
    blocks.append(_md(t().goals(goals)))
    if plan.commitments:
        blocks.append(_md(t().commitments(plan.commitments)))
    if prompt.kind in CHECKIN_KINDS:
        blocks.append(_note(answer_status(prompt, plan)))
    if closed:
        blocks.append(_note(t().closed()))
    elif moved:
        blocks.append(_note(t().moved(*moved)))
    elif plan.status != "active":  # the goal-setting prompt of a plan being agreed
        blocks.append(_note(t().agreeing(plan.status, plan.engineer.name, plan.manager.name)))
    else:
        blocks.append(_actions(prompt, plan))
    return Message(f"{title}: {intro}"[:3000], blocks)


def _short_goal(goal: Any) -> dict[str, Any]:
    outcome = goal.outcome if len(goal.outcome) <= MAX_GOAL_CHARS else goal.outcome[:399] + "…"
    return {"outcome": outcome, "target_date": goal.target_date}


def reminder(
    prompt: Prompt,
    commitment: Commitment,
    plan: Plan,
    *,
    late_on: date | None = None,
    state: ReminderState = "open",
    note_args: tuple[Any, ...] = (),
) -> Message:
    due = commitment.due_date or prompt.planned_on
    body = t().reminder(commitment.text, due, plan.engineer.name, late_on)
    blocks: list[Block] = [_md(body)]
    if state == "open":
        ref = encode(PromptRef(prompt_id=prompt.id))
        blocks.append(
            ActionsBlock(
                block_id="reminder_actions",
                elements=[
                    _button(t().delivered_button(), Action.REMIND_DELIVERED, ref, "primary"),
                    _button(t().not_yet_button(), Action.REMIND_NEXT_WEEK, ref),
                    _button(t().withdraw_button(), Action.REMIND_WITHDRAW, ref),
                ],
            )
        )
    else:
        blocks.append(_note(getattr(t(), state)(*note_args)))
    return Message(body[:3000], blocks)


def nudge(parent: Prompt, plan: Plan, waiting: list[str]) -> Message:
    assert parent.sent_at is not None
    text = t().nudge(prompt_title(parent, plan), parent.sent_at.date(), waiting, parent.kind)
    return Message(text, [_md(text)])
