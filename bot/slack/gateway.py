"""Every Slack Web API call goes through here: retries for transient faults, one vocabulary."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from slack_sdk.web import SlackResponse

from bot.slack.keepalive import KeepAliveWebClient

log = logging.getLogger(__name__)

PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "user_disabled",
        "channel_not_found",
        "is_archived",
        "messages_tab_disabled",
        "account_inactive",
        "token_revoked",
        "not_in_channel",
        "cannot_dm_bot",
    }
)


class SlackFailure(Exception):
    """A Slack call failed after retries. `permanent` failures must not be retried;
    `retry_after` (seconds) is set when Slack answered 429: nothing was done, ask again then."""

    def __init__(self, method: str, error: str, retry_after: float | None = None) -> None:
        super().__init__(f"{method}: {error}")
        self.method = method
        self.error = error
        self.retry_after = retry_after

    @property
    def permanent(self) -> bool:
        return self.error in PERMANENT_ERRORS

    @property
    def rate_limited(self) -> bool:
        return self.retry_after is not None


def _retry_after(response: SlackResponse) -> float | None:
    """Seconds Slack asked us to wait, when it answered 429 (at least one)."""
    if response.status_code != 429:
        return None
    headers = {k.lower(): v for k, v in (response.headers or {}).items()}
    value = headers.get("retry-after")
    value = value[0] if isinstance(value, list) and value else value
    try:
        return max(1.0, float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0


class OutcomeUnknown(SlackFailure):
    """A post whose answer was lost (a 5xx, a timeout, a dropped connection): Slack may have
    stored the message. Look for it (by the key in its metadata) before posting it again."""


# Seconds to wait for Slack's answer to one call.
SLACK_TIMEOUT = 10.0


def without_blind_retries(client: WebClient) -> WebClient:
    """The same client (same connections) without slack_sdk's server-error and connection
    retries: a 5xx or a broken connection may come after Slack stored a post, and retrying it
    blindly posts it twice (issue 9, fault 7). Only a 429 (Slack did nothing) may be retried."""
    poster = copy.copy(client)
    poster.retry_handlers = [
        handler
        for handler in client.retry_handlers
        if not isinstance(handler, (ServerErrorRetryHandler, ConnectionErrorRetryHandler))
    ]
    return poster


def make_client(token: str | None, base_url: str | None = None) -> WebClient:
    """Kept-alive connections to Slack (slack_sdk's own client opens one per call). No retry
    sleeps on a 429: a request tells the person at once (prompts/errors/slack_busy.j2) and the
    outbox's sender waits out Retry-After for that channel or method only, never in a thread
    another person's work is waiting on (bot/services/outbox/pacing.py)."""
    client = KeepAliveWebClient(
        token=token, base_url=base_url or WebClient.BASE_URL, timeout=SLACK_TIMEOUT
    )
    client.retry_handlers.append(ServerErrorRetryHandler(max_retry_count=2))
    if not any(isinstance(h, ConnectionErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(ConnectionErrorRetryHandler(max_retry_count=2))
    return client


# The event type of the metadata every cadence message carries: its prompt's key.
PROMPT_EVENT = "pdpbot_prompt"
HISTORY_PAGES = 10

BlocksArg = Sequence[Block | dict[str, Any]]


def _as_dicts(blocks: BlocksArg | None) -> list[dict[str, Any]] | None:
    if blocks is None:
        return None
    return [b.to_dict() if isinstance(b, Block) else b for b in blocks]


# Told of every Web API call just before it is made (tests check no transaction is open).
Watch = Callable[[str], None]
_watchers: list[Watch] = []


def watch(watcher: Watch) -> Callable[[], None]:
    """Call `watcher(method)` before every Slack call, in the calling thread; returns the
    function that stops it."""
    _watchers.append(watcher)
    return lambda: _watchers.remove(watcher)


# Errors that answer the question asked (no such user for that email): raised as SlackFailure
# like any other, but not logged as failures (the caller says what they mean, e.g. `pdpbot
# import` lists the unknown email with its line number).
ANSWERS = frozenset({("users.lookupByEmail", "users_not_found")})


class SlackGateway:
    """`before_call(method)` runs before each call: a request's gateway ends the request's
    transaction there (reads and writes, commit, then Slack), so no lock or snapshot is held
    while Slack answers; the outbox sender's waits for the method's turn. `on_rate_limited
    (method, channel, seconds)` hears of every 429 (channel: where a post was going)."""

    def __init__(
        self,
        client: WebClient,
        before_call: Callable[[str], None] | None = None,
        on_rate_limited: Callable[[str, str | None, float], None] | None = None,
    ) -> None:
        self.client = client
        self._poster = without_blind_retries(client)
        self._before_call = before_call
        self._on_rate_limited = on_rate_limited

    def for_request(self, before_call: Callable[[str], None]) -> SlackGateway:
        """This gateway's client, with `before_call` run before every call."""
        gateway = copy.copy(self)
        gateway._before_call = before_call
        return gateway

    def paced(
        self,
        before_call: Callable[[str], None],
        on_rate_limited: Callable[[str, str | None, float], None],
    ) -> SlackGateway:
        """This gateway's client, asking `before_call` for each call's turn and telling
        `on_rate_limited` of each 429 (the outbox's pacer)."""
        gateway = copy.copy(self)
        gateway._before_call, gateway._on_rate_limited = before_call, on_rate_limited
        return gateway

    def _guard(
        self,
        method: str,
        call: Callable[[], SlackResponse],
        channel: str | None = None,
        posting: bool = False,
    ) -> dict[str, Any]:
        """Run one Web API call; whatever goes wrong comes out as a SlackFailure, and as
        OutcomeUnknown when `posting` and the answer was lost after Slack may have acted."""
        if self._before_call is not None:
            self._before_call(method)
        for watcher in _watchers:
            watcher(method)
        try:
            response = call()
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown_error"))
            if (method, error) not in ANSWERS:
                log.warning("slack %s failed: %s", method, error)
            retry_after = _retry_after(exc.response)
            if retry_after is not None and self._on_rate_limited is not None:
                self._on_rate_limited(method, channel, retry_after)
            if posting and exc.response.status_code >= 500:
                raise OutcomeUnknown(method, f"http_{exc.response.status_code}") from exc
            raise SlackFailure(method, error, retry_after) from exc
        except OSError as exc:  # URLError, timeouts, resets: after the client's own retries
            log.warning("slack %s failed: %s", method, exc)
            if posting and not isinstance(exc, URLError):  # it may have reached Slack
                raise OutcomeUnknown(method, f"answer_lost: {type(exc).__name__}") from exc
            raise SlackFailure(method, f"connection_error: {exc}") from exc
        return dict(response.data) if isinstance(response.data, dict) else {}

    def _call(self, method: str, **kwargs: Any) -> dict[str, Any]:
        channel = kwargs.get("channel")
        return self._guard(method, lambda: self.client.api_call(method, json=kwargs), channel)

    def user_info(self, user_id: str) -> dict[str, Any]:
        data = self._guard("users.info", lambda: self.client.users_info(user=user_id))
        return dict(data["user"])

    def user_by_email(self, email: str) -> dict[str, Any]:
        """users.lookupByEmail (users:read.email): the user with that email; SlackFailure
        `users_not_found` when there is none (an answer, not logged: ANSWERS)."""
        data = self._guard(
            "users.lookupByEmail", lambda: self.client.users_lookupByEmail(email=email)
        )
        return dict(data["user"])

    def open_conversation(self, user_ids: Sequence[str]) -> str:
        data = self._call("conversations.open", users=",".join(user_ids))
        return str(data["channel"]["id"])

    def post(
        self,
        channel: str,
        text: str,
        blocks: BlocksArg | None = None,
        thread_ts: str | None = None,
        key: str | None = None,
    ) -> str:
        """Post a message; `key` goes into its metadata so it can be found again.

        Never retried blindly: a 5xx, a timeout or a dropped connection raises OutcomeUnknown
        (Slack may have stored it), and the caller looks for the message (`find_posted`)
        before it posts again. A connection never made raises a plain SlackFailure."""
        extra: dict[str, Any] = {"thread_ts": thread_ts} if thread_ts else {}
        if key is not None:
            extra["metadata"] = {"event_type": PROMPT_EVENT, "event_payload": {"key": key}}
        args = dict(channel=channel, text=text, blocks=_as_dicts(blocks), **extra)
        method = "chat.postMessage"
        call = partial(self._poster.api_call, method, json=args)
        data = self._guard(method, call, channel, posting=True)
        return str(data["ts"])

    def find_posted(
        self, channel: str, key: str, oldest: datetime, thread_ts: str | None = None
    ) -> str | None:
        """The ts of the bot's message carrying `key`, posted in `channel` (or in the thread
        `thread_ts`) since `oldest`; None when there is none."""
        since = f"{oldest.timestamp():.6f}"
        latest: str | None = None
        for _ in range(HISTORY_PAGES):
            if thread_ts:
                method, call = "conversations.replies", self._replies(channel, thread_ts, since)
            else:
                method, call = "conversations.history", self._history(channel, since, latest)
            data = self._guard(method, call)
            messages = data.get("messages") or []
            for message in messages:
                meta = message.get("metadata") or {}
                payload = meta.get("event_payload") or {}
                ours = meta.get("event_type") == PROMPT_EVENT and message.get("bot_id")
                if ours and payload.get("key") == key and message.get("ts"):
                    return str(message["ts"])
            if thread_ts or not data.get("has_more") or not messages:
                return None
            latest = str(messages[-1]["ts"])
        return None

    def _history(
        self, channel: str, oldest: str, latest: str | None
    ) -> Callable[[], SlackResponse]:
        return lambda: self.client.conversations_history(
            channel=channel, oldest=oldest, latest=latest, include_all_metadata=True, limit=200
        )

    def _replies(self, channel: str, ts: str, oldest: str) -> Callable[[], SlackResponse]:
        return lambda: self.client.conversations_replies(
            channel=channel, ts=ts, oldest=oldest, include_all_metadata=True, limit=200
        )

    def update(self, channel: str, ts: str, text: str, blocks: BlocksArg | None = None) -> None:
        self._call("chat.update", channel=channel, ts=ts, text=text, blocks=_as_dicts(blocks))

    def post_ephemeral(self, channel: str, user: str, text: str) -> None:
        self._call("chat.postEphemeral", channel=channel, user=user, text=text)

    def open_view(self, trigger_id: str, view: View) -> dict[str, Any]:
        return self._call("views.open", trigger_id=trigger_id, view=view.to_dict())["view"]

    def push_view(self, trigger_id: str, view: View) -> dict[str, Any]:
        return self._call("views.push", trigger_id=trigger_id, view=view.to_dict())["view"]

    def update_view(self, view_id: str, view: View) -> None:
        self._call("views.update", view_id=view_id, view=view.to_dict())

    def publish_home(self, user_id: str, view: View) -> None:
        self._call("views.publish", user_id=user_id, view=view.to_dict())

    def upload_file(
        self, user_id: str, filename: str, data: bytes, title: str, comment: str
    ) -> str:
        """Share a file in the bot's DM with `user_id` (files_upload_v2: files:write); its id."""
        channel = self.open_conversation([user_id])
        upload = partial(
            self.client.files_upload_v2,
            channel=channel,
            filename=filename,
            content=data,
            title=title,
            initial_comment=comment,
        )
        try:
            data_out = self._guard("files.completeUploadExternal", upload)
        except SlackRequestError as exc:  # the bytes were refused at the upload URL
            raise SlackFailure("files.upload", f"upload_failed: {exc}") from exc
        return str((data_out.get("files") or [{}])[0].get("id") or "")

    def upload_to_thread(
        self, channel: str, thread_ts: str | None, filename: str, data: bytes, comment: str
    ) -> str:
        """files_upload_v2 (files:write): the file shared in `channel` (in the thread
        `thread_ts`) with `comment` as its message; its file id."""
        try:
            data_out = self._guard(
                "files.completeUploadExternal",
                lambda: self.client.files_upload_v2(
                    channel=channel,
                    thread_ts=thread_ts,
                    file=data,
                    filename=filename,
                    title=filename,
                    initial_comment=comment,
                ),
            )
        except SlackRequestError as exc:  # the bytes' POST to the upload URL failed
            log.warning("slack file upload failed: %s", exc)
            raise SlackFailure("files.upload", "upload_failed") from exc
        return str((data_out.get("file") or data_out["files"][0])["id"])

    def conversation_info(self, channel: str) -> dict[str, Any]:
        """conversations.info: whether a channel is private, for one that must be (groups:read)."""
        data = self._guard(
            "conversations.info", lambda: self.client.conversations_info(channel=channel)
        )
        return dict(data["channel"])

    def conversation_members(self, channel: str, pages: int = 50) -> list[str]:
        """Every member of a channel, page by page (conversations.members, 200 a page)."""
        members: list[str] = []
        cursor: str | None = None
        for _ in range(pages):
            page = partial(self.client.conversations_members, channel=channel, limit=200)
            data = self._guard("conversations.members", partial(page, cursor=cursor))
            members += [str(m) for m in data.get("members") or []]
            cursor = (data.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                break
        return members
