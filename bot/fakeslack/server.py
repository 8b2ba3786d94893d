"""A fake Slack Web API server on loopback, for tests and the offline demo."""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import json
import secrets
import socket
import socketserver
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit
from zoneinfo import ZoneInfo

from bot.fakeslack.faults import RATELIMITED, SERVER_ERROR, TIMEOUT, Chaos, LostAnswer
from bot.fakeslack.files import FileUploads, Upload
from bot.fakeslack.limits import Limit, RateLimits
from bot.fakeslack.socket_mode import SocketModeStandIn

JSON_STRING_FIELDS = ("blocks", "view", "attachments", "metadata", "files")
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT = 40_000
MAX_VIEW_STACK = 3

_TZ_LABELS = {
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "UTC": "Coordinated Universal Time",
    "WET": "Western European Time",
    "WEST": "Western European Summer Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "EET": "Eastern European Time",
    "EEST": "Eastern European Summer Time",
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "JST": "Japan Standard Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
}

Handler = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Call:
    method: str
    args: dict[str, Any]
    token: str | None


class SlackError(Exception):
    """Raised by a method handler to answer {"ok": false, "error": ...}."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class _Reply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # held this long before it is sent (past the client's timeout)
    drop: bool = False  # the connection is closed instead of answering


@dataclass
class _Fault:
    reply: _Reply
    remaining: int


@dataclass
class _User:
    id: str
    name: str
    real_name: str
    display_name: str
    tz: str
    is_bot: bool
    deleted: bool
    email: str | None = None
    bot_id: str | None = None


@dataclass
class _Channel:
    id: str
    name: str | None
    members: list[str]
    is_private: bool = False
    is_im: bool = False
    is_mpim: bool = False
    is_archived: bool = False
    user: str | None = None
    created: int = field(default_factory=lambda: int(time.time()))


@dataclass
class _ResponseLink:
    channel: str | None
    message_ts: str | None


class FakeSlack:
    def __init__(
        self,
        team_id: str = "T0001",
        bot_user_id: str = "UBOT",
        *,
        team_name: str = "Acme",
        team_domain: str = "acme",
        bot_id: str = "B0BOT",
        bot_name: str = "pdpbot",
        app_id: str = "A0PDPBOT",
    ) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.team_name = team_name
        self.team_domain = team_domain
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.app_id = app_id
        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._calls: list[Call] = []
        self._users: dict[str, _User] = {}
        self._channels: dict[str, _Channel] = {}
        self._messages: dict[str, list[dict[str, Any]]] = {}
        self._views: dict[str, dict[str, Any]] = {}
        self._view_keys: dict[str, str] = {}
        self._view_users: dict[str, str | None] = {}
        self._view_log: list[str] = []
        self._triggers: dict[str, tuple[str, str | None]] = {}
        self._responses: list[tuple[str, dict[str, Any]]] = []
        self._response_links: dict[str, _ResponseLink] = {}
        self._faults: dict[str, deque[_Fault]] = {}
        self._lost: dict[str, deque[tuple[LostAnswer, list[int]]]] = {}
        # Seeded random faults on every call (bot/fakeslack/faults.py); None: none.
        self.chaos: Chaos | None = None
        self._limits = RateLimits()
        self._rate_limited: list[Call] = []
        self.connections = 0  # TCP connections accepted: a client that keeps them alive opens few
        # Called with each Web API call as it arrives (before it is answered), e.g. to time it.
        self.on_call: Callable[[Call], None] | None = None
        self._last_micros = 0
        # The token's scopes, answered in the x-oauth-scopes header as Slack does (None: no header).
        self.scopes: list[str] | None = None
        # Where message timestamps come from; tests that move time by hand point it at their clock.
        self.clock: Callable[[], float] = time.time
        self._counter = 0
        self._methods: dict[str, Handler] = {
            "auth.test": self._auth_test,
            "apps.connections.open": self._apps_connections_open,
            "users.info": self._users_info,
            "users.lookupByEmail": self._users_lookup_by_email,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "conversations.members": self._conversations_members,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
        }
        self._files = FileUploads(self)
        self._methods.update(self._files.methods())
        self.add_user(bot_user_id, name=bot_name, tz="America/Los_Angeles", is_bot=True)
        # Socket Mode: the endpoint apps.connections.open hands out, started when first asked
        # for; set `socket_mode_url` to send the app somewhere else (e.g. nowhere).
        self.socket_mode: SocketModeStandIn | None = None
        self.socket_mode_url: str | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeSlack:
        if self._server is not None:
            return self
        self._server = _Server(("127.0.0.1", 0), _RequestHandler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fakeslack",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        if self.socket_mode is not None:
            self.socket_mode.stop()
            self.socket_mode = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(
        self, name: str, *, channel: str | None = None, message_ts: str | None = None
    ) -> str:
        """URL whose POSTs land in `responses`; link a message to honour replace/delete_original."""
        with self._lock:
            if channel is not None or message_ts is not None:
                self._response_links[name] = _ResponseLink(channel, message_ts)
        return f"{self.base_url}/response/{name}"

    # ------------------------------------------------------------------ setup

    def add_user(
        self,
        user_id: str,
        name: str | None = None,
        real_name: str | None = None,
        tz: str = "Europe/London",
        is_bot: bool = False,
        deleted: bool = False,
        *,
        display_name: str | None = None,
        email: str | None = None,
    ) -> None:
        ZoneInfo(tz)  # fail early on a bad zone name
        name = name or user_id.lower()
        user = _User(
            id=user_id,
            name=name,
            real_name=real_name if real_name is not None else name,
            display_name=display_name if display_name is not None else name,
            tz=tz,
            is_bot=is_bot,
            deleted=deleted,
            email=email,
            bot_id=self.bot_id if user_id == self.bot_user_id else None,
        )
        with self._lock:
            self._users[user_id] = user

    def add_channel(
        self,
        channel_id: str,
        name: str,
        is_private: bool = False,
        members: Iterable[str] = (),
        is_archived: bool = False,
    ) -> None:
        channel = _Channel(
            id=channel_id,
            name=name,
            members=list(members),
            is_private=is_private,
            is_archived=is_archived,
        )
        with self._lock:
            self._channels[channel_id] = channel

    def issue_trigger(self, user: str, view_id: str | None = None) -> str:
        """A trigger_id as Slack sends with an interaction; views.open/push learn the user."""
        with self._lock:
            trigger_id = f"{self._next_number()}.{int(time.time())}.{secrets.token_hex(16)}"
            self._triggers[trigger_id] = (user, view_id)
            return trigger_id

    def members(self, channel_id: str) -> list[str]:
        """Who is in a conversation (for IMs and group DMs, the people it was opened with)."""
        with self._lock:
            channel = self._channels.get(channel_id)
            if channel is None:
                return []
            if channel.is_im:
                return [channel.user] if channel.user else []
            return list(channel.members)

    def view_user(self, view_id: str) -> str | None:
        """Whom the modal or App Home with this id was shown to."""
        with self._lock:
            return self._view_users.get(view_id)

    def trigger_user(self, trigger_id: str) -> str | None:
        """Who pressed the button or typed the command that this trigger_id came with."""
        with self._lock:
            found = self._triggers.get(trigger_id)
            return found[0] if found else None

    def fail_next(self, method: str, error: str = "user_not_found", times: int = 1) -> None:
        self._add_fault(method, _Reply(200, {"ok": False, "error": error}), times)

    def rate_limit_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        reply = _Reply(
            429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        )
        self._add_fault(method, reply, times)

    def limit_rate(
        self, method: str, per_second: float, burst: int = 1, *, per_channel: bool = True
    ) -> None:
        """Answer `method` with 429 and Retry-After past `per_second` calls a second (bursts
        of up to `burst`), per channel like chat.postMessage, or per workspace like a tier."""
        with self._lock:
            self._limits.set(method, Limit(per_second, burst, per_channel))

    def unlimit_rate(self, method: str) -> None:
        with self._lock:
            self._limits.set(method, None)

    @property
    def rate_limited(self) -> list[Call]:
        """The calls answered with HTTP 429, in order."""
        with self._lock:
            return list(self._rate_limited)

    def server_error_next(self, method: str, status: int = 500, times: int = 1) -> None:
        if not 500 <= status <= 599:
            raise ValueError("status must be 5xx")
        self._add_fault(method, _Reply(status, {"ok": False, "error": "internal_error"}), times)

    def lose_answer_next(
        self, method: str, how: str = SERVER_ERROR, times: int = 1, hang: float = 1.0
    ) -> None:
        """The next `times` calls to `method` run (a post is stored) and then their answer is
        lost: a 500 (`server_error`), held `hang` seconds (`timeout`) or never sent
        (`dropped`, the connection closed)."""
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._lost.setdefault(method, deque()).append((LostAnswer(how, hang), [times]))

    def _take_lost(self, method: str) -> LostAnswer | None:
        queue = self._lost.get(method)
        if not queue:
            return None
        lost, remaining = queue[0]
        remaining[0] -= 1
        if remaining[0] <= 0:
            queue.popleft()
        return lost

    def _add_fault(self, method: str, reply: _Reply, times: int) -> None:
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._faults.setdefault(method, deque()).append(_Fault(reply, times))

    # ------------------------------------------------------------------ inspection

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def clear(self) -> None:
        """Forget recorded calls and response_url posts; users, channels, messages stay."""
        with self._lock:
            self._calls.clear()
            self._responses.clear()
            self._rate_limited.clear()

    def files(self, channel: str | None = None) -> list[Upload]:
        """Files shared (files.completeUploadExternal), in `channel` or anywhere."""
        with self._lock:
            return [
                copy.deepcopy(u)
                for u in self._files.uploads.values()
                if u.shared and (channel is None or u.channel == channel)
            ]

    def messages(self, channel: str) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._messages.get(channel, []))

    def all_messages(self) -> list[tuple[str, dict[str, Any]]]:
        """(channel, message) for every message in every conversation, oldest first per
        conversation."""
        with self._lock:
            return [(c, copy.deepcopy(m)) for c, found in self._messages.items() for m in found]

    def channel_of(self, ts: str) -> str | None:
        """The channel holding the message with this ts."""
        with self._lock:
            for channel_id, messages in self._messages.items():
                if any(m["ts"] == ts for m in messages):
                    return channel_id
            return None

    def user(self, user_id: str) -> dict[str, Any] | None:
        with self._lock:
            user = self._users.get(user_id)
            return self._user_object(user) if user else None

    def channel(self, channel_id: str) -> dict[str, Any] | None:
        with self._lock:
            channel = self._channels.get(channel_id)
            return self._channel_object(channel) if channel else None

    @property
    def views(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._views)

    def last_view(self, user: str | None = None) -> dict[str, Any] | None:
        with self._lock:
            for view_id in reversed(self._view_log):
                if user is None or self._view_users.get(view_id) == user:
                    return copy.deepcopy(self._views[self._view_keys[view_id]])
            return None

    @property
    def responses(self) -> list[dict[str, Any]]:
        with self._lock:
            return [copy.deepcopy(body) for _, body in self._responses]

    def responses_to(self, name: str) -> list[dict[str, Any]]:
        with self._lock:
            return [copy.deepcopy(body) for n, body in self._responses if n == name]

    def apply_view_response(self, view_id: str, response: dict[str, Any]) -> None:
        """Apply a view_submission ack's response_action (update/push/clear) as Slack would."""
        action = response.get("response_action")
        with self._lock:
            if view_id not in self._view_keys:
                return
            if action == "update":
                self._replace_view(self._view_keys[view_id], response["view"])
            elif action == "push":
                self._push_view(response["view"], self._view_users.get(view_id), view_id)
            elif action == "clear":
                self._close_stack(view_id)

    # ------------------------------------------------------------------ HTTP entry points

    def _serve_api(self, method: str, query: str, headers: Message, body: bytes) -> _Reply:
        try:
            args = parse_args(query, headers.get("Content-Type", ""), body)
        except ValueError:
            return _Reply(200, {"ok": False, "error": "invalid_json"})
        token = _bearer(headers.get("Authorization")) or args.pop("token", None)
        with self._lock:
            call = Call(method, copy.deepcopy(args), token)
            self._calls.append(call)
            if self.on_call is not None:
                self.on_call(call)
            reply = self._answer(method, args, token)
            if reply.status == 429:
                self._rate_limited.append(call)
            return reply

    def _answer(self, method: str, args: dict[str, Any], token: str | None) -> _Reply:
        if not token:
            return _Reply(200, {"ok": False, "error": "not_authed"})
        # apps.connections.open takes the app-level token; every other method the bot token.
        if not token.startswith("xapp-" if method == "apps.connections.open" else "xoxb-"):
            return _Reply(200, {"ok": False, "error": "invalid_auth"})
        fault = self._take_fault(method)
        if fault is not None:
            return fault
        lost = self._take_lost(method)
        drawn = self.chaos.draw(method) if self.chaos is not None else None
        if drawn == RATELIMITED and self.chaos is not None:
            wait_s = str(self.chaos.retry_after)
            return _Reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": wait_s})
        if drawn is not None and self.chaos is not None:
            lost = LostAnswer(drawn, self.chaos.hang)
        reply = self._run(method, args)
        return reply if lost is None else _losing(reply, lost)

    def _run(self, method: str, args: dict[str, Any]) -> _Reply:
        wait = self._limits.retry_after(method, args)
        if wait is not None:
            return _Reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)})
        handler = self._methods.get(method)
        if handler is None:
            return _Reply(200, {"ok": False, "error": "unknown_method", "req_method": method})
        headers = {"x-oauth-scopes": ",".join(self.scopes)} if self.scopes is not None else {}
        try:
            return _Reply(200, {"ok": True, **handler(args)}, headers)
        except SlackError as err:
            return _Reply(200, {"ok": False, "error": err.error, **err.extra})

    def _take_fault(self, method: str) -> _Reply | None:
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.popleft()
        return copy.deepcopy(fault.reply)

    def _serve_response_url(self, name: str, headers: Message, body: bytes) -> _Reply:
        try:
            payload = parse_args("", headers.get("Content-Type", ""), body)
        except ValueError:
            return _Reply(400, {"ok": False, "error": "invalid_payload"})
        if isinstance(payload.get("payload"), str):
            payload = json.loads(payload["payload"])
        with self._lock:
            self._responses.append((name, copy.deepcopy(payload)))
            self._apply_response(self._response_links.get(name), payload)
        return _Reply(200, {"ok": True})

    def _apply_response(self, link: _ResponseLink | None, payload: dict[str, Any]) -> None:
        if link is None or link.channel is None:
            return
        original = self._find_message(link.channel, link.message_ts) if link.message_ts else None
        if original is not None and _truthy(payload.get("delete_original")):
            self._messages[link.channel].remove(original)
        elif original is not None and _truthy(payload.get("replace_original")):
            _edit_message(original, payload, self.bot_user_id, self._next_ts())
        elif payload.get("response_type") == "in_channel":
            self._store_message(link.channel, payload)

    # ------------------------------------------------------------------ ids and objects

    def _next_number(self) -> int:
        self._counter += 1
        return self._counter

    def _next_ts(self) -> str:
        micros = max(int(self.clock() * 1_000_000), self._last_micros + 1)
        self._last_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_view_id(self) -> str:
        return f"V{self._next_number():010X}"

    def _user_object(self, user: _User) -> dict[str, Any]:
        now = datetime.now(ZoneInfo(user.tz))
        offset = now.utcoffset()
        abbr = now.tzname() or ""
        profile: dict[str, Any] = {
            "real_name": user.real_name,
            "real_name_normalized": user.real_name,
            "display_name": user.display_name,
            "display_name_normalized": user.display_name,
            "first_name": user.real_name.split(" ")[0],
            "last_name": " ".join(user.real_name.split(" ")[1:]),
            "status_text": "",
            "status_emoji": "",
            "image_72": f"https://avatars.slack-edge.com/{user.id}_72.png",
            "team": self.team_id,
        }
        if user.email is not None:
            profile["email"] = user.email
        if user.bot_id is not None:
            profile["bot_id"] = user.bot_id
            profile["api_app_id"] = self.app_id
        return {
            "id": user.id,
            "team_id": self.team_id,
            "name": user.name,
            "deleted": user.deleted,
            "color": "9f69e7",
            "real_name": user.real_name,
            "tz": user.tz,
            "tz_label": _TZ_LABELS.get(abbr, abbr),
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": user.is_bot,
            "is_app_user": False,
            "updated": int(time.time()),
            "is_email_confirmed": not user.is_bot,
            "who_can_share_contact_card": "EVERYONE",
        }

    def _channel_object(self, channel: _Channel) -> dict[str, Any]:
        obj: dict[str, Any] = {
            "id": channel.id,
            "created": channel.created,
            "is_channel": not (channel.is_im or channel.is_mpim or channel.is_private),
            "is_group": channel.is_private and not (channel.is_im or channel.is_mpim),
            "is_im": channel.is_im,
            "is_mpim": channel.is_mpim,
            "is_private": channel.is_private,
            "is_archived": channel.is_archived,
            "is_general": False,
            "is_shared": False,
            "is_ext_shared": False,
            "is_org_shared": False,
            "context_team_id": self.team_id,
        }
        if channel.is_im:
            deleted = channel.user in self._users and self._users[channel.user or ""].deleted
            obj.update({"user": channel.user, "is_user_deleted": deleted, "priority": 0})
            return obj
        obj.update(
            {
                "name": channel.name,
                "name_normalized": channel.name,
                "is_member": self.bot_user_id in channel.members,
                "creator": channel.members[0] if channel.members else "",
                "topic": {"value": "", "creator": "", "last_set": 0},
                "purpose": {"value": "", "creator": "", "last_set": 0},
            }
        )
        return obj

    # ------------------------------------------------------------------ channels

    def _visible_channel(self, channel_id: Any) -> _Channel:
        channel = self._channels.get(channel_id) if isinstance(channel_id, str) else None
        if channel is None:
            raise SlackError("channel_not_found")
        if channel.is_private and self.bot_user_id not in channel.members:
            raise SlackError("channel_not_found")
        return channel

    def _open_conversation(self, users: list[str]) -> tuple[_Channel, bool]:
        others = sorted(set(users) - {self.bot_user_id})
        if not others:
            raise SlackError("cannot_dm_bot")
        if len(others) > 8:
            raise SlackError("too_many_users")
        for user_id in others:
            self._check_dm_target(user_id)
        members = [*others, self.bot_user_id]
        digest = hashlib.sha1(f"{self.team_id}:{','.join(sorted(members))}".encode()).hexdigest()
        is_im = len(others) == 1
        channel_id = ("D" if is_im else "G") + digest[:10].upper()
        existing = self._channels.get(channel_id)
        if existing is not None:
            return existing, True
        channel = _Channel(
            id=channel_id,
            name=None if is_im else self._mpim_name(members),
            members=members,
            is_private=True,
            is_im=is_im,
            is_mpim=not is_im,
            user=others[0] if is_im else None,
        )
        self._channels[channel_id] = channel
        return channel, False

    def _check_dm_target(self, user_id: str) -> None:
        user = self._users.get(user_id)
        if user is not None and user.deleted:
            raise SlackError("user_disabled")
        if user is not None and user.is_bot:
            raise SlackError("cannot_dm_bot")

    def _mpim_name(self, members: list[str]) -> str:
        names = sorted(self._users[m].name if m in self._users else m.lower() for m in members)
        return f"mpdm-{'--'.join(names)}-1"

    def _post_target(self, channel_id: Any) -> _Channel:
        """Resolve chat.* `channel`: an id, a #name, or a user id (the app's DM with them)."""
        if not isinstance(channel_id, str) or not channel_id:
            raise SlackError("channel_not_found")
        if channel_id[0] in "UW" and channel_id not in self._channels:
            return self._open_conversation([channel_id])[0]
        if channel_id.startswith("#"):
            return self._visible_channel(self._channel_id_by_name(channel_id[1:]))
        if channel_id[0] in "DG" and channel_id not in self._channels:
            self._channels[channel_id] = _Channel(
                id=channel_id,
                name=None,
                members=[self.bot_user_id],
                is_private=True,
                is_im=channel_id.startswith("D"),
                is_mpim=channel_id.startswith("G"),
            )
        return self._visible_channel(channel_id)

    def _channel_id_by_name(self, name: str) -> str | None:
        for channel in self._channels.values():
            if channel.name == name:
                return channel.id
        return None

    # ------------------------------------------------------------------ messages

    def _store_message(self, channel_id: str, args: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "user": self.bot_user_id,
            "type": "message",
            "ts": self._next_ts(),
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": args.get("text") or "",
            "team": self.team_id,
            "blocks": with_ids(args.get("blocks") or []),
            "bot_profile": {
                "id": self.bot_id,
                "app_id": self.app_id,
                "name": self.bot_name,
                "deleted": False,
                "team_id": self.team_id,
            },
        }
        for key in ("attachments", "thread_ts", "metadata"):
            if args.get(key):
                message[key] = args[key]
        self._messages.setdefault(channel_id, []).append(message)
        return message

    def _find_message(self, channel_id: str, ts: Any) -> dict[str, Any] | None:
        for message in self._messages.get(channel_id, []):
            if message["ts"] == ts:
                return message
        return None

    # ------------------------------------------------------------------ views

    def _store_view(
        self,
        key: str,
        view: dict[str, Any],
        *,
        view_id: str,
        user: str | None,
        root_view_id: str | None = None,
        previous_view_id: str | None = None,
    ) -> dict[str, Any]:
        stored = {
            "id": view_id,
            "team_id": self.team_id,
            "type": view.get("type", "modal"),
            "blocks": with_ids(view.get("blocks", [])),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "title": view.get("title"),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "previous_view_id": previous_view_id,
            "root_view_id": root_view_id or view_id,
            "app_id": self.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        self._views[key] = stored
        self._view_keys[view_id] = key
        self._view_users[view_id] = user
        return copy.deepcopy(stored)

    def _open_view(self, view: dict[str, Any], user: str | None) -> dict[str, Any]:
        view_id = self._next_view_id()
        stored = self._store_view(view_id, view, view_id=view_id, user=user)
        self._view_log.append(view_id)
        return stored

    def _push_view(
        self, view: dict[str, Any], user: str | None, from_view_id: str | None
    ) -> dict[str, Any]:
        if from_view_id is None or from_view_id not in self._view_keys:
            return self._open_view(view, user)
        parent = self._views[self._view_keys[from_view_id]]
        root_id = parent["root_view_id"]
        if self._stack_size(root_id) >= MAX_VIEW_STACK:
            raise SlackError("push_limit_reached")
        view_id = self._next_view_id()
        stored = self._store_view(
            view_id,
            view,
            view_id=view_id,
            user=user,
            root_view_id=root_id,
            previous_view_id=from_view_id,
        )
        self._view_log.append(view_id)
        return stored

    def _stack_size(self, root_id: str) -> int:
        return sum(1 for v in self._views.values() if v.get("root_view_id") == root_id)

    def _replace_view(self, key: str, view: dict[str, Any]) -> dict[str, Any]:
        old = self._views[key]
        merged = {"external_id": old["external_id"], **view}
        stored = self._store_view(
            key,
            merged,
            view_id=old["id"],
            user=self._view_users.get(old["id"]),
            root_view_id=old["root_view_id"],
            previous_view_id=old["previous_view_id"],
        )
        if not key.startswith("home:"):
            self._view_log.append(old["id"])
        return stored

    def _close_stack(self, view_id: str) -> None:
        root_id = self._views[self._view_keys[view_id]]["root_view_id"]
        for key in [k for k, v in self._views.items() if v["root_view_id"] == root_id]:
            del self._views[key]
        self._view_log = [v for v in self._view_log if self._view_keys.get(v) in self._views]

    def _view_key(self, args: dict[str, Any]) -> str:
        view_id, external_id = args.get("view_id"), args.get("external_id")
        if view_id:
            key = self._view_keys.get(view_id)
        elif external_id:
            key = next((k for k, v in self._views.items() if v["external_id"] == external_id), None)
        else:
            raise SlackError("invalid_arguments")
        if key is None or key not in self._views:
            raise SlackError("not_found")
        return key

    # ------------------------------------------------------------------ Web API methods

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if self.socket_mode_url is not None:
            return {"url": self.socket_mode_url}
        if self.socket_mode is None:
            self.socket_mode = SocketModeStandIn(self.app_id).start()
        return {"url": self.socket_mode.url}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._users.get(args.get("user") or "")
        if user is None:
            raise SlackError("user_not_found")
        obj = self._user_object(user)
        if _truthy(args.get("include_locale")):
            obj["locale"] = "en-US"
        return {"user": obj}

    def _users_lookup_by_email(self, args: dict[str, Any]) -> dict[str, Any]:
        email = str(args.get("email") or "").strip().lower()
        if not email:
            raise SlackError("invalid_email")
        for user in self._users.values():
            if user.email is not None and user.email.lower() == email:
                return {"user": self._user_object(user)}
        raise SlackError("users_not_found")

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if args.get("channel"):
            channel = self._visible_channel(args["channel"])
            return {"no_op": True, "already_open": True, "channel": {"id": channel.id}}
        users = [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
        if not users:
            raise SlackError("users_list_not_supplied")
        channel, existed = self._open_conversation(users)
        if existed:
            return {"no_op": True, "already_open": True, "channel": {"id": channel.id}}
        return {"channel": {"id": channel.id}}

    def _conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._visible_channel(args.get("channel"))
        obj = self._channel_object(channel)
        if _truthy(args.get("include_num_members")) and not channel.is_im:
            obj["num_members"] = len(channel.members)
        return {"channel": obj}

    def _conversations_members(self, args: dict[str, Any]) -> dict[str, Any]:
        members = self._visible_channel(args.get("channel")).members
        limit = int(args.get("limit") or 100)
        start = _decode_cursor(args.get("cursor"), members)
        page = members[start : start + limit]
        rest = members[start + limit :]
        next_cursor = _encode_cursor(rest[0]) if rest else ""
        return {"members": page, "response_metadata": {"next_cursor": next_cursor}}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Top-level messages, newest first, between `oldest` and `latest` (exclusive)."""
        channel = self._visible_channel(args.get("channel"))
        found = [
            m
            for m in self._messages.get(channel.id, [])
            if "thread_ts" not in m or m["thread_ts"] == m["ts"]
        ]
        return self._page(found[::-1], args)

    def _conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        """A thread: its parent, then the replies, oldest first."""
        channel = self._visible_channel(args.get("channel"))
        ts = args.get("ts")
        if self._find_message(channel.id, ts) is None:
            raise SlackError("thread_not_found")
        found = [
            m
            for m in self._messages.get(channel.id, [])
            if m["ts"] == ts or m.get("thread_ts") == ts
        ]
        return self._page(found, args)

    def _page(self, messages: list[dict[str, Any]], args: dict[str, Any]) -> dict[str, Any]:
        oldest = float(args.get("oldest") or 0)
        latest = float(args["latest"]) if args.get("latest") else None
        limit = int(args.get("limit") or 100)
        inside = [
            m
            for m in messages
            if float(m["ts"]) > oldest and (latest is None or float(m["ts"]) < latest)
        ]
        page = copy.deepcopy(inside[:limit])
        if not _truthy(args.get("include_all_metadata")):
            for message in page:
                message.pop("metadata", None)
        return {"messages": page, "has_more": len(inside) > limit}

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._writable(args.get("channel"))
        _check_message_content(args)
        message = self._store_message(channel.id, args)
        return {"channel": channel.id, "ts": message["ts"], "message": copy.deepcopy(message)}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._visible_channel(args.get("channel"))
        message = self._find_message(channel.id, args.get("ts"))
        if message is None:
            raise SlackError("message_not_found")
        _check_message_content(args, required=False)
        _edit_message(message, args, self.bot_user_id, self._next_ts())
        return {
            "channel": channel.id,
            "ts": message["ts"],
            "text": message["text"],
            "message": copy.deepcopy(message),
        }

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._writable(args.get("channel"))
        user = args.get("user")
        if not user:
            raise SlackError("user_not_found")
        if channel.is_private and user not in channel.members:
            raise SlackError("user_not_in_channel")
        _check_message_content(args)
        return {"message_ts": self._next_ts()}

    def _writable(self, channel_id: Any) -> _Channel:
        channel = self._post_target(channel_id)
        if channel.is_archived:
            raise SlackError("is_archived")
        return channel

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger = self._trigger(args)
        view = _valid_view(args.get("view"), "modal")
        return {"view": self._open_view(view, trigger[0])}

    def _views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        user, from_view_id = self._trigger(args)
        view = _valid_view(args.get("view"), "modal")
        return {"view": self._push_view(view, user, from_view_id)}

    def _trigger(self, args: dict[str, Any]) -> tuple[str | None, str | None]:
        trigger_id = args.get("trigger_id") or args.get("interactivity_pointer")
        if not trigger_id:
            raise SlackError("invalid_arguments")
        return self._triggers.get(trigger_id, (None, None))

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        key = self._view_key(args)
        _check_hash(args.get("hash"), self._views[key])
        view = _valid_view(args.get("view"), self._views[key]["type"])
        return {"view": self._replace_view(key, view)}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = args.get("user_id")
        if not user_id:
            raise SlackError("invalid_arguments")
        view = _valid_view(args.get("view"), "home")
        key = f"home:{user_id}"
        if key in self._views:
            _check_hash(args.get("hash"), self._views[key])
            return {"view": self._replace_view(key, view)}
        return {"view": self._store_view(key, view, view_id=self._next_view_id(), user=user_id)}


# ---------------------------------------------------------------------- helpers


def _losing(reply: _Reply, lost: LostAnswer) -> _Reply:
    """The answer to a call that ran, lost the way `lost` says."""
    if lost.how == SERVER_ERROR:
        return _Reply(500, {"ok": False, "error": "internal_error"})
    if lost.how == TIMEOUT:
        return _Reply(reply.status, reply.body, reply.headers, delay=lost.hang)
    return _Reply(reply.status, reply.body, reply.headers, drop=True)


def parse_args(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    """Merge query string, form or JSON body into one dict, decoding JSON-string fields."""
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json" and body.strip():
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise ValueError("JSON body must be an object")
        args.update(decoded)
    elif kind == "application/x-www-form-urlencoded":
        args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for key in JSON_STRING_FIELDS:
        if isinstance(args.get(key), str):
            args[key] = _maybe_json(args[key])
    return args


def _maybe_json(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def _truthy(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")


def _encode_cursor(member: str) -> str:
    return base64.b64encode(f"user:{member}".encode()).decode()


def _decode_cursor(cursor: Any, members: list[str]) -> int:
    if not cursor:
        return 0
    try:
        member = base64.b64decode(str(cursor)).decode().removeprefix("user:")
        return members.index(member)
    except ValueError as err:
        raise SlackError("invalid_cursor") from err


def _short_id(seed: str) -> str:
    digest = hashlib.sha1(seed.encode()).digest()
    return base64.b32encode(digest).decode()[:5]


def with_ids(blocks: Any) -> Any:
    """Give blocks a block_id and interactive elements an action_id, as Slack does."""
    if not isinstance(blocks, list):
        return blocks
    result = copy.deepcopy(blocks)
    for index, block in enumerate(result):
        if isinstance(block, dict):
            seed = f"{index}:{json.dumps(block, sort_keys=True)}"
            block.setdefault("block_id", _short_id(seed))
            for pos, element in enumerate(_interactive_elements(block)):
                element.setdefault("action_id", _short_id(f"{seed}:{pos}"))
    return result


def _interactive_elements(block: dict[str, Any]) -> list[dict[str, Any]]:
    if block.get("type") == "input" and isinstance(block.get("element"), dict):
        return [block["element"]]
    if block.get("type") == "actions":
        return [e for e in block.get("elements", []) if isinstance(e, dict)]
    accessory = block.get("accessory")
    if isinstance(accessory, dict) and accessory.get("type") != "image":
        return [accessory]
    return []


def _check_message_content(args: dict[str, Any], *, required: bool = True) -> None:
    blocks, text = args.get("blocks"), args.get("text")
    if required and not (text or blocks or args.get("attachments")):
        raise SlackError("no_text")
    if isinstance(blocks, str):
        raise SlackError("invalid_blocks_format")
    if blocks is not None and not _valid_blocks(blocks, MAX_MESSAGE_BLOCKS):
        raise SlackError("invalid_blocks")
    if isinstance(text, str) and len(text) > MAX_TEXT:
        raise SlackError("msg_too_long")


def _valid_blocks(blocks: Any, limit: int) -> bool:
    if not isinstance(blocks, list) or len(blocks) > limit:
        return False
    if not all(isinstance(b, dict) and isinstance(b.get("type"), str) for b in blocks):
        return False
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    return len(ids) == len(set(ids))


def _edit_message(message: dict[str, Any], args: dict[str, Any], editor: str, ts: str) -> None:
    if "text" in args:
        message["text"] = args["text"] or ""
    if "blocks" in args:
        message["blocks"] = with_ids(args["blocks"] or [])
    if "attachments" in args:
        message["attachments"] = args["attachments"]
    message["edited"] = {"user": editor, "ts": ts}


def _check_hash(given: Any, stored: dict[str, Any]) -> None:
    if given and given != stored["hash"]:
        raise SlackError("hash_conflict")


def _valid_view(view: Any, expected_type: str) -> dict[str, Any]:
    problems = _view_problems(view, expected_type)
    if problems:
        raise SlackError("invalid_arguments", response_metadata={"messages": problems})
    assert isinstance(view, dict)
    return view


def _view_problems(view: Any, expected_type: str) -> list[str]:
    if not isinstance(view, dict):
        return ["[ERROR] must provide an object [json-pointer:/view]"]
    if view.get("type") != expected_type:
        return [f"[ERROR] must be '{expected_type}' [json-pointer:/view/type]"]
    problems: list[str] = []
    if not _valid_blocks(view.get("blocks"), MAX_VIEW_BLOCKS):
        problems.append("[ERROR] invalid or duplicate blocks [json-pointer:/view/blocks]")
    for key, limit in (("private_metadata", 3000), ("callback_id", 255), ("external_id", 255)):
        if len(str(view.get(key, ""))) > limit:
            problems.append(
                f"[ERROR] must be at most {limit} characters [json-pointer:/view/{key}]"
            )
    if expected_type == "modal":
        problems.extend(_modal_problems(view))
    return problems


def _modal_problems(view: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if not isinstance(view.get("title"), dict):
        problems.append("[ERROR] missing required field: title [json-pointer:/view]")
    for key in ("title", "submit", "close"):
        text = view.get(key)
        if isinstance(text, dict) and len(str(text.get("text", ""))) > 24:
            problems.append(f"[ERROR] must be at most 24 characters [json-pointer:/view/{key}]")
    blocks = view.get("blocks")
    blocks = blocks if isinstance(blocks, list) else []
    has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
    if has_input and not view.get("submit"):
        problems.append("[ERROR] must provide a submit property when using input blocks")
    return problems


# ---------------------------------------------------------------------- HTTP plumbing


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog is 5: at 32 concurrent clients connections would wait
    # for the kernel to retry the SYN (a second) and the benchmarks would measure the fake.
    request_queue_size = 1024
    fake: FakeSlack

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away (killed, or gave up waiting) is not the fake's error.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn); skip it offline.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "FakeSlack/1.0"
    # Keep-alive, as Slack's API does: a client that reuses connections can be measured doing so.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; on a kept-alive connection Nagle's algorithm would
    # hold the body until the client's delayed ACK (40 ms) for every call.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        with self.server.fake._lock:
            self.server.fake.connections += 1

    def do_POST(self) -> None:
        self._dispatch()

    def do_GET(self) -> None:
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _dispatch(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            reply = self._route(body)
        except Exception as err:  # a bug in the fake: say so loudly instead of hanging up
            traceback.print_exc()
            reply = _Reply(500, {"ok": False, "error": "fakeslack_crashed", "detail": repr(err)})
        self._send(reply)

    def _route(self, body: bytes) -> _Reply:
        url = urlsplit(self.path)
        fake = self.server.fake
        if url.path.startswith("/api/"):
            return fake._serve_api(url.path[len("/api/") :], url.query, self.headers, body)
        if url.path.startswith("/upload/"):
            with fake._lock:
                status, answer = fake._files.receive(url.path[len("/upload/") :], body)
            return _Reply(status, answer)
        if url.path.startswith("/response/"):
            name = unquote(url.path[len("/response/") :])
            return fake._serve_response_url(name, self.headers, body)
        return _Reply(404, {"ok": False, "error": "not_found"})

    def _send(self, reply: _Reply) -> None:
        if reply.drop:  # Slack acted, and the connection broke before its answer
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if reply.delay:  # answered after the client gave up waiting
            self.close_connection = True
            time.sleep(reply.delay)
            with contextlib.suppress(OSError):
                self._write(reply)
            return
        self._write(reply)

    def _write(self, reply: _Reply) -> None:
        payload = json.dumps(reply.body).encode("utf-8")
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
