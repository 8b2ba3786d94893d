"""Signed requests to the app, shaped like the ones Slack sends to /slack/events."""

from __future__ import annotations

import copy
import itertools
import json
import secrets
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit

from slack_sdk.signature import SignatureVerifier

from bot.fakeslack.server import FakeSlack

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

_MISSING = object()

# element type -> (state key, initial_* key in the element definition)
_STATE_KEYS: dict[str, tuple[str, str]] = {
    "plain_text_input": ("value", "initial_value"),
    "number_input": ("value", "initial_value"),
    "email_text_input": ("value", "initial_value"),
    "url_text_input": ("value", "initial_value"),
    "rich_text_input": ("rich_text_value", "initial_value"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "datetimepicker": ("selected_date_time", "initial_date_time"),
    "users_select": ("selected_user", "initial_user"),
    "multi_users_select": ("selected_users", "initial_users"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "channels_select": ("selected_channel", "initial_channel"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
    "static_select": ("selected_option", "initial_option"),
    "external_select": ("selected_option", "initial_option"),
    "radio_buttons": ("selected_option", "initial_option"),
    "checkboxes": ("selected_options", "initial_options"),
    "multi_static_select": ("selected_options", "initial_options"),
    "multi_external_select": ("selected_options", "initial_options"),
}
_LIST_KEYS = {
    "selected_users",
    "selected_conversations",
    "selected_channels",
    "selected_options",
}


@dataclass(frozen=True)
class Response:
    status: int
    headers: Message
    text: str

    def json(self) -> Any:
        """Parsed body; an empty body (a bare ack) is {}."""
        return json.loads(self.text) if self.text.strip() else {}


class SlackClientSim:
    """Posts to the app exactly as Slack does: signed, form-encoded or JSON."""

    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        team_id: str = "T0001",
        fake: FakeSlack | None = None,
        *,
        api_app_id: str | None = None,
        team_domain: str = "acme",
        timeout: float = 10.0,
        settle: Callable[[], None] | None = None,
    ) -> None:
        self.url = _events_url(app_url)
        self.team_id = team_id
        self.fake = fake
        self.api_app_id = api_app_id or (fake.app_id if fake else "A0PDPBOT")
        self.team_domain = team_domain
        self.timeout = timeout
        self.settle = settle  # called after each answer, e.g. to let the app finish its work
        self._verifier = SignatureVerifier(signing_secret)
        self._counter = itertools.count(1)

    # ------------------------------------------------------------------ raw

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """`headers`: extra ones, e.g. X-Slack-Retry-Num on an event Slack re-sends."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        if signature is None:
            signature = self._verifier.generate_signature(timestamp=stamp, body=body) or ""
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **(headers or {}),
        }
        request = urllib.request.Request(self.url, data=body, headers=sent, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                answer = Response(reply.status, reply.headers, reply.read().decode("utf-8"))
        except HTTPError as err:
            answer = Response(err.code, err.headers, err.read().decode("utf-8"))
        if self.settle is not None:
            self.settle()
        return answer

    def post_form(self, fields: Mapping[str, str]) -> Response:
        return self.post(urlencode(fields).encode("utf-8"), FORM)

    def post_payload(self, payload: dict[str, Any]) -> Response:
        return self.post_form({"payload": json.dumps(payload)})

    # ------------------------------------------------------------------ Slack requests

    def command(self, command: str, text: str, user: str, channel: str = "D0USER") -> Response:
        fields = {
            "token": "verification-token",
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "channel_id": channel,
            "channel_name": self._channel_name(channel),
            "user_id": user,
            "user_name": self._user_name(user),
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": self._response_url("command", channel=channel),
            "trigger_id": self._trigger(user),
        }
        return self.post_form(fields)

    def block_action(
        self,
        user: str,
        action_id: str,
        value: str | None = None,
        *,
        block_id: str | None = None,
        view: dict[str, Any] | None = None,
        message: dict[str, Any] | None = None,
        channel: str | None = None,
        selected_date: str | None = None,
    ) -> Response:
        """A block_actions payload; the element is looked up in view/message blocks for its type."""
        blocks = (view or message or {}).get("blocks", [])
        found = _find_element(blocks, action_id)
        answer = selected_date if selected_date is not None else value
        action = _action(found, action_id, block_id, answer, is_date=selected_date is not None)
        payload = self._interaction("block_actions", user)
        payload["actions"] = [action]
        payload["trigger_id"] = self._trigger(user, view["id"] if view else None)
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view["id"]}
            payload["view"] = _with_state(view)
            payload["state"] = copy.deepcopy(payload["view"]["state"])
        else:
            payload.update(self._message_context(message, channel))
        return self.post_payload(payload)

    def view_submission(
        self, user: str, view: dict[str, Any], values: dict[str, dict[str, dict[str, Any]]]
    ) -> Response:
        payload = self._interaction("view_submission", user)
        payload["view"] = {**copy.deepcopy(view), "state": {"values": copy.deepcopy(values)}}
        payload["trigger_id"] = self._trigger(user, view.get("id"))
        payload["response_urls"] = []
        response = self.post_payload(payload)
        if self.fake is not None and response.status == 200 and view.get("id"):
            self.fake.apply_view_response(view["id"], _json_or_empty(response))
        return response

    def view_closed(self, user: str, view: dict[str, Any]) -> Response:
        payload = self._interaction("view_closed", user)
        payload["view"] = _with_state(view)
        payload["is_cleared"] = False
        return self.post_payload(payload)

    def event(self, event: dict[str, Any]) -> Response:
        return self.post_event(self.event_envelope(event))

    def post_event(self, envelope: dict[str, Any], retry: int = 0) -> Response:
        """Deliver an event envelope; `retry` > 0 re-sends it as Slack does after a slow or
        failed delivery (same event_id, X-Slack-Retry-Num)."""
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        body = json.dumps(envelope).encode("utf-8")
        return self.post(body, JSON, headers=headers if retry else None)

    def event_envelope(self, event: dict[str, Any]) -> dict[str, Any]:
        now = time.time()
        return {
            "token": "verification-token",
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": {"event_ts": f"{now:.6f}", **event},
            "type": "event_callback",
            "event_id": f"Ev{next(self._counter):08X}{secrets.token_hex(2).upper()}",
            "event_time": int(now),
            "authorizations": [self._authorization()],
            "is_ext_shared_channel": False,
            "event_context": secrets.token_urlsafe(24),
        }

    # ------------------------------------------------------------------ helpers

    def _interaction(self, kind: str, user: str) -> dict[str, Any]:
        return {
            "type": kind,
            "user": {
                "id": user,
                "username": self._user_name(user),
                "name": self._user_name(user),
                "team_id": self.team_id,
            },
            "api_app_id": self.api_app_id,
            "token": "verification-token",
            "team": {"id": self.team_id, "domain": self.team_domain},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _message_context(
        self, message: dict[str, Any] | None, channel: str | None
    ) -> dict[str, Any]:
        channel = channel or self._channel_of(message)
        context: dict[str, Any] = {"state": {"values": {}}}
        if channel is not None:
            context["channel"] = {"id": channel, "name": self._channel_name(channel)}
        ts = message.get("ts") if message else None
        context["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel,
            "is_ephemeral": message is None,
        }
        if message is not None:
            context["message"] = copy.deepcopy(message)
        context["response_url"] = self._response_url("action", channel=channel, message_ts=ts)
        return context

    def _channel_of(self, message: dict[str, Any] | None) -> str | None:
        if message is None or self.fake is None:
            return None
        return self.fake.channel_of(message.get("ts", ""))

    def _channel_name(self, channel: str) -> str:
        info = self.fake.channel(channel) if self.fake else None
        if info and info.get("name"):
            return str(info["name"])
        return "directmessage" if channel.startswith("D") else "privategroup"

    def _user_name(self, user: str) -> str:
        info = self.fake.user(user) if self.fake else None
        return str(info["name"]) if info else user.lower()

    def _trigger(self, user: str, view_id: str | None = None) -> str:
        if self.fake is not None:
            return self.fake.issue_trigger(user, view_id)
        return f"{next(self._counter)}.{int(time.time())}.{secrets.token_hex(16)}"

    def _response_url(
        self, kind: str, *, channel: str | None = None, message_ts: str | None = None
    ) -> str:
        number = next(self._counter)
        if self.fake is None:
            return (
                f"https://hooks.slack.com/{kind}s/{self.team_id}/{number}/{secrets.token_hex(12)}"
            )
        return self.fake.response_url(f"{kind}-{number}", channel=channel, message_ts=message_ts)

    def _authorization(self) -> dict[str, Any]:
        return {
            "enterprise_id": None,
            "team_id": self.team_id,
            "user_id": self.fake.bot_user_id if self.fake else "UBOT",
            "is_bot": True,
            "is_enterprise_install": False,
        }


def _events_url(app_url: str) -> str:
    path = urlsplit(app_url).path
    return app_url if path not in ("", "/") else app_url.rstrip("/") + "/slack/events"


def _json_or_empty(response: Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _with_state(view: dict[str, Any]) -> dict[str, Any]:
    """The view as Slack sends it with an interaction: state holds every input's current value
    (its initial value, unless the caller gives the state as typed)."""
    result = copy.deepcopy(view)
    if not (result.get("state") or {}).get("values"):
        result["state"] = {"values": input_values(result, {})}
    return result


def _iter_elements(blocks: list[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for block in blocks:
        if not isinstance(block, dict):
            continue
        block_id = str(block.get("block_id", ""))
        if isinstance(block.get("element"), dict):
            yield block_id, block["element"]
        if isinstance(block.get("accessory"), dict):
            yield block_id, block["accessory"]
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if isinstance(element, dict):
                yield block_id, element


def _find_element(blocks: list[Any], action_id: str) -> tuple[str, dict[str, Any]] | None:
    for block_id, element in _iter_elements(blocks):
        if element.get("action_id") == action_id:
            return block_id, element
    return None


def _action(
    found: tuple[str, dict[str, Any]] | None,
    action_id: str,
    block_id: str | None,
    answer: Any,
    *,
    is_date: bool,
) -> dict[str, Any]:
    element = found[1] if found else {"type": "datepicker" if is_date else "button"}
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id or (found[0] if found else "b"),
        "type": element["type"],
        "action_ts": f"{time.time():.6f}",
    }
    if element["type"] in _STATE_KEYS:
        action.update(element_state(element, answer))
    else:
        action["value"] = answer if answer is not None else element.get("value")
        if "text" in element:
            action["text"] = copy.deepcopy(element["text"])
    if action.get("value") is None and action["type"] == "button":
        action.pop("value")
    return action


# ---------------------------------------------------------------------- state.values


def input_values(view: dict[str, Any], answers: Mapping[str, object]) -> dict[str, Any]:
    """state.values for `view`, filled from answers keyed by block_id or action_id.

    Unanswered inputs carry their initial_* value, or None / [] as Slack sends.
    """
    values: dict[str, dict[str, Any]] = {}
    used: set[str] = set()
    for block_id, element in _iter_elements(view.get("blocks", [])):
        if element.get("type") not in _STATE_KEYS:
            continue
        action_id = str(element.get("action_id", ""))
        answer = _pick(answers, block_id, action_id, used)
        values.setdefault(block_id, {})[action_id] = element_state(element, answer)
    unknown = set(answers) - used
    if unknown:
        raise KeyError(f"no input in view for: {sorted(unknown)}")
    return values


def _pick(answers: Mapping[str, object], block_id: str, action_id: str, used: set[str]) -> Any:
    for key in (block_id, action_id):
        if key in answers:
            used.add(key)
            return answers[key]
    return _MISSING


def element_state(element: dict[str, Any], answer: Any = _MISSING) -> dict[str, Any]:
    """The {"type", <value key>} entry Slack reports for one stateful element."""
    kind = str(element.get("type"))
    key, initial_key = _STATE_KEYS[kind]
    raw = element.get(initial_key) if answer is _MISSING else answer
    return {"type": kind, key: _shape(element, key, raw)}


def _shape(element: dict[str, Any], key: str, raw: Any) -> Any:
    if key == "selected_option":
        return None if raw is None else _option(element, raw)
    if key == "selected_options":
        return [_option(element, item) for item in _as_list(raw)]
    if key in _LIST_KEYS:
        return [str(item) for item in _as_list(raw)]
    if key == "rich_text_value":
        return _rich_text(raw)
    if key == "selected_date_time":
        return None if raw is None else int(raw)
    return None if raw is None else str(raw)


def _as_list(raw: Any) -> list[Any]:
    if raw is None:
        return []
    return list(raw) if isinstance(raw, list | tuple | set) else [raw]


def _option(element: dict[str, Any], raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return copy.deepcopy(raw)
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options.extend(group.get("options", []))
    for option in options:
        if option.get("value") == str(raw):
            return copy.deepcopy(option)
    if options:
        raise ValueError(f"{raw!r} is not an option of {element.get('action_id')!r}")
    return {"text": {"type": "plain_text", "text": str(raw), "emoji": True}, "value": str(raw)}


def _rich_text(raw: Any) -> Any:
    if raw is None or isinstance(raw, dict):
        return raw
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": str(raw)}]}
    return {"type": "rich_text", "elements": [section]}
