from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.fakeslack import FakeSlack, SlackClientSim
from bot.httpserver import LocalServer
from bot.runtime import Runtime, build_runtime
from bot.slack import gateway
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import Base
from storage.unit_of_work import UnitOfWork, open_here

SIGNING_SECRET = "test-signing-secret"
TEAM = "T0001"
PG_SKIP_REASON = (
    "TEST_DATABASE_URL is not set: this database test runs on SQLite only "
    "(.ci/run sets it to this machine's server)"
)


class SlackUnderTransaction:
    """Every Slack call made while its thread had a database transaction open (issue 10: none
    may be, in listeners, the after-response worker, the sender or the tick)."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, method: str) -> None:
        held = open_here()
        with self._lock:
            self.calls += 1
            if held:
                self.seen.append(f"{method} in thread {threading.current_thread().name}")


@pytest.fixture(autouse=True)
def no_slack_call_under_a_transaction() -> Iterator[SlackUnderTransaction]:
    """Every test checks it: whatever a test drives (a listener, the tick, the sender), no
    Slack call is made while a transaction is open in the calling thread."""
    check = SlackUnderTransaction()
    stop = gateway.watch(check)
    try:
        yield check
    finally:
        stop()
    assert not check.seen, f"Slack called with a transaction open: {check.seen}"


class Clock:
    """A clock the tests move by hand (the app reads it for `now`)."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2027, 1, 4, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip(PG_SKIP_REASON)
    name = f"pdpbot_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'pdpbot.db'}"}


def _clean(engine: Engine) -> None:
    """Empty every table between tests. The audit log refuses DELETE in a trigger, so the
    trigger is switched off for this one transaction (PostgreSQL: the test database's owner
    may; SQLite cannot switch one off, so it is dropped and created again as it was)."""
    with engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        triggers: list[str] = []
        if postgres:
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        else:
            found = conn.execute(
                text(
                    "SELECT name, sql FROM sqlite_master"
                    " WHERE type = 'trigger' AND tbl_name = 'audit_event'"
                )
            ).all()
            for name, sql in found:
                conn.execute(text(f'DROP TRIGGER "{name}"'))
                triggers.append(sql)
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        if postgres:
            conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
        for sql in triggers:
            conn.execute(text(sql))


@pytest.fixture(scope="session")
def _sqlite_engine(migrated_urls: dict[str, str]) -> Iterator[Engine]:
    url = migrated_urls["sqlite"]
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _postgresql_engine(postgres_url: str) -> Iterator[Engine]:
    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated, empty database: every storage test runs on SQLite and on PostgreSQL."""
    engine: Engine = request.getfixturevalue(f"_{request.param}_engine")
    _clean(engine)
    yield engine
    _clean(engine)


@pytest.fixture
def sqlite_engine(_sqlite_engine: Engine) -> Iterator[Engine]:
    _clean(_sqlite_engine)
    yield _sqlite_engine
    _clean(_sqlite_engine)


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork.for_engine(engine)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(team_id=TEAM) as fake:
        fake.add_user("UMAYA", name="maya", real_name="Maya Okafor", tz="Europe/London")
        fake.add_user("UANA", name="ana", real_name="Ana Ruiz", tz="America/Los_Angeles")
        fake.add_user("UBEN", name="ben", real_name="Ben Carter", tz="Europe/London")
        fake.add_user("UCHIDI", name="chidi", real_name="Chidi Eze", tz="Asia/Kolkata")
        fake.add_user("UHANA", name="hana", real_name="Hana Sato", tz="Europe/London")
        fake.add_user("UOTTO", name="otto", real_name="Otto Berg", tz="Europe/Berlin")
        fake.add_user("UROBOT", name="deploybot", real_name="Deploy Bot", tz="UTC", is_bot=True)
        fake.add_channel("CHR", name="hr-private", is_private=True, members=["UHANA", "UBOT"])
        yield fake


@dataclass
class Bot:
    """The app served over HTTP, reached the way Slack reaches it."""

    runtime: Runtime
    fake: FakeSlack
    slack: SlackClientSim
    url: str
    clock: Clock

    def uow(self) -> UnitOfWork:
        return self.runtime.uow()


def settings_for(fake: FakeSlack) -> Settings:
    return Settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,  # type: ignore[arg-type]
        hr_channel_id="CHR",
        hr_digest="off",  # tests of the digest turn it on (tests/slack/test_hr_digest.py)
        cycles="off",  # tests of cycles start them (tests/slack/test_cycles.py)
        database_url="sqlite://",
    )


@pytest.fixture
def bot(engine: Engine, fake_slack: FakeSlack, clock: Clock) -> Iterator[Bot]:
    fake_slack.clock = lambda: clock.now.timestamp()  # message ts on the same clock as the app
    runtime = build_runtime(settings_for(fake_slack), clock=clock, engine=engine)
    with LocalServer(runtime.wsgi()) as server:
        sim = SlackClientSim(
            server.url + "/slack/events",
            SIGNING_SECRET,
            TEAM,
            fake_slack,
            settle=runtime.app.wait_for_background,
        )
        yield Bot(runtime, fake_slack, sim, server.url, clock)
