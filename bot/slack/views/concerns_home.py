"""The private section of a manager's App Home: their open early-intervention notes, each
with its next follow-up. Only ever built for the manager who recorded them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.slack.ids import Action
from bot.slack.payloads import encode
from bot.slack.views.common import clip
from bot.slack.views.concern import ConcernRef
from prompts import plain, texts

CONCERNS_SHOWN = 10  # 3 + 10 + 1 blocks at most
NAME_CHARS = 80


@dataclass(frozen=True)
class ConcernLine:
    concern_id: int
    engineer_name: str
    conversations: int
    follow_up_on: date


def concern_blocks(lines: list[ConcernLine], today: date) -> list[Block]:
    if not lines:
        return []
    t = _texts()
    blocks: list[Block] = [
        DividerBlock(),
        HeaderBlock(text=PlainTextObject(text=clip(plain(t.header()), 150))),
        ContextBlock(elements=[MarkdownTextObject(text=t.private())]),
    ]
    ordered = sorted(lines, key=lambda line: (line.follow_up_on, line.concern_id))
    for line in ordered[:CONCERNS_SHOWN]:
        name = clip(" ".join(line.engineer_name.split()), NAME_CHARS)
        text = t.line(name, line.conversations, line.follow_up_on, today)
        button = ButtonElement(
            text=PlainTextObject(text=plain(t.open_button())),
            action_id=f"{Action.OPEN_CONCERN}_{line.concern_id}",
            value=encode(ConcernRef(concern_id=line.concern_id)),
        )
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text), accessory=button))
    if len(ordered) > CONCERNS_SHOWN:
        more = t.more(len(ordered) - CONCERNS_SHOWN)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return blocks


def _texts() -> Any:
    return texts("concerns/home")
