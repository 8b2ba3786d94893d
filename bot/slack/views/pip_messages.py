"""Messages about a PIP, rendered when the outbox sends them (bot/services/outbox/kinds/pips.py).
Texts in prompts/pip/messages.j2; people's words escaped at the template layer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, PlainTextObject

from bot.config import Settings
from bot.slack.ids import Action
from bot.slack.payloads import encode
from bot.slack.views.common import clip, context, section
from bot.slack.views.messages import Message
from bot.slack.views.pip_refs import PipRef
from prompts import plain, render, texts
from storage.pip_models import Pip, PipCheckpoint

FIELD_CHARS = 600


def _t() -> Any:
    return texts("pip/messages")


def button(label: str, action: str, ref: PipRef, style: str | None = None) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=clip(plain(label), 75)),
        action_id=action,
        value=encode(ref),
        style=style,
    )


def _sections(text: str) -> list[Block]:
    """A long text in as many sections as Slack's 3000-character limit needs."""
    chunks, current = [], ""
    for line in str(text).split("\n"):
        if len(current) + len(line) + 1 > 2900:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    chunks.append(current)
    return [section(chunk) for chunk in chunks if chunk.strip()]


def hr_review(pip: Pip) -> Message:
    t = _t()
    p = {
        k: clip(str(v), FIELD_CHARS)
        for k, v in (pip.preconditions or {}).items()
        if k != "confirmed"
    }
    p.setdefault("justification", "")
    text = t.hr_review(pip.manager.name, pip.engineer.name, p, pip.earlier_iterations)
    ref = PipRef(pip_id=pip.id)
    buttons = [
        button(t.acknowledge(), Action.PIP_HR_ACKNOWLEDGE, ref, "primary"),
        button(t.ask_for_changes(), Action.PIP_HR_CHANGES, ref),
    ]
    blocks = [*_sections(text), ActionsBlock(block_id="pip_hr_review", elements=buttons)]
    return Message(
        "pip_hr_review", t.hr_review_fallback(pip.manager.name, pip.engineer.name), blocks
    )


def hr_answered(pip: Pip) -> Message:
    text = _t().hr_answered(pip.engineer.name, pip.status)
    return Message("pip_hr_review", text, [section(text)])


def for_manager(pip: Pip, step: str) -> Message:
    t, engineer = _t(), pip.engineer.name
    hr = pip.hr_person.name if pip.hr_person else ""
    ref = PipRef(pip_id=pip.id)
    buttons: list[ButtonElement] = []
    if step == "acknowledged":
        text = t.manager_acknowledged(hr, engineer)
        buttons = [button(t.write_plan(), Action.PIP_WRITE_PLAN, ref, "primary")]
    elif step == "changes":
        text = t.manager_changes(hr, engineer, clip(pip.hr_changes, FIELD_CHARS))
        buttons = [button(t.edit_preconditions(), Action.PIP_EDIT_PRECONDITIONS, ref, "primary")]
    elif step == "opening":
        text = t.manager_opening(engineer)
        buttons = [
            button(t.mark_opened(), Action.PIP_MARK_OPENED, ref, "primary"),
            button(t.edit_plan(), Action.PIP_WRITE_PLAN, ref),
        ]
    else:  # answered
        comments = [
            {"position": c.position, "comment": clip(c.comment, FIELD_CHARS)}
            for c in pip.criteria
            if c.answer == "commented" and c.answered_revision == c.revision
        ]
        agreed = sum(1 for c in pip.criteria if c.agreed)
        text = t.manager_answered(engineer, agreed, len(pip.criteria), comments)
    blocks: list[Block] = [*_sections(text)]
    if buttons:
        blocks.append(ActionsBlock(block_id=f"pip_manager_{step}", elements=buttons))
    return Message("pip_manager", t.manager_fallback(engineer), blocks)


def opened_done(pip: Pip) -> Message:
    text = _t().opened_done(pip.engineer.name)
    return Message("pip_manager", text, [section(text)])


def plan_for_engineer(pip: Pip, again: bool = False) -> Message:
    """The whole plan, stated plainly, with "I have received this" and each criterion's
    "Yes" or "Comment"."""
    t = _t()
    hr = pip.hr_person.name if pip.hr_person else ""
    blocks: list[Block] = [*_sections(t.plan(pip.manager.name, pip.engineer.name, pip, hr, again))]
    ref = PipRef(pip_id=pip.id)
    if pip.received_at is None:
        blocks.append(
            ActionsBlock(
                block_id="pip_received",
                elements=[button(t.received(), Action.PIP_RECEIVED, ref, "primary")],
            )
        )
    else:
        blocks.append(context(t.received_done(pip.received_at.date())))
    blocks.append(section(t.criteria_heading()))
    for n, criterion in enumerate(pip.criteria, 1):
        blocks.append(section(t.criterion(n, criterion)))
        if not criterion.agreed:
            cref = PipRef(pip_id=pip.id, criterion_id=criterion.id, revision=criterion.revision)
            blocks.append(
                ActionsBlock(
                    block_id=f"pip_criterion_{criterion.id}",
                    elements=[
                        button(t.yes(), f"{Action.PIP_AGREE}_{criterion.id}", cref, "primary"),
                        button(t.comment(), f"{Action.PIP_COMMENT}_{criterion.id}", cref),
                    ],
                )
            )
    return Message("pip_engineer_plan", t.plan_fallback(pip.manager.name), blocks[:50])


def checkpoint_prompt(pip: Pip, checkpoint: PipCheckpoint, kind: str) -> Message:
    t, engineer = _t(), pip.engineer.name
    total = len(pip.checkpoints)
    if kind == "hr_overdue":
        text = t.hr_overdue(pip.manager.name, engineer, checkpoint.number, checkpoint.due_on)
        return Message("pip_hr_overdue", text, [section(text)])
    if kind == "due":
        text = t.checkpoint_due(engineer, checkpoint.number, total, checkpoint.due_on)
    else:
        hr = pip.hr_person.name if pip.hr_person else "HR"
        text = t.checkpoint_overdue(engineer, checkpoint.number, checkpoint.due_on, hr)
    ref = PipRef(pip_id=pip.id, number=checkpoint.number)
    blocks: list[Block] = [
        section(text),
        ActionsBlock(
            block_id="pip_checkpoint",
            elements=[button(t.record_checkpoint(), Action.PIP_OPEN_CHECKPOINT, ref, "primary")],
        ),
    ]
    return Message(
        f"pip_checkpoint_{kind}", t.checkpoint_fallback(engineer, checkpoint.number), blocks
    )


def summary(pip: Pip, checkpoint: PipCheckpoint) -> Message:
    """The checkpoint in the pair's DM: per criterion, what works, what still needs work,
    support delivered, adjustments, the next focus."""
    t = _t()
    criteria = {c.id: c.text for c in pip.criteria}
    support = {s.id: s.what for s in pip.support}
    rows = [
        {
            "text": clip(criteria.get(a.get("criterion_id"), ""), 200),
            "status": a.get("status"),
            "evidence": clip(str(a.get("evidence", "")), 400),
        }
        for a in checkpoint.assessments or []
    ]
    deliveries = [
        {
            "what": clip(support.get(d.get("support_id"), ""), 120),
            "delivery": d.get("delivery"),
            "reason": clip(str(d.get("reason", "")), 200),
        }
        for d in checkpoint.deliveries or []
    ]
    later = [c for c in pip.checkpoints if c.number > checkpoint.number]
    next_on = later[0].due_on if later else None
    text = t.summary(
        pip.manager.name,
        checkpoint.number,
        len(pip.checkpoints),
        checkpoint.recorded_on or checkpoint.due_on,
        rows,
        checkpoint,
        deliveries,
        next_on,
    )
    return Message("pip_summary", t.summary_fallback(checkpoint.number), _sections(text))


def outcome(pip: Pip, outcome_code: str) -> Message:
    t = _t()
    text = t.outcome(pip.engineer.name, pip, outcome_code)
    return Message("pip_outcome", t.outcome_fallback(outcome_code), _sections(text))


def signal_lines(codes: list[list[Any]]) -> list[str]:
    return [render(f"pip/signals/{code}", **params) for code, params in codes]


def hr_notice(pip: Pip, args: dict[str, Any], now: datetime, settings: Settings) -> Message:
    t, what = _t(), str(args.get("what"))
    engineer, manager = pip.engineer.name, pip.manager.name
    if what == "opened":
        text = t.hr_opened(manager, engineer, pip)
    elif what == "signals":
        text = t.hr_signals(engineer, signal_lines(args.get("signals") or []))
    elif what == "not_working":
        text = t.hr_not_working(engineer, render(f"pip/signals/{args.get('code')}"))
    else:
        text = t.hr_outcome(manager, engineer, str(args.get("outcome")), pip)
    return Message("pip_hr_notice", t.hr_fallback(engineer), _sections(text))
