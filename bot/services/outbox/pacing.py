"""Pacing the outbox's Slack calls, for the whole process (the tick and the sender share one).

- **Per channel**: Slack takes about one message a second per channel (chat.postMessage).
  Each post reserves its channel's next free second; a 429 blocks that channel for its
  Retry-After. Rows to other channels go on meanwhile: one busy channel stalls nobody else.
- **Per method, workspace-wide**: the other calls the sender makes (users.info,
  conversations.open, conversations.history, ...) belong to Slack's rate tiers (Tier 2: 20,
  Tier 3: 50, Tier 4: 100 a minute). Each method has a token bucket holding a minute's worth,
  and a 429 blocks that method for its Retry-After.

Nothing here sleeps on behalf of a request: only the sender's worker threads wait, and only
for a short while (`MAX_WAIT`); a longer wait gives the row back to the queue until then.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from bot.slack.gateway import SlackFailure

PER_CHANNEL = 1.0  # seconds between two posts to one channel
MAX_WAIT = 2.0  # a worker waits this long at most for a method's turn; longer: the row waits
# Slack's documented tiers, calls a minute; a method not named here is not paced (only 429s).
TIER_RATE = {2: 20, 3: 50, 4: 100}
TIERS = {
    "users.info": 4,
    "conversations.open": 3,
    "conversations.history": 3,
    "conversations.replies": 3,
    "conversations.info": 3,
    "conversations.members": 4,
    "chat.update": 3,
    "chat.postEphemeral": 4,
}
POST = "chat.postMessage"


def _wall() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class _Bucket:
    tokens: float
    rate: float  # tokens a second
    capacity: float
    at: float

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now


class Pacer:
    """Thread-safe; times are seconds of `clock` (monotonic). With `app_clock` (the app's
    clock: a simulated one in the demo and tests), a jump of that clock moves the pacer's
    time on too, so a Retry-After runs out when the app's time says it has."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        app_clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._mono = clock
        self._app_clock = app_clock
        self._started = (clock(), (app_clock or _wall)().timestamp())
        self._skew = 0.0
        self._lock = threading.Lock()
        self._next_post: dict[str, float] = {}  # channel -> its next free turn
        self._last_done: dict[str, float] = {}  # channel -> when its last post was answered
        self._blocked: dict[str, float] = {}  # channel or method -> until (after a 429)
        self._buckets: dict[str, _Bucket] = {}

    def _clock(self, app_time: datetime | None = None) -> float:
        mono = self._mono()
        if app_time is None and self._app_clock is not None:
            app_time = self._app_clock()
        if app_time is not None:
            ahead = (app_time.timestamp() - self._started[1]) - (mono - self._started[0])
            self._skew = max(self._skew, ahead)  # only ever forward
        return mono + self._skew

    def observe(self, app_time: datetime) -> None:
        """The app's time is `app_time` (a tick's `now`): the pacer's time is not behind it."""
        with self._lock:
            self._clock(app_time)

    def now(self) -> float:
        with self._lock:
            return self._clock()

    def reserve_post(self, channel: str) -> float:
        """Reserve the channel's next free turn for one post; when it is (clock seconds)."""
        with self._lock:
            now = self._clock()
            at = max(now, self._next_post.get(channel, 0.0), self._blocked.get(channel, 0.0))
            self._next_post[channel] = at + PER_CHANNEL
            return at

    def post_blocked_until(self, channel: str) -> float:
        with self._lock:
            return self._blocked.get(channel, 0.0)

    def ready_at(self, channel: str) -> float:
        """The earliest a post to `channel` may start: a second after the last one there was
        answered (so Slack sees them a second apart, whatever the network did), and not
        before a 429's Retry-After has passed."""
        with self._lock:
            last = self._last_done.get(channel)
            after_last = last + PER_CHANNEL if last is not None else 0.0
            return max(self._blocked.get(channel, 0.0), after_last)

    def done_post(self, channel: str) -> None:
        """A post to `channel` was answered (posted or refused)."""
        with self._lock:
            self._last_done[channel] = self._clock()

    def rate_limited(self, method: str, channel: str | None, retry_after: float) -> None:
        """Slack answered 429: a post blocks its channel, any other call its method."""
        key = channel if method == POST and channel else method
        with self._lock:
            until = self._clock() + retry_after
            self._blocked[key] = max(self._blocked.get(key, 0.0), until)
            if key == channel:
                self._next_post[key] = max(self._next_post.get(key, 0.0), until)

    def take(self, method: str) -> float:
        """Take a turn for a call of `method`: 0 when it may go now, else the seconds to wait
        (nothing taken)."""
        with self._lock:
            now = self._clock()
            blocked = self._blocked.get(method, 0.0) - now
            if blocked > 0:
                return blocked
            tier = TIERS.get(method)
            if tier is None:
                return 0.0
            rate = TIER_RATE[tier]
            bucket = self._buckets.get(method)
            if bucket is None:
                bucket = self._buckets[method] = _Bucket(rate, rate / 60, rate, now)
            bucket.refill(now)
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / bucket.rate

    def before_call(self, method: str) -> None:
        """The sender's gateway asks before each call other than a post: waits a moment for
        the method's turn, or refuses as Slack would (SlackFailure with retry_after)."""
        if method == POST:
            return
        waited = 0.0
        while (wait := self.take(method)) > 0:
            if waited + wait > MAX_WAIT:
                raise SlackFailure(method, "ratelimited", retry_after=wait)
            time.sleep(wait)
            waited += wait
