from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.slack.listeners.context import ctx_of
from bot.slack.listeners.plans import open_pdp
from prompts import render


def register(app: App) -> None:
    app.command("/pdp")(pdp_command)


def pdp_command(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext
) -> None:
    text = (command.get("text") or "").strip()
    word = text.split()[0].lower() if text else ""
    if word in ("help", "?"):
        ack(response_type="ephemeral", text=render("help", unknown=None))
        return
    if text:  # what was typed, shortened: the answer stays within Slack's 3,000 characters
        shown = text if len(text) <= 60 else text[:59] + "…"
        ack(response_type="ephemeral", text=render("help", unknown=shown))
        return
    ack()
    open_pdp(ctx_of(context), body)
