"""PostgreSQL unreachable for a while (a TCP proxy in front of it, cut and restored) under a
running `pdpbot serve`: people get a friendly "try again" and nothing half-written, /healthz
answers 503, the tick backs off and resumes, and nothing owed is lost or posted twice."""

from __future__ import annotations

import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench.chaos import world
from bench.chaos.ledger import Ledger, account
from bench.chaos.processes import Serve, SimulatedClock, environment, step_through
from bench.databases import fresh_database
from bot.fakeslack import FakeSlack, SlackClientSim, input_values
from storage.db import make_engine
from storage.models import ReviewEntry
from storage.unit_of_work import UnitOfWork
from tests.reliability.tcp_proxy import TcpProxy

TRY_AGAIN = "try again in a minute"


@dataclass(frozen=True)
class Config:
    engineers: int
    weeks: int
    outage: float  # real seconds the database is unreachable


FULL = Config(engineers=40, weeks=6, outage=60)
QUICK = Config(engineers=8, weeks=5, outage=4)


@dataclass
class Result:
    ledger: Ledger
    outage: float
    during: dict[str, Any] = field(default_factory=dict)  # what people and /healthz saw
    seconds: float = 0.0


def _healthz(url: str) -> int:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=10) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def run(config: Config) -> Result:
    began = time.perf_counter()
    end = world.START + timedelta(weeks=config.weeks)
    cut_at = world.START + timedelta(weeks=2, days=1, hours=8)
    with (
        FakeSlack(team_id=world.TEAM) as fake,
        fresh_database("postgresql", "outage") as url,
        tempfile.TemporaryDirectory(prefix="pdpbot-chaos-") as folder,
    ):
        target = make_url(url)
        proxy = TcpProxy((target.host or "127.0.0.1", target.port or 5432)).start()
        proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
        clock = SimulatedClock(Path(folder), world.START, fake)
        world.people(fake, config.engineers)
        engine = make_engine(url)  # the test's own view, not through the proxy
        settings = world.settings(fake.api_url, url)
        pairs = world.plans(lambda: UnitOfWork.for_engine(engine), settings, config.engineers)
        log = Path(folder) / "serve.log"
        env = environment(fake, proxied, clock, LOG_LEVEL="WARNING")
        serve = Serve(env, log).start()
        slack = SlackClientSim(serve.url + "/slack/events", world.SECRET, world.TEAM, fake)
        during: dict[str, Any] = {}
        try:
            step_through(engine, clock, cut_at)
            pair = pairs[0]
            slack.command("/pdp-review", f"<@{pair.engineer}|x>", user=pair.manager)
            view = fake.last_view(pair.manager)
            assert view is not None and view["callback_id"] == "pdp_review"
            values = input_values(view, {"done": "Led the incident review"})

            proxy.cut()
            cut = time.monotonic()
            clock.set(cut_at + timedelta(hours=26))  # due work piles up meanwhile
            during["healthz"] = _healthz(serve.url)
            pdp = slack.command("/pdp", "", user=pair.engineer)
            home = slack.event({"type": "app_home_opened", "user": pair.engineer, "tab": "home"})
            saved = slack.view_submission(pair.manager, view, values)
            during["pdp"] = (pdp.status, TRY_AGAIN in pdp.text)
            during["home"] = home.status
            during["review"] = (saved.status, TRY_AGAIN in saved.text)
            time.sleep(max(0.0, config.outage - (time.monotonic() - cut)))
            during["healthz_late"] = _healthz(serve.url)
            with UnitOfWork.for_engine(engine) as uow:
                during["reviews_written"] = uow.session.scalar(
                    select(func.count()).select_from(ReviewEntry)
                )
            proxy.restore()

            again = slack.view_submission(pair.manager, view, values)
            during["review_again"] = again.status
            during["healthz_after"] = _healthz(serve.url)
            step_through(engine, clock, end, patience=15)
        finally:
            serve.stop()
            proxy.stop()
        text = log.read_text(encoding="utf-8", errors="replace")
        during["tick_backed_off"] = text.count("the database is unavailable")
        during["tick_resumed"] = "the database is back" in text
        with UnitOfWork.for_engine(engine) as uow:
            during["reviews_after"] = uow.session.scalar(
                select(func.count()).select_from(ReviewEntry)
            )
        ledger = account(engine, fake, end, world.PINGS)
        engine.dispose()
    return Result(ledger, config.outage, during, time.perf_counter() - began)


def held(result: Result) -> bool:
    """Everything the outage must keep true, beyond the ledger."""
    d = result.during
    return bool(
        d["healthz"] == d["healthz_late"] == 503
        and d["healthz_after"] == 200
        and d["pdp"] == d["review"] == (200, True)
        and d["home"] == 200
        and d["reviews_written"] == 0
        and d["review_again"] == 200
        and d["reviews_after"] == 1
        and d["tick_backed_off"] == 1
        and d["tick_resumed"]
    )
