"""Small Block Kit helpers shared by the modals (slack_sdk models validate Slack's limits).

Texts arrive rendered (escaped for mrkdwn); those that go into plain_text objects pass
through `plain()` here, once."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)

from bot.domain.plans import TEXT_LIMIT
from prompts import plain

SECTION_LIMIT = 3000
VALUE = "value"  # the action_id of every input: the block_id names the field


def clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=clip(plain(text), 150)))


def section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_LIMIT)))


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(text, 2000))])


def divider() -> DividerBlock:
    return DividerBlock()


def text_input(
    block_id: str,
    label: str,
    value: str = "",
    *,
    hint: str | None = None,
    multiline: bool = True,
    optional: bool = False,
    placeholder: str | None = None,
    max_length: int = TEXT_LIMIT,
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text=clip(plain(label), 2000)),
        element=PlainTextInputElement(
            action_id=VALUE,
            multiline=multiline,
            initial_value=value[:max_length] or None,
            max_length=max_length,
            placeholder=PlainTextObject(text=clip(plain(placeholder), 150))
            if placeholder
            else None,
        ),
        hint=PlainTextObject(text=clip(plain(hint), 2000)) if hint else None,
        optional=optional,
    )


def date_input(
    block_id: str,
    label: str,
    value: date | None,
    *,
    hint: str | None = None,
    optional: bool = True,
    dispatch: bool = False,
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text=clip(plain(label), 2000)),
        element=DatePickerElement(
            action_id=VALUE, initial_date=value.isoformat() if value else None
        ),
        hint=PlainTextObject(text=clip(plain(hint), 2000)) if hint else None,
        optional=optional,
        dispatch_action=dispatch or None,
    )


def choice_input(
    block_id: str,
    label: str,
    options: list[tuple[str, str]],
    selected: str | None,
    *,
    radio: bool = False,
    optional: bool = False,
    action_id: str = VALUE,
    dispatch: bool = False,
) -> InputBlock:
    opts = [Option(value=value, text=PlainTextObject(text=plain(text))) for value, text in options]
    initial = next((o for o in opts if o.value == selected), None)
    element = (
        RadioButtonsElement(action_id=action_id, options=opts, initial_option=initial)
        if radio
        else StaticSelectElement(action_id=action_id, options=opts, initial_option=initial)
    )
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text=clip(plain(label), 2000)),
        element=element,
        optional=optional,
        dispatch_action=dispatch or None,
    )


def warning_note(text: str) -> ContextBlock:
    return context(f":warning: {text}")


def with_notes(blocks: list[Block], notes: dict[str, str]) -> list[Block]:
    """Put each note (a warning) right under the input block it is about."""
    result: list[Block] = []
    for block in blocks:
        result.append(block)
        if block.block_id and block.block_id in notes:
            result.append(warning_note(notes[block.block_id]))
    return result
