"""Rate limits the fake Slack enforces when asked: token buckets per method, per channel or
for the whole workspace, answered like Slack does (HTTP 429 with Retry-After in seconds)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass(frozen=True)
class Limit:
    """`per_second` calls a second on average, up to `burst` at once; per channel (the
    `channel` argument) or, when `per_channel` is false, for the workspace."""

    per_second: float
    burst: int = 1
    per_channel: bool = True


@dataclass
class RateLimits:
    clock: Callable[[], float] = time.monotonic
    limits: dict[str, Limit] = field(default_factory=dict)
    _buckets: dict[tuple[str, str], _Bucket] = field(default_factory=dict)

    def set(self, method: str, limit: Limit | None) -> None:
        if limit is None:
            self.limits.pop(method, None)
        else:
            if limit.per_second <= 0 or limit.burst < 1:
                raise ValueError("per_second must be > 0 and burst >= 1")
            self.limits[method] = limit
        self._buckets = {k: b for k, b in self._buckets.items() if k[0] != method}

    def retry_after(self, method: str, args: dict[str, Any]) -> int | None:
        """None when the call may go ahead (and takes its token), else the seconds to wait."""
        limit = self.limits.get(method)
        if limit is None:
            return None
        key = (method, str(args.get("channel") or "") if limit.per_channel else "")
        now = self.clock()
        bucket = self._buckets.setdefault(key, _Bucket(float(limit.burst), now))
        bucket.tokens = min(limit.burst, bucket.tokens + (now - bucket.at) * limit.per_second)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return max(1, math.ceil((1 - bucket.tokens) / limit.per_second))
