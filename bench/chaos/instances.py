"""Several `pdpbot serve` processes on one database.

- PostgreSQL: three instances tick through a simulated month against one database (claims
  with FOR UPDATE SKIP LOCKED): nothing posted twice, nothing lost.
- SQLite: two instances on one file tick while people use `/pdp` and App Home all along
  (one writer at a time): every request is answered, and no person ever reads "database is
  locked" or is told to try again."""

from __future__ import annotations

import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from bench.chaos import world
from bench.chaos.ledger import Ledger, account
from bench.chaos.processes import Serve, SimulatedClock, environment, step_through
from bench.databases import fresh_database
from bot.fakeslack import FakeSlack, SlackClientSim
from storage.db import make_engine
from storage.unit_of_work import UnitOfWork

TRY_AGAIN = "try again in a minute"


@dataclass(frozen=True)
class Config:
    engineers: int
    weeks: int
    instances: int


FULL = Config(engineers=60, weeks=5, instances=3)
QUICK = Config(engineers=12, weeks=3, instances=3)


@dataclass
class Result:
    backend: str
    ledger: Ledger
    instances: int
    steps: int
    requests: int = 0
    refused: list[str] = field(default_factory=list)  # answers that were not a normal answer
    seconds: float = 0.0


def run(config: Config, backend: str) -> Result:
    began = time.perf_counter()
    end = world.START + timedelta(weeks=config.weeks)
    instances = config.instances if backend == "postgresql" else 2
    with (
        FakeSlack(team_id=world.TEAM) as fake,
        fresh_database(backend, "instances") as url,
        tempfile.TemporaryDirectory(prefix="pdpbot-chaos-") as folder,
    ):
        clock = SimulatedClock(Path(folder), world.START, fake)
        world.people(fake, config.engineers)
        engine = make_engine(url)
        settings = world.settings(fake.api_url, url)
        pairs = world.plans(lambda: UnitOfWork.for_engine(engine), settings, config.engineers)
        env = environment(fake, url, clock)
        serves = [Serve(env, Path(folder) / f"serve{n}.log").start() for n in range(instances)]
        people = _People(serves, fake, [p.engineer for p in pairs])
        if backend == "sqlite":
            people.start()
        try:
            steps = step_through(engine, clock, end, every=timedelta(hours=6))
        finally:
            people.stop()
            for serve in serves:
                serve.stop()
        ledger = account(engine, fake, end, world.PINGS)
        ledger.http_500 = people.errors
        engine.dispose()
    return Result(
        backend,
        ledger,
        instances,
        steps,
        people.requests,
        people.refused,
        time.perf_counter() - began,
    )


class _People:
    """Engineers opening `/pdp` and App Home, one after another, on every instance in turn."""

    def __init__(self, serves: list[Serve], fake: FakeSlack, engineers: list[str]) -> None:
        self.sims = [
            SlackClientSim(s.url + "/slack/events", world.SECRET, world.TEAM, fake) for s in serves
        ]
        self.engineers = engineers
        self.requests = self.errors = 0
        self.refused: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=60)

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            sim = self.sims[n % len(self.sims)]
            user = self.engineers[n % len(self.engineers)]
            if n % 2:
                answer = sim.command("/pdp", "", user=user)
            else:
                answer = sim.event({"type": "app_home_opened", "user": user, "tab": "home"})
            self.requests += 1
            if answer.status >= 500:
                self.errors += 1
            text = answer.text.lower()
            if answer.status != 200 or "locked" in text or TRY_AGAIN in text:
                self.refused.append(f"{answer.status}: {answer.text[:120]}")
            n += 1
