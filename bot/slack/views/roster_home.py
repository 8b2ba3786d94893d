"""App Home's roster parts: *My manager is…* for someone not on the org roster, a manager's
own cadence figures, and for HR the quarter's completion per team, health per team and
*Start the cycle*. At most ROSTER_BLOCKS blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    InputBlock,
    PlainTextObject,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.cycles import Completion
from bot.domain.health import Figures
from bot.slack.ids import Action, Callback
from bot.slack.views.common import VALUE, context, header, section
from prompts import plain, texts

ROSTER_BLOCKS = 5
MANAGER_BLOCK = "manager"


def t() -> Any:
    return texts("roster/home")


@dataclass(frozen=True)
class HrRoster:
    quarter: str
    completion: list[Completion]
    teams: dict[str, Figures]
    started: bool


@dataclass(frozen=True)
class RosterHome:
    on_roster: bool = True
    manager_name: str | None = None
    waiting_for: str | None = None  # a claim pending that manager's confirmation
    quarter: str = ""
    own_figures: Figures | None = None  # a manager's own plans' figures this quarter
    hr: HrRoster | None = field(default=None)


def roster_blocks(data: RosterHome) -> list[Block]:
    blocks: list[Block] = []
    if not data.on_roster:
        if data.waiting_for:
            blocks.append(section(t().waiting(data.waiting_for)))
        else:
            text = t().your_manager(data.manager_name) if data.manager_name else t().no_manager()
            button = ButtonElement(
                text=plain(t().my_manager_button()), action_id=Action.OPEN_MY_MANAGER
            )
            blocks.append(SectionBlock(text={"type": "mrkdwn", "text": text}, accessory=button))
    if data.own_figures is not None:
        blocks.append(context(t().manager_health(data.quarter, data.own_figures)))
    if data.hr is not None:
        hr = data.hr
        blocks.append(header(t().hr_header(hr.quarter)))
        blocks.append(section(t().hr_body(hr.quarter, hr.completion, hr.teams, hr.started)))
        if not hr.started:
            button = ButtonElement(
                text=plain(t().start_cycle(hr.quarter)),
                action_id=Action.START_CYCLE,
                value=hr.quarter,
                style="primary",
            )
            blocks.append(ActionsBlock(elements=[button]))
    return blocks[:ROSTER_BLOCKS]


def build_my_manager_modal() -> View:
    return View(
        type="modal",
        callback_id=Callback.MY_MANAGER,
        title=PlainTextObject(text=plain(t().modal_title())),
        submit=PlainTextObject(text=plain(t().modal_submit())),
        close=PlainTextObject(text="Cancel"),
        blocks=[
            InputBlock(
                block_id=MANAGER_BLOCK,
                label=PlainTextObject(text=plain(t().modal_label())),
                hint=PlainTextObject(text=plain(t().modal_hint())),
                element=UserSelectElement(action_id=VALUE),
            )
        ],
    )
