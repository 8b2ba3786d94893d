from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import (
    checkins,
    commands,
    concerns,
    events,
    home,
    hr,
    pips,
    plans,
    reviews,
    roster,
)

# What the manifest declares; a test checks each of them reaches a listener.
SLASH_COMMANDS = ("/pdp", "/pdp-review", "/pdp-concern", "/pip")


def register(app: App) -> None:
    commands.register(app)
    plans.register(app)
    reviews.register(app)
    concerns.register(app)
    pips.register(app)
    home.register(app)
    checkins.register(app)
    events.register(app)
    hr.register(app)
    roster.register(app)
