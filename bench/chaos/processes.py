"""`pdpbot serve` and `pdpbot tick` as real processes on a simulated clock (PDPBOT_CLOCK_FILE),
against the fake Slack in this process: started, SIGKILLed, started again.

The simulated time moves by events: to the next moment something is due (a prompt, or the
lease of a claim whose process died), once every instance has finished what was due before."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from bench.chaos import world
from bot.clock import CLOCK_FILE, file_clock
from bot.fakeslack import FakeSlack
from storage.models import Prompt
from storage.unit_of_work import UnitOfWork

ROOT = Path(__file__).resolve().parents[2]


class SimulatedClock:
    """The file every process reads the time from, and the fake Slack's clock too."""

    def __init__(self, folder: Path, start: datetime, fake: FakeSlack) -> None:
        self.path = folder / "clock"
        self.set(start)
        read = file_clock(self.path)
        self.now = read
        fake.clock = lambda: read().timestamp()

    def set(self, when: datetime) -> None:
        temporary = self.path.with_suffix(".new")
        temporary.write_text(when.isoformat(), encoding="utf-8")
        temporary.replace(self.path)  # readers never see half a time


def environment(
    fake: FakeSlack, database_url: str, clock: SimulatedClock, **extra: str
) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "HR_", "DATABASE_URL", "PORT", "TICK_SECONDS"))
    }
    return {
        **env,
        "SLACK_BOT_TOKEN": "xoxb-chaos",
        "SLACK_SIGNING_SECRET": world.SECRET,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": database_url,
        "HR_DIGEST": "off",
        "LOG_LEVEL": "ERROR",
        "TICK_SECONDS": "0.2",
        CLOCK_FILE: str(clock.path),
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Serve:
    """One `pdpbot serve` process, on its own port, that can be killed and started again."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.env = {**env, "PORT": str(self.port)}
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0
        self.restarts = 0
        self._supervising = False
        self._watcher: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Serve:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "serve"],
                env=self.env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        self.wait_ready()
        return self

    def wait_ready(self, patience: float = 60) -> None:
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"pdpbot serve exited; see {self.log}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # it answers (503: the database is away, which is a test's business)
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"pdpbot serve did not start; see {self.log}")

    def kill(self) -> None:
        """SIGKILL: nothing after this runs, nothing is flushed or recorded."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.kills += 1

    def supervise(self) -> None:
        """Start it again whenever it dies, as a process manager does, until `stop`."""
        self._supervising = True

        def watch() -> None:
            while self._supervising:
                if self.process is not None and self.process.poll() is not None:
                    self.restarts += 1
                    try:
                        self.start()
                    except RuntimeError:  # killed while starting: start it again
                        continue
                time.sleep(0.05)

        self._watcher = threading.Thread(target=watch, daemon=True)
        self._watcher.start()

    def stop(self) -> None:
        self._supervising = False
        if self._watcher is not None:
            self._watcher.join(timeout=70)
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def tick_process(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "tick"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=out,
        )


def outstanding(engine: Engine, now: datetime) -> tuple[int, int]:
    """(rows due and not taken, rows being sent) at `now`."""
    with UnitOfWork.for_engine(engine) as uow:
        due = uow.session.scalar(
            select(func.count()).where(Prompt.status == "pending", Prompt.due_at <= now)
        )
        sending = uow.session.scalar(select(func.count()).where(Prompt.status == "sending"))
        return int(due or 0), int(sending or 0)


def next_event(engine: Engine, now: datetime) -> datetime | None:
    """When something next falls due after `now`: a pending row, or a lease running out."""
    with UnitOfWork.for_engine(engine) as uow:
        due = uow.session.scalar(
            select(func.min(Prompt.due_at)).where(Prompt.status == "pending", Prompt.due_at > now)
        )
        lease = uow.session.scalar(
            select(func.min(Prompt.lease_until)).where(
                Prompt.status == "sending", Prompt.lease_until > now
            )
        )
    found = [t for t in (due, lease) if t is not None]
    return min(found) if found else None


def settle(engine: Engine, now: datetime, patience: float) -> bool:
    """Wait (real time) until nothing due at `now` is left or in flight; False on patience."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if outstanding(engine, now) == (0, 0):
            return True
        time.sleep(0.05)
    return False


def step_through(
    engine: Engine,
    clock: SimulatedClock,
    end: datetime,
    *,
    patience: float = 15.0,
    at_each: Callable[[datetime], None] | None = None,
    every: timedelta | None = None,
    killed: Callable[[], bool] | None = None,
) -> int:
    """Move the simulated time to each next event until `end` (and at least every `every`),
    letting the instances finish what is due first (up to `patience` seconds; a few when
    `killed()` says a process died since the last step: its rows wait for their lease).
    Returns the number of steps."""
    steps = 0
    now = clock.now()
    while now < end:
        settle(engine, now, 3.0 if killed is not None and killed() else patience)
        upcoming = next_event(engine, now)
        target = min(t for t in (upcoming, end, now + every if every else None) if t is not None)
        now = max(target, now + timedelta(seconds=1))
        clock.set(now)
        steps += 1
        if at_each is not None:
            at_each(now)
    settle(engine, now, patience)
    return steps
