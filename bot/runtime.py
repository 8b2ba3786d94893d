"""Wiring shared by every entry point: engine, Slack client, app, outbox sender, tick."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.app import WsgiApp, create_app, create_wsgi
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.services.cycles import CycleStarter
from bot.services.due_work import TickReport, run_tick
from bot.services.health_chart import ChartPoster
from bot.services.hr_post import DigestPoster
from bot.services.outbox.sender import Sender
from bot.services.retention import Retention
from bot.slack.gateway import SlackGateway, make_client
from bot.slack.middleware import PdpApp
from storage.db import database_unavailable, make_engine, make_session_factory
from storage.unit_of_work import UnitOfWork

log = logging.getLogger("pdpbot")


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    app: PdpApp
    gateway: SlackGateway
    clock: Clock = system_clock
    sender: Sender | None = None
    session_factory: sessionmaker[Session] = field(init=False)
    retention: Retention = field(init=False)
    digests: DigestPoster = field(init=False)
    cycles: CycleStarter = field(init=False)
    charts: ChartPoster = field(init=False)

    def __post_init__(self) -> None:
        self.session_factory = make_session_factory(self.engine)
        self.retention = Retention(self.uow, self.settings)
        self.digests = DigestPoster(self.uow, self.gateway, self.settings)
        self.cycles = CycleStarter(self.uow, self.settings)
        self.charts = ChartPoster(self.uow, self.gateway, self.settings)

    def uow(self) -> UnitOfWork:
        wake = self.sender.wake if self.sender is not None else None
        return UnitOfWork(self.session_factory, wake)

    def wsgi(self) -> WsgiApp:
        return create_wsgi(self.app, self.engine)

    def tick(self, now: datetime | None = None) -> TickReport:
        at = now or self.clock()
        try:
            self.digests.post_if_due(at)
        except Exception as error:  # the cadence goes on; the next tick tries the digest again
            if database_unavailable(error):
                raise
            log.exception("composing the HR digest failed")
        try:
            self.cycles.start_if_due(at)
        except Exception:  # the cadence goes on; the next tick tries the cycle again
            log.exception("starting the quarter's cycle failed")
        dispatcher = self.sender.dispatcher if self.sender is not None else None
        report = run_tick(self.uow, self.gateway, at, self.settings, dispatcher=dispatcher)
        try:
            self.charts.post_pending(at)
        except Exception:  # the chart is extra; the next tick tries again
            log.exception("uploading the cadence health chart failed")
        self.retention.apply(at)
        return report

    def tick_callback(self) -> Callable[[], TickReport | None]:
        """The scheduler's tick: while the database is unavailable it backs off (the next
        tries wait 1, 2, 4, then 8 ticks) and says so once, not once a minute."""
        backoff = Backoff()

        def tick() -> TickReport | None:
            if backoff.waiting():
                return None
            try:
                report = self.tick()
            except Exception as error:
                if not database_unavailable(error):
                    raise
                if backoff.failed() == 1:
                    log.warning(
                        "the database is unavailable, so due work waits: %s",
                        error.args[0] if error.args else error,
                    )
                return None
            if backoff.failures:
                log.warning("the database is back after %d failed tick(s)", backoff.failures)
            backoff.reset()
            return report

        return tick


class Backoff:
    """Ticks to skip after consecutive failures: 0, 1, 3, then 7 (waits of 1, 2, 4, 8 ticks)."""

    def __init__(self) -> None:
        self.failures = 0
        self._skip = 0

    def waiting(self) -> bool:
        if self._skip > 0:
            self._skip -= 1
            return True
        return False

    def failed(self) -> int:
        self.failures += 1
        self._skip = min(2 ** (self.failures - 1), 8) - 1
        return self.failures

    def reset(self) -> None:
        self.failures = self._skip = 0


def build_runtime(
    settings: Settings, clock: Clock = system_clock, engine: Engine | None = None
) -> Runtime:
    engine = engine or make_engine(settings.database_url)
    client = make_client(settings.slack_bot_token, settings.api_url)
    gateway = SlackGateway(client)
    session_factory = make_session_factory(engine)
    # What the sender's own transactions enqueue (a kind's after_sent) wakes it too.
    sender = Sender(lambda: UnitOfWork(session_factory, wake), gateway, settings, clock)

    def wake(ids: list[int]) -> None:
        sender.wake(ids)

    app = create_app(settings, client, engine, clock, sender)
    return Runtime(settings, engine, app, gateway, clock, sender)
