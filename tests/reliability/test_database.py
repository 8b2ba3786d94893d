"""A database that is gone, silent, locked or unmigrated never hangs a request and never shows a
person an error page: connect, statement and busy timeouts, a friendly "try again", /healthz
checking the schema revision, and a tick that backs off (issue 9, fault 11)."""

from __future__ import annotations

import logging
import socket
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from bot.fakeslack import FakeSlack, SlackClientSim
from bot.httpserver import LocalServer
from bot.runtime import build_runtime
from storage import db
from storage.db import make_engine
from storage.migrate import head_revision, upgrade
from tests.conftest import SIGNING_SECRET, TEAM, settings_for
from tests.reliability.tcp_proxy import TcpProxy

TRY_AGAIN = "try again in a minute"


def _healthz(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=30) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


Serve = Callable[[Engine], tuple[str, SlackClientSim]]


@pytest.fixture
def served(fake_slack: FakeSlack) -> Iterator[Serve]:
    """Serve the app on an engine the test chooses (engines[0]), reached as Slack does."""
    engines: list[Engine] = []

    def serve(engine: Engine) -> tuple[str, SlackClientSim]:
        engines.append(engine)
        runtime = build_runtime(settings_for(fake_slack), engine=engine)
        server = LocalServer(runtime.wsgi()).start()
        servers.append(server)
        sim = SlackClientSim(server.url + "/slack/events", SIGNING_SECRET, TEAM, fake_slack)
        return server.url, sim

    servers: list[LocalServer] = []
    yield serve
    for server in servers:
        server.stop()
    for engine in engines:
        engine.dispose()


def test_healthz_says_ok_at_head_and_503_when_the_schema_is_missing_or_behind(
    tmp_path: Path, served: Serve
) -> None:
    url = f"sqlite:///{tmp_path}/health.db"
    engine = make_engine(url)
    base, _ = served(engine)
    status, body = _healthz(base)
    assert (status, body.strip()) == (503, "the database has no schema: run pdpbot migrate")
    upgrade(url)
    assert _healthz(base) == (200, "ok\n")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    status, body = _healthz(base)
    assert status == 503 and f"behind {head_revision()}" in body
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
    assert _healthz(base)[0] == 503
    with engine.begin() as conn:  # the next release migrated first: still serving
        conn.execute(text("INSERT INTO alembic_version VALUES ('9999_from_the_future')"))
    assert _healthz(base)[0] == 200


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections (the kernel completes them) and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()


def test_a_postgresql_that_accepts_and_never_answers_hangs_nothing(
    silent_server: int, served: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "PG_CONNECT_TIMEOUT", 2)
    engine = make_engine(f"postgresql+psycopg://nobody@127.0.0.1:{silent_server}/none")
    base, slack = served(engine)
    status, body = _healthz(base)  # whichever comes first: its 2 s, or connect_timeout's
    assert status == 503 and ("did not answer" in body or "ConnectionTimeout" in body)
    answer = slack.command("/pdp", "", user="UANA")  # connect_timeout ends it
    assert answer.status == 200 and TRY_AGAIN in answer.json()["text"]
    home = slack.event({"type": "app_home_opened", "user": "UANA", "tab": "home"})
    assert home.status == 200


def test_a_pooled_connection_to_a_server_gone_silent_is_broken_not_waited_on(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "PG_CONNECT_TIMEOUT", 2)
    monkeypatch.setattr(db, "PG_UNANSWERED_AFTER", 1.0)
    pg = urllib.parse.urlsplit(postgres_url.replace("+psycopg", ""))
    with TcpProxy((pg.hostname or "127.0.0.1", pg.port or 5432)) as proxy:
        proxied = postgres_url.replace(f"{pg.hostname}:{pg.port}", f"127.0.0.1:{proxy.port}")
        engine = make_engine(proxied)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
        proxy.freeze()  # the pooled connection stays open; nothing comes back
        with pytest.raises(OperationalError), engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        proxy.restore()
        with engine.connect() as conn:  # a fresh connection once it answers again
            assert conn.execute(text("SELECT 1")).scalar() == 1
        engine.dispose()


def test_on_sqlite_a_write_lock_held_too_long_is_a_friendly_message_not_a_500(
    tmp_path: Path, served: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_S", 1)
    path = tmp_path / "locked.db"
    upgrade(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    _, slack = served(engine)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # someone else's long write
    try:
        answer = slack.command("/pdp", "", user="UANA")
        assert answer.status == 200
        assert TRY_AGAIN in answer.json()["text"]
        assert "locked" not in answer.text
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert slack.command("/pdp", "", user="UANA").status == 200


def test_the_tick_backs_off_while_the_database_is_unavailable_and_says_so_once(
    fake_slack: FakeSlack, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "tick.db"
    upgrade(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    runtime = build_runtime(settings_for(fake_slack), engine=engine)
    tick = runtime.tick_callback()
    assert tick() is not None
    broken = threading.Event()
    original = runtime.tick
    calls: list[bool] = []

    def unavailable(now: object = None) -> object:
        calls.append(broken.is_set())
        if broken.is_set():
            raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("unable to open"))
        return original()

    runtime.tick = unavailable  # type: ignore[method-assign,assignment]
    broken.set()
    with caplog.at_level(logging.WARNING, logger="pdpbot"):
        tried = [tick() for _ in range(12)]
        assert tried == [None] * 12
        assert len(calls) == 4  # at once, then after skipping 1, 3 and 7 ticks
        warnings = [r for r in caplog.records if "database is unavailable" in r.getMessage()]
        assert len(warnings) == 1
        broken.clear()
        results = [tick() for _ in range(9)]
        assert results[:3] == [None] * 3  # the rest of the wait
        assert None not in results[3:] and len(calls) == 4 + 6  # resumed, every tick again
        assert any("database is back" in r.getMessage() for r in caplog.records)
    engine.dispose()
