"""The engineer's draft modal: the guide's PDP template, with errors and warnings per field."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    InputBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.goals import Finding, GoalDraft
from bot.domain.periods import EDITABLE, occurrence_of
from bot.domain.plans import DraftForm
from bot.slack.ids import Action, Callback
from bot.slack.payloads import DraftMeta, date_of, encode, text_of
from bot.slack.views.common import (
    VALUE,
    context,
    date_input,
    divider,
    header,
    section,
    text_input,
    warning_note,
    with_notes,
)
from prompts import plain, texts

MAX_SLOTS = 3  # the guide's maximum: "Add a goal" stops there
GOAL_FIELDS = {
    "outcome": "outcome",
    "success": "success",
    "target_date": "target",
    "how": "how",
    "support": "support",
}
REVIEW_LINE = "review_dates"


def t() -> Any:
    return texts("views/draft")


def review_block(key: str, meta: DraftMeta) -> str:
    """Review dates get new block ids when the period changes: Slack keeps what a person
    typed in a block it already showed, so only new ids show the recomputed dates."""
    return f"review_{key}_{meta.dates_rev}"


def goal_block(index: int, field_name: str) -> str:
    return f"goal{index + 1}_{GOAL_FIELDS[field_name]}"


def block_for(finding: Finding, form: DraftForm, meta: DraftMeta) -> str:
    """Which input of the draft modal a finding belongs next to."""
    name = finding.field
    if name.startswith("review_"):
        return review_block(name.split("_")[1], meta)
    if finding.index is not None and name in GOAL_FIELDS:
        return goal_block(finding.index, name)
    if name == "goals":
        filled = [i for i, g in enumerate(form.goals) if g.outcome.strip()]
        return goal_block(filled[-1] if filled else 0, "outcome")
    return name


def build_draft_view(form: DraftForm, meta: DraftMeta, notes: dict[str, str] | None = None) -> View:
    notes = notes or {}
    blocks: list[Block] = [section(t().intro(any(meta.carried)))]
    if notes:
        blocks.append(warning_note(t().warnings_intro()))
    blocks += _who_and_when(form, meta)
    blocks += _current_state(form)
    blocks += _goals(form, meta)
    blocks = with_notes(blocks, notes)
    return View(
        type="modal",
        callback_id=Callback.PDP_DRAFT,
        title=plain(t().title()),
        submit=plain(t().submit()),
        close=plain(t().close()),
        private_metadata=encode(meta),
        blocks=blocks,
    )


def _who_and_when(form: DraftForm, meta: DraftMeta) -> list[Block]:
    manager = InputBlock(
        block_id="manager",
        label=PlainTextObject(text=plain(t().manager_label())),
        element=UserSelectElement(action_id=VALUE, initial_user=form.manager_user_id),
        hint=PlainTextObject(text=plain(t().manager_hint())),
    )
    blocks: list[Block] = [
        manager,
        date_input(
            "period_start",
            t().period_start_label(),
            form.period_start,
            optional=False,
            dispatch=True,
        ),
        date_input(
            "period_end",
            t().period_end_label(),
            form.period_end,
            hint=t().period_hint(),
            optional=False,
            dispatch=True,
        ),
        header(t().reviews_header()),
    ]
    if not meta.editing_dates:
        change = ButtonElement(
            text=plain(t().change_dates()), action_id=Action.CHANGE_DATES, value="change"
        )
        line = SectionBlock(
            block_id=REVIEW_LINE,
            text=MarkdownTextObject(text=t().review_line(schedule_items(form.review_dates))),
            accessory=change,
        )
        return [*blocks, line]
    blocks.append(context(t().reviews_intro()))
    for key in EDITABLE:
        if key in form.review_dates:
            on = form.review_dates[key]
            blocks.append(
                date_input(review_block(key, meta), t().review_label(key), on, optional=False)
            )
    return blocks


def schedule_items(dates: dict[str, date | None]) -> list[dict[str, Any]]:
    """The review dates in order, as the templates name them: kind and day."""
    items = [
        {"kind": occurrence_of(key)[0], "on": on} for key, on in dates.items() if on is not None
    ]
    return sorted(items, key=lambda item: item["on"])


def _current_state(form: DraftForm) -> list[Block]:
    return [
        header(t().current_header()),
        text_input("strengths", t().strengths_label(), form.strengths, hint=t().strengths_hint()),
        text_input(
            "difficulties",
            t().difficulties_label(),
            form.difficulties,
            hint=t().difficulties_hint(),
        ),
        header(t().direction_header()),
        text_input(
            "aspiration", t().aspiration_label(), form.aspiration, hint=t().aspiration_hint()
        ),
        text_input(
            "target_role",
            t().role_label(),
            form.target_role,
            hint=t().role_hint(),
            multiline=False,
            optional=True,
        ),
    ]


def _goals(form: DraftForm, meta: DraftMeta) -> list[Block]:
    blocks: list[Block] = [header(t().goals_header()), context(t().goals_intro())]
    count = max(meta.slots, len(form.goals), 1)
    for index in range(count):
        goal = form.goals[index] if index < len(form.goals) else GoalDraft("", "", None)
        carried = meta.carried[index] if index < len(meta.carried) else 0
        blocks += _goal(index, goal, carried)
    if count < MAX_SLOTS:
        blocks.append(
            ActionsBlock(
                block_id="goal_actions",
                elements=[
                    ButtonElement(
                        text=plain(t().add_goal()), action_id=Action.ADD_GOAL, value="add"
                    )
                ],
            )
        )
    return blocks


def _goal(index: int, goal: GoalDraft, carried: int) -> list[Block]:
    first = index == 0
    return [
        divider(),
        section(f"*{t().goal_header(index + 1, carried)}*"),
        text_input(
            goal_block(index, "outcome"),
            t().outcome_label(),
            goal.outcome,
            hint=t().outcome_hint() if first else None,
            optional=True,
        ),
        text_input(
            goal_block(index, "success"),
            t().success_label(),
            goal.success,
            hint=t().success_hint() if first else None,
            optional=True,
        ),
        date_input(goal_block(index, "target_date"), t().target_label(), goal.target_date),
        text_input(
            goal_block(index, "how"),
            t().how_label(),
            goal.how,
            hint=t().how_hint() if first else None,
            optional=True,
        ),
        text_input(
            goal_block(index, "support"),
            t().support_label(),
            goal.support,
            hint=t().support_hint() if first else None,
            optional=True,
        ),
    ]


def parse_draft(values: dict[str, Any], meta: DraftMeta) -> DraftForm:
    """The submitted modal state as a form (values from payloads.state_values). Review dates
    are the line the modal showed, or the pickers once *Change dates* opened them."""
    reviews: dict[str, date | None] = dict(meta.reviews)
    if meta.editing_dates:
        for key in EDITABLE:
            block = next((b for b in values if b.startswith(f"review_{key}_")), None)
            if block is not None:
                reviews[key] = date_of(values, block)
    slots = meta.slots
    goals = [
        GoalDraft(
            outcome=text_of(values, goal_block(i, "outcome")),
            success=text_of(values, goal_block(i, "success")),
            target_date=date_of(values, goal_block(i, "target_date")),
            how=text_of(values, goal_block(i, "how")),
            support=text_of(values, goal_block(i, "support")),
        )
        for i in range(slots)
    ]
    manager = values.get("manager")
    return DraftForm(
        manager_user_id=manager if isinstance(manager, str) and manager else None,
        period_start=date_of(values, "period_start"),
        period_end=date_of(values, "period_end"),
        review_dates=reviews,
        strengths=text_of(values, "strengths"),
        difficulties=text_of(values, "difficulties"),
        aspiration=text_of(values, "aspiration"),
        target_role=text_of(values, "target_role"),
        goals=goals,
    )
