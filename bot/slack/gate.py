"""In front of Bolt at /slack/events: a signed request whose shape Slack never sends is
acknowledged and dropped, and nothing a request carries can turn into HTTP 500.

Bolt reads fields before any listener runs (`channel.id`, `actions[0]`, `view.type`, the
`payload` JSON), and a field of the wrong type raised out of its parsing as a 500
(issue 9, item 10). A request of the wrong shape is read no further unless its signature
is good (an unsigned one gets the 401 Bolt gives, so a caller without the secret learns
nothing); every other request goes to Bolt, which checks the signature itself. What the
gate drops is logged by reason, never with the body (which carries what people typed)."""

from __future__ import annotations

import io
import json
import logging
import sys
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

from prompts import render

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

WsgiApp = Callable[["WSGIEnvironment", "StartResponse"], Iterable[bytes]]
MAX_BODY = 2 * 1024 * 1024  # bytes; Slack's largest payloads (a full modal) are far smaller
JSON_TYPE = [("Content-Type", "application/json")]


def guard(slack: WsgiApp, signing_secret: str | None) -> WsgiApp:
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            if environ.get("REQUEST_METHOD") == "POST" and verifier is not None:
                body = _read(environ)
                problem = problem_of(environ.get("CONTENT_TYPE") or "", body)
                if problem is not None and not _signed(verifier, environ, body):
                    start_response("401 Unauthorized", JSON_TYPE)  # as Bolt would, unread
                    return [b'{"error": "invalid request"}']
                if problem is not None:
                    return _acknowledge(problem, body, start_response)
            return slack(environ, start_response)  # Bolt checks the signature of the rest
        except Exception:  # the last resort: whatever broke, Slack gets its answer
            reference = uuid.uuid4().hex[:8]
            log.exception("request failed before a listener ran, reference %s", reference)
            start_response("200 OK", [("Content-Type", "text/plain")], sys.exc_info())
            return [b""]

    return application


def _read(environ: WSGIEnvironment) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(min(max(length, 0), MAX_BODY + 1)) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def _signed(verifier: SignatureVerifier, environ: WSGIEnvironment, body: bytes) -> bool:
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
    signature = environ.get("HTTP_X_SLACK_SIGNATURE")
    if not timestamp or not signature:
        return False
    try:
        return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
    except Exception:  # a timestamp that is not a number: Bolt refuses it with 401
        return False


def _acknowledge(problem: str, body: bytes, start_response: StartResponse) -> Iterable[bytes]:
    log.warning("malformed request from Slack acknowledged and dropped: %s", problem)
    command = _command_of(body)
    if command:  # a slash command can be answered in words, for the person's eyes only
        text = render("errors/malformed")
        start_response("200 OK", JSON_TYPE)
        return [json.dumps({"response_type": "ephemeral", "text": text}).encode()]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b""]


def _command_of(body: bytes) -> bool:
    try:
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return False
    return "payload" not in form and bool(form.get("command"))


# --- shapes --------------------------------------------------------------------------------


class Malformed(Exception):
    """Why a request is not shaped as Slack sends it (a reason, never the body)."""


def problem_of(content_type: str, body: bytes) -> str | None:
    """None for a request shaped as Slack sends it, else why it is not."""
    try:
        _check(content_type, body)
    except Malformed as exc:
        return str(exc)
    return None


def _check(content_type: str, body: bytes) -> None:
    if len(body) > MAX_BODY:
        raise Malformed("body too large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("body is not UTF-8") from None
    if content_type.startswith("application/json"):
        _check_event(_json(text, "body"))
        return
    form = parse_qs(text, keep_blank_values=True)
    if "payload" in form:
        _check_payload(_json(form["payload"][0], "payload"))
    elif "command" in form:
        _check_command(form)
    elif "ssl_check" not in form:
        raise Malformed("form with neither payload nor command")


def _json(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise Malformed(f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise Malformed(f"{what} is not a JSON object")
    return value


def _check_command(form: dict[str, list[str]]) -> None:
    for key in ("command", "user_id", "team_id", "trigger_id"):
        if not (form.get(key) or [""])[0]:
            raise Malformed(f"command without {key}")


def _check_event(body: dict[str, Any]) -> None:
    kind = _text(body, "type")
    if kind == "url_verification":
        _str(body, "challenge", required=True)
        return
    _str(body, "team_id")
    _str(body, "event_id")
    if kind == "event_callback":
        event = _object(body, "event")
        _text(event, "type")
        user = event.get("user")
        if user is not None and not isinstance(user, str | dict):
            raise Malformed("event.user is neither an id nor a profile")
        if isinstance(user, dict):
            _str(user, "id", required=True)
        _str(event, "channel")
        _str(event, "tab")
    _list_of_dicts(body, "authorizations")


def _check_payload(body: dict[str, Any]) -> None:
    kind = _text(body, "type")
    user = _dict(body, "user", required=kind in ("block_actions", "view_submission"))
    if user is not None:
        _str(user, "id", required=True)
        _str(user, "team_id")
    for key in ("team", "enterprise"):
        if (found := _dict(body, key)) is not None:
            _str(found, "id")
    if (channel := _dict(body, "channel")) is not None:
        _str(channel, "id")
    _dict(body, "container")
    _dict(body, "state")
    _str(body, "trigger_id")
    _str(body, "callback_id")
    if "is_enterprise_install" in body and not isinstance(body["is_enterprise_install"], bool):
        raise Malformed("is_enterprise_install is not a boolean")
    if (message := _dict(body, "message")) is not None:
        _str(message, "ts")
        _list_of_dicts(message, "blocks")
    if (view := _dict(body, "view", required=kind.startswith("view_"))) is not None:
        _check_view(view)
    if kind == "block_actions":
        _text(body, "trigger_id")
        actions = _list_of_dicts(body, "actions", required=True)
        if not actions:
            raise Malformed("block_actions without actions")
        for action in actions:
            _str(action, "action_id", required=True)
            for key in ("block_id", "type", "value", "selected_date", "action_ts"):
                _str(action, key)


def _check_view(view: dict[str, Any]) -> None:
    for key in ("id", "type"):
        _str(view, key, required=True)
    for key in ("callback_id", "private_metadata", "hash", "root_view_id", "previous_view_id"):
        _str(view, key)
    _list_of_dicts(view, "blocks")
    state = _dict(view, "state")
    values = _dict(state, "values") if state is not None else None
    for block in (values or {}).values():
        if not isinstance(block, dict):
            raise Malformed("view.state.values holds a block that is not an object")
        for action in block.values():
            if not isinstance(action, dict):
                raise Malformed("view.state.values holds an action that is not an object")


def _str(body: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise Malformed(f"{key} is not text")
    return value


def _dict(body: dict[str, Any], key: str, *, required: bool = False) -> dict[str, Any] | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, dict):
        raise Malformed(f"{key} is not an object")
    return value


def _list_of_dicts(
    body: dict[str, Any], key: str, *, required: bool = False
) -> list[dict[str, Any]]:
    value = body.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise Malformed(f"{key} is not a list of objects")
    return value


def _text(body: dict[str, Any], key: str) -> str:
    value = _str(body, key, required=True)
    assert value is not None
    return value


def _object(body: dict[str, Any], key: str) -> dict[str, Any]:
    value = _dict(body, key, required=True)
    assert value is not None
    return value
