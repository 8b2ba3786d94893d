"""The one error handler: a short message for the person, the details in the log."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from slack_bolt import App, BoltResponse

from bot.domain.errors import DomainError
from bot.slack.gateway import SlackFailure
from bot.slack.views.done import build_done_view
from prompts import render
from storage.db import database_unavailable

log = logging.getLogger("pdpbot.errors")


def message_for(error: Exception) -> str:
    if isinstance(error, DomainError):
        return render(error.template, **error.params)
    if isinstance(error, SlackFailure) and error.rate_limited:
        # Slack answered 429: say so at once; nobody's request sleeps on Retry-After
        return render("errors/slack_busy")
    if database_unavailable(error):
        log.warning("the database could not serve a request: %s", _first_line(error))
        return render("database_unavailable")
    reference = uuid.uuid4().hex[:8]
    log.error("unhandled error %s", reference, exc_info=error)
    return render("error", reference=reference)


def _input_blocks(view: dict[str, Any]) -> list[str]:
    blocks = view.get("blocks") if isinstance(view, dict) else None
    return [
        str(block["block_id"])
        for block in (blocks if isinstance(blocks, list) else [])
        if isinstance(block, dict) and block.get("type") == "input" and block.get("block_id")
    ]


def _block_for(error: Exception, view: dict[str, Any]) -> str | None:
    """Where a modal shows the message: under the input it is about (BadInput names it),
    else on top of the first input."""
    inputs = _input_blocks(view)
    named = getattr(error, "block_id", None)
    if named in inputs:
        return str(named)
    return inputs[0] if inputs else None


def _first_line(error: BaseException) -> str:
    orig = getattr(error, "orig", None) or error
    return f"{type(orig).__name__}: {str(orig).splitlines()[0] if str(orig) else ''}"


def response_for(error: Exception, body: dict[str, Any], text: str | None = None) -> BoltResponse:
    text = text if text is not None else message_for(error)
    if body.get("type") == "view_submission":
        block_id = _block_for(error, body.get("view") or {})
        if block_id:  # keep the modal and what was typed in it, with the message on top
            payload: dict[str, Any] = {"response_action": "errors", "errors": {block_id: text}}
        else:  # nothing typed to lose: show the message in place of the modal
            payload = {"response_action": "update", "view": build_done_view(text).to_dict()}
        return BoltResponse(
            status=200, body=json.dumps(payload), headers={"content-type": "application/json"}
        )
    if body.get("command"):
        payload = {"response_type": "ephemeral", "text": text}
        return BoltResponse(
            status=200, body=json.dumps(payload), headers={"content-type": "application/json"}
        )
    return BoltResponse(status=200, body="")


def register(app: App) -> None:
    @app.error
    def handle_error(error: Exception, body: dict[str, Any], context: Any) -> BoltResponse:
        uow = context.get("uow")
        if uow is not None:  # nothing half-written is kept, nor committed by telling them below
            uow.rollback()
        text = message_for(error)  # one reference per failure, logged once
        response = response_for(error, body, text)
        if body.get("type") == "block_actions":
            _tell_about_action_failure(text, body, context)
        return response


def unmatched(body: dict[str, Any], context: Any) -> BoltResponse:
    """A request no listener matches (a button or modal of an older version, an id no form
    of ours has): acknowledged, never Bolt's 404; a person who pressed a button is told."""
    kind = body.get("type") or ("slash_command" if body.get("command") else "event")
    log.info("no listener for a %s request; acknowledged", kind)
    text = render("errors/stale_button")
    if kind == "block_actions":
        _tell_about_action_failure(text, body, context)
    if body.get("command"):
        payload = {"response_type": "ephemeral", "text": text}
        return BoltResponse(
            status=200, body=json.dumps(payload), headers={"content-type": "application/json"}
        )
    return BoltResponse(status=200, body="")


def _tell_about_action_failure(text: str, body: dict[str, Any], context: Any) -> None:
    gateway = context.get("gateway")
    user = (body.get("user") or {}).get("id")
    if gateway is None or not user:
        return
    channel = (body.get("channel") or {}).get("id")
    try:
        if channel:  # a button on a message: answer there, for their eyes only
            gateway.post_ephemeral(channel, user, text)
        else:  # App Home or a modal: there is no channel, so the bot's DM with them
            gateway.post(user, text)
    except Exception:  # the person already saw nothing happen; don't mask the first error
        log.exception("could not tell %s about a failed action", user)
