"""Messages about a concern, rendered when the outbox sends them: the follow-up for the
recording manager, and the recap for the engineer (never the manager's notes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.slack.views.common import clip, section
from bot.slack.views.concern import follow_up_blocks
from bot.slack.views.messages import Message
from prompts import texts
from storage.models import Concern, ConcernConversation

FIELD_CHARS = 1200


def _t() -> Any:
    return texts("concerns/messages")


def follow_up(concern: Concern, formal_due: bool) -> Message:
    """How did it go: the expectation and support of the latest conversation, the guide's
    word for this iteration, and the buttons."""
    last = concern.conversations[-1]
    t, engineer = _t(), concern.engineer.name
    text = t.follow_up(
        engineer,
        last.number,
        last.held_on,
        clip(last.expectation, FIELD_CHARS),
        clip(last.support, FIELD_CHARS),
        last.follow_up_on,
    )
    blocks = [section(text), *follow_up_blocks(concern, formal_due, with_heading=False)]
    return Message("concern_follow_up", t.follow_up_fallback(engineer), blocks)


def answered(concern: Concern, outcome: str, on: date) -> Message:
    """The follow-up once answered: what was decided, without its buttons."""
    text = _t().answered(concern.engineer.name, outcome, on)
    return Message("concern_follow_up", text, [section(text)])


def recap(concern: Concern, conversation: ConcernConversation) -> Message:
    t, manager = _t(), concern.manager.name
    text = t.recap(
        manager,
        conversation.held_on,
        clip(conversation.expectation, FIELD_CHARS),
        clip(conversation.support, FIELD_CHARS),
        conversation.follow_up_on,
    )
    return Message("concern_recap", t.recap_fallback(manager), [section(text)])
