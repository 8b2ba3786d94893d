"""The HR channel as Slack reports it, for the digest and HR's App Home: `conversations.info`
first (a channel that is not private gets no names), then `conversations.members` (who HR
is), cached briefly per Slack client so a burst of button presses asks Slack once.

Issue 12 (pip) brings the same reading as `bot/services/hr.py` for requests; this module is
the one the tick uses (no request context) and both read the same Slack answers."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from weakref import WeakKeyDictionary

from bot.config import Settings
from bot.slack.gateway import SlackFailure, SlackGateway

log = logging.getLogger(__name__)
TTL = timedelta(minutes=5)
State = Literal["private", "not_configured", "not_private", "unreachable"]


@dataclass(frozen=True)
class HrChannel:
    channel_id: str | None
    state: State
    members: frozenset[str] = frozenset()
    checked_at: datetime | None = None
    error: str = ""

    @property
    def usable(self) -> bool:
        return self.state == "private"


_cache: WeakKeyDictionary[object, dict[str, HrChannel]] = WeakKeyDictionary()
_lock = threading.Lock()


def look(gateway: SlackGateway, settings: Settings, now: datetime) -> HrChannel:
    """What Slack says about HR_CHANNEL_ID now (members too, when it is private)."""
    channel_id = settings.hr_channel_id
    if not channel_id:
        return HrChannel(None, "not_configured")
    with _lock:
        cached = _cache.get(gateway.client, {}).get(channel_id)
    if cached is not None and cached.checked_at and now - cached.checked_at < TTL:
        return cached
    found = _ask(gateway, channel_id, now)
    if found.state in ("private", "not_private"):
        with _lock:
            _cache.setdefault(gateway.client, {})[channel_id] = found
    return found


def _ask(gateway: SlackGateway, channel_id: str, now: datetime) -> HrChannel:
    try:
        info = gateway.conversation_info(channel_id)
        if not info.get("is_private") or info.get("is_im") or info.get("is_mpim"):
            return HrChannel(channel_id, "not_private", checked_at=now)
        if info.get("is_member") is False:
            return HrChannel(channel_id, "unreachable", error="not_in_channel")
        members = gateway.conversation_members(channel_id)
    except SlackFailure as failure:
        return HrChannel(channel_id, "unreachable", error=failure.error)
    return HrChannel(channel_id, "private", frozenset(members), now)


def forget(gateway: SlackGateway) -> None:
    with _lock:
        _cache.pop(gateway.client, None)


def is_member(gateway: SlackGateway, settings: Settings, now: datetime, user_id: str) -> bool:
    channel = look(gateway, settings, now)
    return channel.usable and user_id in channel.members
