"""What Slack would make of the texts the bot sent: the `<…>` tokens it parses in mrkdwn
(mentions, channel links, links) and what plain_text objects show."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bot.fakeslack import FakeSlack
from prompts import plain

TOKEN = re.compile(r"<([^<>]*)>")
# Slack methods whose arguments carry text a person reads, and the arguments that do.
TEXT_METHODS = {
    "chat.postMessage",
    "chat.update",
    "chat.postEphemeral",
    "views.open",
    "views.push",
    "views.update",
    "views.publish",
}


def text_objects(payload: Any, top_level: bool = True) -> Iterator[tuple[str, str]]:
    """(kind, text) for every text object in a Slack payload; a message's top-level `text`
    (its notification and fallback) is mrkdwn."""
    if isinstance(payload, dict):
        kind = payload.get("type")
        if kind in ("mrkdwn", "plain_text") and isinstance(payload.get("text"), str):
            yield str(kind), payload["text"]
            return
        if top_level and isinstance(payload.get("text"), str):
            yield "mrkdwn", payload["text"]
        for key, value in payload.items():
            if key != "text" or not top_level:
                yield from text_objects(value, top_level=False)
    elif isinstance(payload, list):
        for item in payload:
            yield from text_objects(item, top_level=False)


def sent_texts(fake: FakeSlack) -> list[tuple[str, str, str]]:
    """(method, kind, text) for every text the bot sent to Slack so far."""
    found = []
    for call in fake.calls:
        if call.method in TEXT_METHODS:
            found += [(call.method, kind, text) for kind, text in text_objects(call.args)]
    return found


def tokens(mrkdwn: str) -> list[str]:
    return TOKEN.findall(mrkdwn)


def foreign_tokens(mrkdwn: str, allowed: set[str]) -> list[str]:
    """Tokens Slack would turn into a ping or a link that the bot did not mean to send."""
    return [t for t in tokens(mrkdwn) if t not in allowed]


def shown(kind: str, text: str) -> str:
    """What a person reads: mrkdwn's three escapes decoded; plain_text as it is."""
    return plain(text) if kind == "mrkdwn" else text
