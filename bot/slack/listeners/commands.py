from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from prompts import render


def register(app: App) -> None:
    app.command("/pdp")(pdp_command)


def pdp_command(ack: Ack, command: dict[str, Any]) -> None:
    text = (command.get("text") or "").strip()
    word = text.split()[0].lower() if text else ""
    if word in ("help", "?"):
        ack(response_type="ephemeral", text=render("help", unknown=None))
        return
    ack(response_type="ephemeral", text=render("help", unknown=text or None))
