"""Early-intervention modals: one conversation's record (the guide's five parts), and a
concern's thread as its manager reads it, with what to do next."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.domain.concerns import CONTEXT_KINDS, ConcernStart, ConversationForm
from bot.slack.ids import Action, Callback
from bot.slack.payloads import Id, date_of, encode, text_of
from bot.slack.views.common import (
    VALUE,
    choice_input,
    clip,
    context,
    date_input,
    divider,
    section,
    text_input,
    with_notes,
)
from prompts import plain, texts
from storage.models import Concern

CONVERSATIONS_SHOWN = 8  # newest first in the thread modal: 3 blocks each, far under 100
FIELD_CHARS = 700  # per text of a past conversation in the thread modal
OPTION_CHARS = 75  # Slack's limit for an option's text and description


class ConcernMeta(BaseModel):
    """The conversation modal's private_metadata: checked against the actor on submit."""

    engineer_id: Id
    thread_id: Id | None = None
    number: int = Field(default=1, ge=1, le=10_000)
    warned: str | None = Field(default=None, max_length=128)


class ConcernRef(BaseModel):
    """A concern button's value: which thread, and which conversation it answers."""

    concern_id: Id
    number: int | None = Field(default=None, ge=1, le=10_000)


def _m() -> Any:
    return texts("concerns/modal")


def _r() -> Any:
    return texts("concerns/record")


def _guide() -> Any:
    return texts("concerns/guide")


# --- one conversation ------------------------------------------------------------------


def build_conversation_view(
    start: ConcernStart,
    form: ConversationForm | None = None,
    notes: dict[str, str] | None = None,
    warned: str | None = None,
) -> View:
    form = form or start.form
    m = _m()
    if start.thread_id is None or start.opened_on is None:
        blocks: list[Block] = [section(m.intro_new(start.engineer_name))]
    else:
        intro = m.intro_continues(start.engineer_name, start.number, start.opened_on)
        blocks = [section(intro)]
    if start.number == 2:
        blocks.append(context(_guide().expect_iterations()))
    kinds: list[tuple[str, str]] = [(k, getattr(m, f"context_{k}")()) for k in CONTEXT_KINDS]
    blocks += [
        date_input("held_on", m.held_on_label(), form.held_on, optional=False),
        text_input(
            "concern",
            m.concern_label(),
            form.concern,
            hint=m.concern_hint(),
            placeholder=m.concern_placeholder(),
        ),
        choice_input(
            "context_kind",
            m.context_kind_label(),
            kinds,
            form.context_kind,
            radio=True,
            optional=True,
        ),
        text_input(
            "context_notes",
            m.context_notes_label(),
            form.context_notes,
            hint=m.context_notes_hint(),
            optional=True,
        ),
        text_input(
            "expectation",
            m.expectation_label(),
            form.expectation,
            hint=m.expectation_hint(),
            placeholder=m.expectation_placeholder(),
        ),
        text_input(
            "support",
            m.support_label(),
            form.support,
            placeholder=m.support_placeholder(),
            optional=True,
        ),
        date_input(
            "follow_up_on",
            m.follow_up_label(),
            form.follow_up_on,
            hint=m.follow_up_hint(),
            optional=False,
        ),
        _recap_input(start.engineer_name, form.recap),
    ]
    meta = ConcernMeta(
        engineer_id=start.engineer_id, thread_id=start.thread_id, number=start.number, warned=warned
    )
    return View(
        type="modal",
        callback_id=Callback.CONCERN_CONVERSATION,
        title=plain(m.title()),
        submit=plain(m.submit()),
        close=plain(m.close()),
        private_metadata=encode(meta),
        blocks=with_notes(blocks, notes or {}),
    )


RECAP = "recap"


def _recap_input(engineer: str, chosen: bool) -> InputBlock:
    """Whether to send the engineer a written recap: never the manager's notes."""
    m = _m()
    option = Option(
        value=RECAP,
        text=PlainTextObject(text=clip(plain(m.recap_option(engineer)), OPTION_CHARS)),
        description=PlainTextObject(text=clip(plain(m.recap_description()), OPTION_CHARS)),
    )
    return InputBlock(
        block_id=RECAP,
        label=PlainTextObject(text=plain(m.recap_label())),
        hint=PlainTextObject(text=plain(m.recap_hint())),
        element=CheckboxesElement(
            action_id=VALUE, options=[option], initial_options=[option] if chosen else None
        ),
        optional=True,
    )


def parse_conversation(values: dict[str, Any]) -> ConversationForm:
    kind = values.get("context_kind")
    return ConversationForm(
        held_on=date_of(values, "held_on"),
        concern=text_of(values, "concern"),
        context_kind=kind if isinstance(kind, str) and kind else None,
        context_notes=text_of(values, "context_notes"),
        expectation=text_of(values, "expectation"),
        support=text_of(values, "support"),
        follow_up_on=date_of(values, "follow_up_on"),
        recap=RECAP in (values.get(RECAP) or []),
    )


# --- a concern's thread ----------------------------------------------------------------


Recaps = dict[int, tuple[str, datetime | None]]


def build_record_view(
    concern: Concern, formal_due: bool, note: str | None = None, recaps: Recaps | None = None
) -> View:
    """The thread, newest conversation first, with the follow-up's answers while it is open."""
    r = _r()
    conversations = concern.conversations
    first = conversations[0]
    blocks: list[Block] = []
    if note:
        blocks.append(section(note))
    blocks.append(
        section(r.heading(concern.engineer.name, concern.status, first.held_on, len(conversations)))
    )
    for conversation in reversed(conversations[-CONVERSATIONS_SHOWN:]):
        recap = (recaps or {}).get(conversation.number)
        blocks += [divider(), section(_conversation_text(conversation, recap))]
    if len(conversations) > CONVERSATIONS_SHOWN:
        blocks.append(context(r.earlier(len(conversations) - CONVERSATIONS_SHOWN)))
    if concern.status == "open":
        blocks += [divider(), *follow_up_blocks(concern, formal_due)]
    return View(
        type="modal",
        callback_id=Callback.CONCERN_RECORD,
        title=plain(r.title()),
        close=plain(r.close()),
        private_metadata=encode(ConcernRef(concern_id=concern.id)),
        blocks=blocks,
    )


def _conversation_text(c: Any, recap: tuple[str, datetime | None] | None) -> str:
    status, sent_at = recap if recap else (None, None)
    return _r().conversation(
        c.number,
        c.held_on,
        clip(c.concern, FIELD_CHARS),
        c.context_kind,
        clip(c.context_notes, FIELD_CHARS),
        clip(c.expectation, FIELD_CHARS),
        clip(c.support, FIELD_CHARS),
        c.follow_up_on,
        c.outcome,
        status,
        sent_at.date() if sent_at else None,
    )


def follow_up_blocks(
    concern: Concern, formal_due: bool, *, with_heading: bool = True
) -> list[Block]:
    """How did it go: resolved, another conversation, and (from the follow-up of the second
    conversation) a formal process, which the guide says may then be warranted. At the first
    follow-up, why the guide expects two or three conversations."""
    r, last = _r(), concern.conversations[-1]
    ref = ConcernRef(concern_id=concern.id, number=last.number)
    blocks: list[Block] = []
    if with_heading:
        blocks.append(section(r.how_did_it_go(last.number, last.follow_up_on)))
    buttons = [
        _button(r.resolved_button(), Action.CONCERN_RESOLVED, ref, style="primary"),
        _button(r.another_button(), Action.CONCERN_ANOTHER, ref),
    ]
    if formal_due:
        blocks.append(section(_guide().formal_may_be_warranted(last.number)))
        buttons.append(_button(r.formal_button(), Action.CONCERN_FORMAL, ref, style="danger"))
    elif last.number == 1:
        blocks.append(context(_guide().expect_iterations()))
    buttons.append(
        _button(r.close_button(), Action.CLOSE_CONCERN, ConcernRef(concern_id=concern.id))
    )
    blocks.append(ActionsBlock(block_id="concern_follow_up", elements=buttons))
    return blocks


def _button(label: str, action: Action, ref: ConcernRef, style: str | None = None) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=clip(plain(label), 75)),
        action_id=action,
        value=encode(ref),
        style=style,
    )


def outcome_text(outcome: str, engineer: str, number: int) -> str:
    if outcome == "formal":
        return "\n".join(
            [_r().followed_up(outcome, engineer), _guide().formal_may_be_warranted(number)]
        )
    return _r().followed_up(outcome, engineer)


def build_saved_view(engineer: str, number: int, follow_up_on: date, recap: bool) -> View:
    """In place of the modal once the conversation is saved."""
    return View(
        type="modal",
        title=plain(_m().title()),
        close=plain(_r().close()),
        blocks=[section(_m().saved(engineer, number, follow_up_on, recap))],
    )


def closed_text(engineer: str) -> str:
    return _r().closed(engineer)
