"""A quarter of cadence for a company while the fake Slack fails a fifth of all calls: a 429
with Retry-After (Slack did nothing), or, after Slack acted, a 500, an answer that never comes
before the client's timeout, or a connection closed without an answer. Seeded, so a run can be
repeated. Every due prompt and every message to another person must be posted exactly once.

The tick runs every half hour of simulated time; in week 6 every manager holds a monthly review
with each report through `/pdp-review` (its summary goes to the pair through the outbox),
retrying when Slack's failure stops the modal from opening, as a person would. slack_sdk's
sleeps on Retry-After and between retries happen in simulated time (shortened a hundredfold),
so a quarter takes minutes, not days."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.http_retry import builtin_handlers, handler

from bench.chaos import world
from bench.chaos.ledger import Ledger, account
from bench.databases import fresh_database
from bot.fakeslack import FakeSlack, SlackClientSim, input_values
from bot.fakeslack.faults import Chaos
from bot.httpserver import LocalServer
from bot.runtime import build_runtime
from bot.slack import gateway
from storage.db import make_engine


@dataclass(frozen=True)
class Config:
    engineers: int
    weeks: int  # simulated from the quarter's first Monday, then two days to finish retries
    rate: float = 0.2
    seed: int = 9
    step: timedelta = timedelta(minutes=30)


FULL = Config(engineers=200, weeks=13)
QUICK = Config(engineers=16, weeks=6)
REVIEW_WEEK = 5  # weeks after the start: week 6 holds the monthly reviews


@dataclass
class Result:
    ledger: Ledger
    faults: dict[str, int]
    calls: int
    reviews: int
    review_attempts: int
    seconds: float


class SimulatedSleep:
    """slack_sdk's sleeps (Retry-After, back-off), a hundredfold shorter; the total requested."""

    def __init__(self) -> None:
        self.requested = 0.0

    def sleep(self, seconds: float) -> None:
        self.requested += seconds
        time.sleep(seconds / 100)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


@contextmanager
def simulated_waits(client_timeout: float = 0.25) -> Iterator[SimulatedSleep]:
    shim = SimulatedSleep()
    saved = (builtin_handlers.time, handler.time, gateway.SLACK_TIMEOUT)
    builtin_handlers.time = shim  # type: ignore[assignment]
    handler.time = shim  # type: ignore[assignment]
    gateway.SLACK_TIMEOUT = client_timeout
    try:
        yield shim
    finally:
        builtin_handlers.time, handler.time, gateway.SLACK_TIMEOUT = saved


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def run(config: Config, backend: str = "sqlite") -> Result:
    began = time.perf_counter()
    with (
        simulated_waits(),
        FakeSlack(team_id=world.TEAM) as fake,
        fresh_database(backend, "slackfaults") as url,
    ):
        clock = Clock(world.START)
        fake.clock = lambda: clock.now.timestamp()
        world.people(fake, config.engineers)
        engine = make_engine(url)
        runtime = build_runtime(world.settings(fake.api_url, url), clock=clock, engine=engine)
        pairs = world.plans(runtime.uow, runtime.settings, config.engineers)
        fake.chaos = Chaos(config.rate, config.seed, hang=2 * gateway.SLACK_TIMEOUT)
        reviews = attempts = http_500 = 0
        end = world.START + timedelta(weeks=config.weeks)
        review_at = world.START + timedelta(weeks=REVIEW_WEEK, days=1, hours=8)
        with LocalServer(runtime.wsgi()) as server:
            slack = SlackClientSim(
                server.url + "/slack/events",
                world.SECRET,
                world.TEAM,
                fake,
                settle=runtime.app.wait_for_background,
            )
            while clock.now < end + timedelta(days=2):
                clock.now += config.step
                if review_at <= clock.now < review_at + config.step:
                    for pair in pairs:
                        tries, failures = _review(slack, fake, pair)
                        reviews, attempts, http_500 = (
                            reviews + 1,
                            attempts + tries,
                            http_500 + failures,
                        )
                runtime.tick(clock.now)
            runtime.app.wait_for_background()
        ledger = account(engine, fake, end + timedelta(days=2), world.PINGS)
        ledger.http_500 = http_500
        faults = dict(fake.chaos.injected)
        calls = len(fake.calls)
        fake.chaos = None
        engine.dispose()
    return Result(ledger, faults, calls, reviews, attempts, time.perf_counter() - began)


def _review(slack: SlackClientSim, fake: FakeSlack, pair: world.Pair) -> tuple[int, int]:
    """The manager reviews the pair's plan, trying again while Slack fails: (requests, 500s)."""
    requests = failures = 0
    for _ in range(20):
        before = fake.last_view(pair.manager)
        answer = slack.command("/pdp-review", f"<@{pair.engineer}|x>", user=pair.manager)
        requests += 1
        failures += answer.status >= 500
        view = fake.last_view(pair.manager)
        if view is None or view == before or view.get("callback_id") != "pdp_review":
            continue
        values = input_values(view, {"done": world.HOSTILE})
        for _ in range(5):
            saved = slack.view_submission(pair.manager, view, values)
            requests += 1
            failures += saved.status >= 500
            if saved.status == 200:
                return requests, failures
        return requests, failures
    raise AssertionError(f"{pair.manager} could not open the review modal in 20 tries")
