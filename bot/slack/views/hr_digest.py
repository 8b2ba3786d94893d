"""HR's digest as Slack messages: a summary (counts per kind) in the HR channel, then the
items as replies in its thread, each message within Slack's limits (50 blocks, 3,000
characters a text), each item with a *Nudge the manager* button."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from slack_sdk.models.blocks import Block, ButtonElement, PlainTextObject, SectionBlock

from bot.domain.hr_digest import Digest, Item
from bot.slack.ids import Action
from bot.slack.payloads import NudgeButton, encode
from bot.slack.views.common import clip, context, header, section
from prompts import Texts, plain, texts

MAX_BLOCKS = 50  # Slack's limit for one message
NOTE_LIMIT = 500  # the justification a manager gave HR, as much as one line shows


@dataclass(frozen=True)
class Nudge:
    on: date
    by: str  # the Slack id of the HR member who nudged


@dataclass(frozen=True)
class DigestMessage:
    text: str
    blocks: list[Block]


@dataclass(frozen=True)
class Chunk:
    kind: str
    total: int  # items of this kind in the whole digest
    continued: bool
    items: tuple[Item, ...]


def words() -> Texts:
    return texts("hr/digest")


def summary(digest: Digest) -> DigestMessage:
    t = words()
    counts = list(digest.counts.items())
    blocks: list[Block] = [
        header(t.title(digest.today)),
        section(t.summary(digest.today, counts, digest.total)),
        context(t.in_thread()),
    ]
    return DigestMessage(plain(t.notification(digest.today, digest.total)), blocks)


def empty(today: date) -> DigestMessage:
    line = words().empty(today)
    return DigestMessage(plain(line), [section(line)])


def not_private(channel: str) -> DigestMessage:
    line = words().not_private(channel)
    return DigestMessage(plain(line), [section(line)])


def pages(digest: Digest, per_message: int = MAX_BLOCKS) -> list[list[Chunk]]:
    """The thread's messages: items in digest order, a group's title before its first item in
    each message, never more than `per_message` blocks in one message."""
    result: list[list[Chunk]] = []
    page: list[Chunk] = []
    used = 0
    for kind, items in digest.groups:
        rest, continued = list(items), False
        while rest:
            room = per_message - used - 1  # the group's title takes a block
            if room < 1:
                result.append(page)
                page, used = [], 0
                continue
            taken, rest = rest[:room], rest[room:]
            page.append(Chunk(kind, len(items), continued, tuple(taken)))
            used += 1 + len(taken)
            continued = True
    if page:
        result.append(page)
    return result


def part(
    digest_id: int,
    chunks: list[Chunk],
    number: int,
    of: int,
    nudges: Mapping[str, Nudge],
) -> DigestMessage:
    t = words()
    blocks: list[Block] = []
    for chunk in chunks:
        blocks.append(section(t.group(chunk.kind, chunk.total, chunk.continued)))
        blocks += [item_block(digest_id, item, nudges.get(item.key)) for item in chunk.items]
    return DigestMessage(plain(t.part_notification(number, of)), blocks)


def item_text(item: Item, nudge: Nudge | None) -> str:
    t = words()
    shown = item if len(item.note) <= NOTE_LIMIT else _clipped(item)
    line = t.item(shown)
    if nudge is not None:
        line = f"{line}\n{t.nudged(nudge.on, nudge.by)}"
    return line


def item_block(digest_id: int, item: Item, nudge: Nudge | None) -> SectionBlock:
    block = section(item_text(item, nudge))
    block.block_id = clip(item.key, 255)
    if item.manager is not None:
        block.accessory = ButtonElement(
            text=PlainTextObject(text=plain(words().nudge_button())),
            action_id=Action.HR_NUDGE,
            value=encode(NudgeButton(digest_id=digest_id, key=item.key)),
        )
    return block


def _clipped(item: Item) -> Item:
    return replace(item, note=clip(item.note, NOTE_LIMIT))


def nudge_message(item: Item, by: str, on: date) -> DigestMessage:
    """The templated DM a manager gets when HR presses *Nudge the manager*."""
    t = words()
    blocks: list[Block] = [
        section(t.nudge_dm(by, on)),
        section(item_text(item, None)),
        context(t.nudge_close()),
    ]
    return DigestMessage(plain(t.nudge_notification(by)), blocks)
