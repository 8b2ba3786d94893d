"""Every Slack Web API call goes through here: retries for transient faults, one vocabulary."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

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
    """A Slack call failed after retries. `permanent` failures must not be retried."""

    def __init__(self, method: str, error: str) -> None:
        super().__init__(f"{method}: {error}")
        self.method = method
        self.error = error

    @property
    def permanent(self) -> bool:
        return self.error in PERMANENT_ERRORS


def make_client(token: str | None, base_url: str | None = None) -> WebClient:
    client = WebClient(token=token, base_url=base_url or WebClient.BASE_URL, timeout=10)
    client.retry_handlers.extend(
        [
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ]
    )
    if not any(isinstance(h, ConnectionErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(ConnectionErrorRetryHandler(max_retry_count=2))
    return client


BlocksArg = Sequence[Block | dict[str, Any]]


def _as_dicts(blocks: BlocksArg | None) -> list[dict[str, Any]] | None:
    if blocks is None:
        return None
    return [b.to_dict() if isinstance(b, Block) else b for b in blocks]


class SlackGateway:
    def __init__(self, client: WebClient) -> None:
        self.client = client

    def _call(self, method: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.client.api_call(method, json=kwargs)
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown_error"))
            log.warning("slack %s failed: %s", method, error)
            raise SlackFailure(method, error) from exc
        except OSError as exc:
            raise SlackFailure(method, f"connection_error: {exc}") from exc
        return dict(response.data) if isinstance(response.data, dict) else {}

    def user_info(self, user_id: str) -> dict[str, Any]:
        try:
            response = self.client.users_info(user=user_id)
        except SlackApiError as exc:
            raise SlackFailure("users.info", str(exc.response.get("error"))) from exc
        return dict(response["user"])

    def open_conversation(self, user_ids: Sequence[str]) -> str:
        data = self._call("conversations.open", users=",".join(user_ids))
        return str(data["channel"]["id"])

    def channel_info(self, channel: str) -> dict[str, Any]:
        try:
            response = self.client.conversations_info(channel=channel)
        except SlackApiError as exc:
            raise SlackFailure("conversations.info", str(exc.response.get("error"))) from exc
        return dict(response["channel"])

    def post(
        self, channel: str, text: str, blocks: BlocksArg | None = None, thread_ts: str | None = None
    ) -> str:
        extra = {"thread_ts": thread_ts} if thread_ts else {}
        data = self._call(
            "chat.postMessage", channel=channel, text=text, blocks=_as_dicts(blocks), **extra
        )
        return str(data["ts"])

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
