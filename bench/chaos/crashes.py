"""`pdpbot tick` and `pdpbot serve` SIGKILLed at random moments, several times, then started
again: nothing lost, nothing posted twice.

The moments are drawn (seeded) among the Slack calls the process makes: before it opens a
conversation, while it looks a message up, between Slack storing a post and the process
recording it; and, for `serve`, also at random instants between them (a transaction half done).
A process manager starts `serve` again at once; `tick` is run again by the next step."""

from __future__ import annotations

import random
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from bench.chaos import world
from bench.chaos.ledger import Ledger, account
from bench.chaos.processes import (
    Serve,
    SimulatedClock,
    environment,
    next_event,
    step_through,
    tick_process,
)
from bench.databases import fresh_database
from bot.fakeslack import Call, FakeSlack
from storage.db import make_engine
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Config:
    engineers: int
    weeks: int
    kills: int
    seed: int = 11


FULL = Config(engineers=40, weeks=13, kills=25)
QUICK = Config(engineers=10, weeks=5, kills=6)
# `pdpbot tick` starts a process per step (a second or two each): fewer steps in CI.
FULL_TICKS = Config(engineers=40, weeks=4, kills=15)
QUICK_TICKS = Config(engineers=16, weeks=1, kills=3)


@dataclass
class Result:
    verb: str
    backend: str
    ledger: Ledger
    kills: int
    steps: int
    seconds: float


class Killer:
    """Kills the process that makes the Slack call when the seeded draw says so."""

    def __init__(self, fake: FakeSlack, config: Config, calls_per_kill: int) -> None:
        self.random = random.Random(config.seed)
        self.left = config.kills
        self.chance = 1 / calls_per_kill
        self.target: Serve | None = None
        self.tick: subprocess.Popen[bytes] | None = None
        self.kills = 0
        self._lock = threading.Lock()
        fake.on_call = self._on_call

    def _on_call(self, call: Call) -> None:
        if call.method == "auth.test":
            return
        with self._lock:
            if self.left <= 0 or self.random.random() >= self.chance:
                return
            self.left -= 1
            self.kills += 1
        if self.target is not None:
            self.target.kill()
        elif self.tick is not None:
            self.tick.kill()

    def kill_now(self) -> bool:
        with self._lock:
            if self.left <= 0:
                return False
            self.left -= 1
            self.kills += 1
        return True


def run(config: Config, verb: str, backend: str = "sqlite") -> Result:
    began = time.perf_counter()
    end = world.START + timedelta(weeks=config.weeks)
    with (
        FakeSlack(team_id=world.TEAM) as fake,
        fresh_database(backend, f"crash{verb}") as url,
        tempfile.TemporaryDirectory(prefix="pdpbot-chaos-") as folder,
    ):
        clock = SimulatedClock(Path(folder), world.START, fake)
        world.people(fake, config.engineers)
        engine = make_engine(url)
        settings = world.settings(fake.api_url, url)
        world.plans(lambda: UnitOfWork.for_engine(engine), settings, config.engineers)
        env = environment(fake, url, clock)
        killer = Killer(fake, config, calls_per_kill=max(4, config.engineers // 2))
        log = Path(folder) / f"{verb}.log"
        if verb == "serve":
            steps = _serve(env, log, engine, clock, killer, end)
        else:
            steps = _ticks(env, log, engine, clock, killer, end)
        fake.on_call = None
        ledger = account(engine, fake, end, world.PINGS)
        engine.dispose()
    return Result(verb, backend, ledger, killer.kills, steps, time.perf_counter() - began)


def _serve(
    env: dict[str, str],
    log: Path,
    engine: Engine,
    clock: SimulatedClock,
    killer: Killer,
    end: datetime,
) -> int:
    serve = Serve(env, log).start()
    killer.target = serve
    serve.supervise()
    stop = threading.Event()

    def at_random_instants() -> None:  # kills between Slack calls too
        while not stop.wait(killer.random.uniform(0.5, 3.0)):
            if killer.kill_now():
                serve.kill()

    instants = threading.Thread(target=at_random_instants, daemon=True)
    instants.start()
    seen = [0]

    def killed() -> bool:
        died, seen[0] = killer.kills != seen[0], killer.kills
        return died

    try:
        return step_through(engine, clock, end, killed=killed)
    finally:
        stop.set()
        instants.join()
        serve.stop()


def _ticks(
    env: dict[str, str],
    log: Path,
    engine: Engine,
    clock: SimulatedClock,
    killer: Killer,
    end: datetime,
) -> int:
    steps = 0
    now = clock.now()
    while now < end:
        for _ in range(50):  # run the tick at this time until one finishes
            process = tick_process(env, log)
            killer.tick = process
            if process.wait() == 0:
                break
        killer.tick = None
        upcoming = next_event(engine, now)
        target = end if upcoming is None else min(upcoming, end)
        now = max(target, now + timedelta(seconds=1))
        clock.set(now)
        steps += 1
    process = tick_process(env, log)
    process.wait()
    return steps
