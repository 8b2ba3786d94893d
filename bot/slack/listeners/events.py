"""Slack events the cadence listens to: a person's time zone or account changed."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.services import cadence
from bot.services.people import apply_profile
from bot.slack.listeners.context import ctx_of


def register(app: App) -> None:
    app.event("user_change")(user_change)


def user_change(event: dict[str, Any], context: BoltContext) -> None:
    ctx = ctx_of(context)
    user = event.get("user") or {}
    person = ctx.uow.people.get(ctx.team_id, str(user.get("id")))
    if person is None:
        return  # someone pdpbot has never dealt with
    tz, was_deleted = person.tz, person.deleted
    apply_profile(person, user, ctx.now)
    if person.deleted and not was_deleted:
        cadence.pause_plans_of(ctx.uow, person)
    elif was_deleted and not person.deleted:
        cadence.resume_plans_of(ctx.uow, person, ctx.settings, ctx.now)
    elif person.tz != tz:
        cadence.reslot_person(ctx.uow, person, ctx.settings, ctx.now)
    ctx.uow.commit()
