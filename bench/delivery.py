"""Delivering due prompts: how long 1,000 take, and whether one busy channel stalls the rest
(240 prompts, every 8th to one shared channel) while the fake Slack enforces Slack's limit
of about one message a second per channel."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from bench.databases import analyze, fresh_database
from bench.report import Table, goal, median
from bench.seed import Seeder, group_dm, make_due, settings_for
from bench.tick import NOW
from bot.fakeslack import Call, FakeSlack
from bot.runtime import Runtime, build_runtime
from storage.db import make_engine

SHARED = "GSHARED"
EVERY = 8  # in the mixed case every 8th prompt goes to the shared channel
PER_CHANNEL = 1.0  # messages a second per channel, as Slack documents for chat.postMessage
BURST = 1


@dataclass(frozen=True)
class Config:
    many: int  # the "1,000 due prompts" case
    mixed: int  # the shared-channel case
    patience: float  # seconds to wait for everything to be posted


FULL = Config(many=1_000, mixed=240, patience=90)
QUICK = Config(many=24, mixed=24, patience=30)


@dataclass
class Outcome:
    posted: dict[str, float]  # channel -> seconds from the start to its last successful post
    times: list[tuple[str, float]]  # (channel, seconds) of every successful post
    rate_limited: int
    elapsed: float
    expected: int


class Posts:
    """Times every chat.postMessage reaching the fake Slack, from `start`."""

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.seen: list[tuple[float, Call]] = []
        self._lock = threading.Lock()
        self.start = time.perf_counter()
        fake.on_call = self._on_call

    def _on_call(self, call: Call) -> None:
        if call.method == "chat.postMessage":
            with self._lock:
                self.seen.append((time.perf_counter() - self.start, call))

    def outcome(self, elapsed: float, expected: int, limited_before: int) -> Outcome:
        self.fake.on_call = None
        limited = self.fake.rate_limited[limited_before:]
        refused = {id(c) for c in limited}
        times = [(str(c.args.get("channel")), t) for t, c in self.seen if id(c) not in refused]
        last: dict[str, float] = {}
        for channel, at in times:
            last[channel] = at
        return Outcome(last, times, len(limited), elapsed, expected)


def deliver(runtime: Runtime, fake: FakeSlack, expected: int, patience: float) -> Outcome:
    """Tick (as the scheduler would, the clock moving on) until `expected` prompts are posted."""
    limited_before = len(fake.rate_limited)
    posts = Posts(fake)
    while True:
        elapsed = time.perf_counter() - posts.start
        runtime.tick(NOW + timedelta(seconds=elapsed))
        done = len(posts.seen) - (len(fake.rate_limited) - limited_before) >= expected
        if done or elapsed > patience:
            break
        time.sleep(0.05)
    return posts.outcome(time.perf_counter() - posts.start, expected, limited_before)


def run(backend: str, config: Config, fake: FakeSlack) -> list[Table]:
    with fresh_database(backend, "delivery") as url:
        engine = make_engine(url)
        runtime = build_runtime(settings_for(url, fake.api_url), engine=engine)
        seeder = Seeder(engine, runtime.settings, NOW)
        many = seeder.add(config.many, due=config.many)
        mixed = seeder.add(
            config.mixed,
            due=config.mixed,
            channel=lambda n: SHARED if n % EVERY == 0 else group_dm(n),
        )
        analyze(engine)
        outcomes: dict[str, Outcome] = {}
        try:
            for name, ids, limited in (
                ("no rate limits", many, False),
                ("per-channel limits", many, True),
                ("mixed, per-channel limits", mixed, True),
            ):
                for other in (many, mixed):
                    make_due(engine, other, 0)
                make_due(engine, ids, len(ids))
                if limited:
                    fake.limit_rate("chat.postMessage", PER_CHANNEL, BURST)
                try:
                    outcomes[name] = deliver(runtime, fake, len(ids), config.patience)
                finally:
                    fake.unlimit_rate("chat.postMessage")
        finally:
            engine.dispose()
    return tables(backend, config, outcomes)


def tables(backend: str, config: Config, outcomes: dict[str, Outcome]) -> list[Table]:
    table = Table(
        f"Delivering due prompts ({backend}; fake Slack limits: {PER_CHANNEL:g} message/s per"
        " channel where named)",
        ["case", "prompts", "posted", "all posted in s", "DM prompts p50 s", "DM prompts max s",
         "shared channel done s", "429s received", "goal"],
    )  # fmt: skip
    for name, o in outcomes.items():
        dms = [t for channel, t in o.times if channel != SHARED]
        posted = len(o.times)
        shared = f"{o.posted[SHARED]:.1f}" if SHARED in o.posted else "-"
        everything = f"{o.elapsed:.1f}" if posted >= o.expected else f"> {o.elapsed:.0f}"
        if name == "no rate limits":
            met = posted >= o.expected and o.elapsed < 5 * o.expected / 1000
            target = f"{o.expected} in < {5 * o.expected / 1000:g} s"
        elif SHARED in o.posted:
            met = bool(dms) and max(dms) <= 2
            target = "DM prompts within 2 s"
        else:
            met, target = None, ""
        table.add(name, o.expected, posted, everything, f"{median(dms):.2f}" if dms else "-",
                  f"{max(dms):.2f}" if dms else "-", shared, o.rate_limited,
                  f"{target}: {goal(met)}" if target else "-")  # fmt: skip
    table.note(
        f"mixed: every {EVERY}th prompt goes to one shared channel, the others to their own"
        f" group DMs; times are from the first tick; prompts not posted within"
        f" {config.patience:g} s are counted as not posted"
    )
    return [table]
