"""The HR section of an HR member's App Home: the digest's overview as of now (counts, then
the most urgent items of each kind, with "Nudged on …"), the PIPs with their integrity
signals and a *Formal record* button each, and the export buttons. Names, dates and statuses
only. It fits the blocks it is given (App Home's rest is 60 at worst, home.py, and keeps
HR_MIN_BLOCKS free for it), showing as many PIPs as fit, so a view stays inside Slack's 100."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from pydantic import BaseModel, Field
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    InputBlock,
    PlainTextObject,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.hr_digest import Digest
from bot.slack.ids import Action, Callback
from bot.slack.payloads import encode
from bot.slack.views.common import clip, context, divider, header, section
from bot.slack.views.hr_digest import Nudge
from bot.slack.views.hr_digest import words as digest_words
from prompts import Texts, plain, texts

# Without PIP lines: a divider, a header and the summary, one section per kind (10), the
# "as of now" line, the PIPs' divider, header and "more" line, and 4 for the exports.
HR_MIN_BLOCKS = 3 + 10 + 1 + 3 + 4
ITEMS_PER_KIND = 5
PIPS_SHOWN = 8
NOTE_CHARS = 200
PERSON_BLOCK = "person"


@dataclass(frozen=True)
class PipLine:
    pip_id: int
    engineer: str
    manager: str
    status: str
    started_on: date
    ends_on: date | None = None
    outcome: str | None = None  # once closed
    closed_on: date | None = None
    signals: tuple[str, ...] = ()


@dataclass(frozen=True)
class HrHome:
    digest: Digest
    channel: str
    nudges: Mapping[str, Nudge] = field(default_factory=dict)
    pips: Sequence[PipLine] = ()
    periods: tuple[str, ...] = ()  # calibration exports offered: this quarter, the last one
    with_pips: bool = False  # PIPs exist in this version (issue 12)


class ExportCalibration(BaseModel):
    period: str = Field(max_length=8)


class ExportPip(BaseModel):
    pip_id: int


def words() -> Texts:
    return texts("hr/home")


def hr_blocks(home: HrHome, budget: int = 100) -> list[Block]:
    t = words()
    digest = home.digest
    blocks: list[Block] = [
        divider(),
        header(t.header()),
        section(t.summary(digest.today, list(digest.counts.items()), digest.total)),
    ]
    for kind, items in digest.groups:
        shown = items[:ITEMS_PER_KIND]
        lines = [t.group(kind, len(items), len(shown))]
        for item in shown:
            short = replace(item, note=clip(item.note, NOTE_CHARS))
            line = f"• {digest_words().item(short)}"
            nudge = home.nudges.get(item.key)
            if nudge is not None:
                line = f"{line} {digest_words().nudged(nudge.on, nudge.by)}"
            lines.append(line)
        if len(items) > len(shown):
            lines.append(t.more(len(items) - len(shown), home.channel))
        blocks.append(section("\n".join(lines)))
    blocks.append(context(t.current(home.channel)))
    exports = _export_blocks(home.periods)
    if home.with_pips:
        room = budget - len(blocks) - len(exports) - 3  # the PIPs' divider, header, "more"
        blocks += _pip_blocks(home.pips, max(room, 1))
    return blocks + exports


def _pip_blocks(pips: Sequence[PipLine], room: int) -> list[Block]:
    t = words()
    blocks: list[Block] = [divider(), header(t.pips_header())]
    if not pips:
        return [*blocks, section(t.no_pips())]
    shown = pips[: min(PIPS_SHOWN, room)]
    for pip in shown:
        block = section(t.pip(pip))
        block.accessory = _button(
            t.formal_record(), Action.HR_EXPORT_PIP, ExportPip(pip_id=pip.pip_id)
        )
        blocks.append(block)
    if len(pips) > len(shown):
        blocks.append(context(t.more_pips(len(pips) - len(shown))))
    return blocks


def _export_blocks(periods: Sequence[str]) -> list[Block]:
    t = words()
    buttons = [
        _button(
            t.calibration_button(period),
            f"{Action.HR_EXPORT_CALIBRATION}_{n}",
            ExportCalibration(period=period),
        )
        for n, period in enumerate(periods)
    ]
    buttons.append(
        ButtonElement(
            text=PlainTextObject(text=plain(t.person_button())),
            action_id=Action.HR_OPEN_PERSON_EXPORT,
        )
    )
    return [
        divider(),
        header(t.exports_header()),
        ActionsBlock(block_id="hr_exports", elements=buttons),
        context(t.exports_hint()),
    ]


def _button(label: str, action_id: str, value: BaseModel) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=clip(plain(label), 75)), action_id=action_id, value=encode(value)
    )


def person_export_modal() -> View:
    t = words()
    return View(
        type="modal",
        callback_id=Callback.HR_PERSON_EXPORT,
        title=PlainTextObject(text=plain(t.person_title())),
        submit=PlainTextObject(text=plain(t.person_submit())),
        close=PlainTextObject(text=plain(t.cancel())),
        blocks=[
            InputBlock(
                block_id=PERSON_BLOCK,
                label=PlainTextObject(text=plain(t.person_label())),
                element=UserSelectElement(action_id="value"),
                hint=PlainTextObject(text=plain(t.person_hint())),
            )
        ],
    )
