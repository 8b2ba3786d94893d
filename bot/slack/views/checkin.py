"""Modals of the cadence: the two halves of a check-in, moving a review, being away. Pure."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.commitments import REASON_LIMIT
from bot.slack.ids import Callback
from bot.slack.views.prompts import prompt_title
from bot.slack.views.refs import PromptRef, ReminderAnswer, encode
from prompts import plain, texts
from storage.models import Commitment, Plan, Prompt

ENGINEER_BACK = ("done", "worked", "blockers", "learned")
ENGINEER_FORWARD = ("focus", "need", "change")
REQUIRED = {"done"}
MAX_ANSWER = 2000


def t() -> Any:
    return texts("cadence/modals")


def _md(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text[:3000]))


def _question(block_id: str, label: str) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=plain(label)[:2000],
        optional=block_id not in REQUIRED,
        element=PlainTextInputElement(action_id=block_id, multiline=True, max_length=MAX_ANSWER),
    )


def _modal(callback: str, title: str, submit: str, prompt: Prompt, blocks: list[Block]) -> View:
    return View(
        type="modal",
        callback_id=callback,
        title=plain(title),
        submit=plain(submit),
        close=plain(t().close()),
        private_metadata=encode(PromptRef(prompt_id=prompt.id)),
        blocks=blocks,
    )


def engineer_checkin(prompt: Prompt, plan: Plan) -> View:
    blocks: list[Block] = [_md(t().context(prompt_title(prompt, plan), plan.engineer.name))]
    blocks.append(_md(t().looking_back()))
    blocks += [_question(key, getattr(t(), key)()) for key in ENGINEER_BACK]
    blocks.append(_md(t().looking_forward()))
    blocks += [_question(key, getattr(t(), key)()) for key in ENGINEER_FORWARD]
    return _modal(Callback.CHECKIN_ENGINEER, t().engineer_title(), t().submit(), prompt, blocks)


def commitment_block(commitment_id: int) -> str:
    return f"commitment_{commitment_id}"


def reason_block(commitment_id: int) -> str:
    return f"reason_{commitment_id}"


def reason_input(commitment: Commitment) -> InputBlock:
    """One line: why it is not delivered yet, or no longer needed (kept from last time)."""
    shown = commitment.reason if commitment.status != "delivered" else ""
    return InputBlock(
        block_id=reason_block(commitment.id),
        label=plain(t().reason_label()),
        hint=plain(t().reason_hint(commitment.due_date)),
        optional=True,
        element=PlainTextInputElement(
            action_id="reason",
            max_length=REASON_LIMIT,
            initial_value=shown or None,
        ),
    )


def manager_checkin(prompt: Prompt, plan: Plan) -> View:
    blocks: list[Block] = [_md(t().context(prompt_title(prompt, plan), plan.engineer.name))]
    blocks.append(_md(t().manager_intro()))
    options = [
        Option(value="delivered", label=plain(t().delivered())),
        Option(value="pending", label=plain(t().not_yet())),
        Option(value="withdrawn", label=plain(t().withdrawn())),
    ]
    for commitment in plan.commitments:
        initial = next((o for o in options if o.value == commitment.status), options[1])
        blocks.append(
            InputBlock(
                block_id=commitment_block(commitment.id),
                label=commitment.text[:2000],
                element=RadioButtonsElement(
                    action_id="state", options=options, initial_option=initial
                ),
            )
        )
        blocks.append(reason_input(commitment))
    if not plan.commitments:
        blocks.append(_md(t().no_commitments()))
    blocks += [_question(key, getattr(t(), key)()) for key in ("seeing", "conditions")]
    return _modal(Callback.CHECKIN_MANAGER, t().manager_title(), t().submit(), prompt, blocks)


def reminder_answer(prompt: Prompt, commitment: Commitment, state: str) -> View:
    """ "Not yet" or "No longer needed" from a reminder: one line saying why."""
    blocks: list[Block] = [
        _md(t().reminder_context(state, commitment.text[:1500], commitment.due_date)),
        InputBlock(
            block_id="reason",
            label=plain(t().reminder_reason_label(state)),
            hint=plain(t().reminder_reason_hint()),
            element=PlainTextInputElement(
                action_id="reason",
                max_length=REASON_LIMIT,
                initial_value=commitment.reason or None,
            ),
        ),
    ]
    meta = ReminderAnswer.model_validate({"prompt_id": prompt.id, "state": state})
    return View(
        type="modal",
        callback_id=Callback.REMINDER_REASON,
        title=plain(t().reminder_title(state)),
        submit=plain(t().reminder_submit(state)),
        close=plain(t().close()),
        private_metadata=encode(meta),
        blocks=blocks,
    )


def reschedule(prompt: Prompt, plan: Plan) -> View:
    blocks: list[Block] = [
        _md(t().reschedule_context(prompt_title(prompt, plan), prompt.planned_on)),
        InputBlock(
            block_id="date",
            label=plain(t().new_date()),
            element=DatePickerElement(action_id="date", initial_date=prompt.planned_on.isoformat()),
        ),
    ]
    return _modal(
        Callback.RESCHEDULE, t().reschedule_title(), t().reschedule_submit(), prompt, blocks
    )


def away(prompt: Prompt, until: date | None) -> View:
    picker = DatePickerElement(action_id="until")
    if until is not None:
        picker.initial_date = until.isoformat()
    blocks: list[Block] = [
        _md(t().away_context()),
        InputBlock(block_id="until", label=plain(t().away_until()), element=picker),
    ]
    return _modal(Callback.AWAY, t().away_title(), t().submit(), prompt, blocks)
