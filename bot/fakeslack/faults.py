"""Faults the fake Slack injects for the reliability tests, beyond an error answered instead of
the call: the call runs (a message is stored) and then its answer is lost, the way a 5xx, a
timeout or a dropped connection leaves a client not knowing what happened.

`Chaos` draws, with a fixed seed, which calls fail and how: a 429 with Retry-After (the call did
not run), or, after the call ran, a 500, an answer held past the client's timeout, or a
connection closed without an answer."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

RATELIMITED = "ratelimited"
SERVER_ERROR = "server_error"
TIMEOUT = "timeout"
DROPPED = "dropped"
KINDS = (RATELIMITED, SERVER_ERROR, TIMEOUT, DROPPED)
# What happens after the method ran: its answer is lost this way.
LOST_ANSWERS = (SERVER_ERROR, TIMEOUT, DROPPED)
# Calls the app makes at start-up or for the fake's own bookkeeping: never failed by Chaos.
SPARED = frozenset({"auth.test", "apps.connections.open"})


@dataclass(frozen=True)
class LostAnswer:
    """The call ran; its answer is replaced by a 500, held `hang` seconds, or never sent."""

    how: str
    hang: float = 1.0

    def __post_init__(self) -> None:
        if self.how not in LOST_ANSWERS:
            raise ValueError(f"how must be one of {', '.join(LOST_ANSWERS)}")


class Chaos:
    """Fail `rate` of the calls (to `methods`, default: all but SPARED), drawn from a seeded
    random sequence: one of `kinds`, each equally likely. `injected` counts what was done."""

    def __init__(
        self,
        rate: float,
        seed: int,
        *,
        methods: Iterable[str] | None = None,
        kinds: Iterable[str] = KINDS,
        retry_after: int = 1,
        hang: float = 1.0,
    ) -> None:
        if not 0 <= rate <= 1:
            raise ValueError("rate is a fraction between 0 and 1")
        self.rate = rate
        self.kinds = tuple(kinds)
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds: {', '.join(sorted(unknown))}")
        self.methods = frozenset(methods) if methods is not None else None
        self.retry_after = retry_after
        self.hang = hang
        self.injected: Counter[str] = Counter()
        self.by_method: Counter[tuple[str, str]] = Counter()
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def draw(self, method: str) -> str | None:
        """The fault for this call, or None when it is answered normally."""
        if method in SPARED or (self.methods is not None and method not in self.methods):
            return None
        with self._lock:
            if self._random.random() >= self.rate:
                return None
            kind = self._random.choice(self.kinds)
            self.injected[kind] += 1
            self.by_method[(method, kind)] += 1
            return kind
