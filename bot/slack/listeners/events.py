"""Slack events: each delivery handled once, whichever instance gets it and however often
Slack re-sends it; a person's time zone or account changed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from bot.services.people import refresh_profile
from bot.slack.listeners.context import ctx_of

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.middleware(once_per_event)
    app.event("user_change")(user_change)


def once_per_event(
    body: dict[str, Any], context: BoltContext, next: Callable[[], None]
) -> BoltResponse | None:
    """Slack re-sends an event (X-Slack-Retry-Num) when the first delivery was slow or
    failed. Its event_id is recorded in the request's transaction, so it counts as handled
    only when the handling was committed; a retry, or the same event at another instance,
    is acknowledged and skipped."""
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if isinstance(event_id, str) and event_id:
        team = str(body.get("team_id") or context.team_id or "")
        if not context["uow"].events.first_time(team, event_id, context["now"]):
            log.info("event %s already handled; skipped", event_id)
            return BoltResponse(status=200, body="")
    next()
    return None


def user_change(event: dict[str, Any], context: BoltContext) -> None:
    ctx = ctx_of(context)
    user = event.get("user")
    user = user if isinstance(user, dict) else {}
    person = ctx.uow.people.get(ctx.team_id, str(user["id"])) if user.get("id") else None
    if person is not None and not refresh_profile(ctx.uow, person, user, ctx.settings, ctx.now):
        log.info("user_change for %s is older than the profile stored; ignored", person.id)
    ctx.uow.commit()  # someone pdpbot never dealt with is left alone; the event is handled
