"""The PIP in App Home: the engineer's own and the manager's, each only in their own App
Home (nobody else's, and never in PDP messages). Texts in prompts/pip/home.j2."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.slack.ids import Action
from bot.slack.views.common import clip
from bot.slack.views.pip_messages import button
from bot.slack.views.pip_refs import PipRef
from prompts import plain, texts

PIPS_SHOWN = 5


@dataclass(frozen=True)
class PipLine:
    pip_id: int
    role: str  # engineer, manager
    engineer_name: str
    manager_name: str
    status: str
    end_on: date | None
    next_number: int | None  # the first checkpoint not recorded
    next_on: date | None
    criteria: int
    agreed: int


def pip_blocks(lines: list[PipLine], today: date, budget: int = 100) -> list[Block]:
    """At most `budget` blocks (what App Home has left of Slack's 100): as many PIPs as fit."""
    if not lines:
        return []
    t = texts("pip/home")
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=plain(t.header()))),
        ContextBlock(elements=[MarkdownTextObject(text=t.private())]),
    ]
    for line in lines[:PIPS_SHOWN]:
        text = t.line(line, clip(line.engineer_name, 80), clip(line.manager_name, 80), today)
        buttons = _buttons(t, line)
        if len(blocks) + 1 + bool(buttons) > budget:
            break
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text)))
        if buttons:
            blocks.append(ActionsBlock(block_id=f"pip_home_{line.pip_id}", elements=buttons))
    return blocks if len(blocks) > 2 else []


def _buttons(t: Any, line: PipLine) -> list[Any]:
    if line.role != "manager":
        return []
    ref, n = PipRef(pip_id=line.pip_id), line.pip_id
    if line.status == "changes_requested":
        return [button(t.edit_preconditions(), f"{Action.PIP_EDIT_PRECONDITIONS}_{n}", ref)]
    if line.status == "planning":
        return [button(t.write_plan(), f"{Action.PIP_WRITE_PLAN}_{n}", ref, "primary")]
    if line.status == "ready":
        return [
            button(t.mark_opened(), f"{Action.PIP_MARK_OPENED}_{n}", ref, "primary"),
            button(t.edit_plan(), f"{Action.PIP_WRITE_PLAN}_{n}", ref),
        ]
    if line.status != "open":
        return []
    found: list[Any] = []
    if line.next_number is not None:
        cref = PipRef(pip_id=n, number=line.next_number)
        found.append(
            button(t.record(line.next_number), f"{Action.PIP_OPEN_CHECKPOINT}_{n}", cref, "primary")
        )
    found += [
        button(t.edit_criteria(), f"{Action.PIP_WRITE_PLAN}_{n}", ref),
        button(t.outcome(), f"{Action.PIP_OPEN_OUTCOME}_{n}", ref),
    ]
    return found
