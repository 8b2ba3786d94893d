"""`pdpbot serve` and `pdpbot socket` as real processes against the fake Slack: what the
operator reads on stderr at the default level, and that Socket Mode works from a fresh folder."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.fakeslack import FakeSlack, SlackClientSim
from storage.db import make_engine
from storage.migrate import current_revision, head_revision, upgrade
from tests.cli_support import ENV, closed_port, lines

SECRET = "start-secret"
MARKER = "words-someone-typed-7f3a"
CONNECTED = "INFO pdpbot connected to the Slack workspace Acme (acme.slack.com) as @pdpbot (UBOT)"
TICKING = "INFO bot.scheduler tick scheduled every 60 seconds"


class Pdpbot:
    """A `pdpbot` process whose stderr is read as it comes."""

    def __init__(self, verb: str, env: dict[str, str], cwd: Path) -> None:
        clean = {k: v for k, v in os.environ.items() if k not in ENV}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", verb],
            env={**clean, **env},
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.seen):
            if time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} in {self.seen}")
            try:
                self.seen.append(self._lines.get(timeout=0.1))
            except queue.Empty:
                if self.process.poll() is not None and self._lines.empty():
                    raise AssertionError(f"pdpbot exited: {self.seen}") from None

    def stop(self) -> list[str]:
        """Stop it (again is fine); everything it wrote to stderr, log timestamps removed."""
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=10)
        time.sleep(0.1)
        while not self._lines.empty():
            self.seen.append(self._lines.get())
        return lines("\n".join(self.seen))


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user("UANA", name="ana", real_name="Ana Ruiz", tz="America/Los_Angeles")
        yield fake


Start = Callable[[str, dict[str, str]], Pdpbot]


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    """Start `pdpbot VERB` in tmp_path; every process started is stopped at the end."""
    started: list[Pdpbot] = []

    def _start(verb: str, env: dict[str, str]) -> Pdpbot:
        started.append(Pdpbot(verb, env, tmp_path))
        return started[-1]

    yield _start
    for bot in started:
        bot.stop()


def _serve(start: Start, tmp_path: Path, fake: FakeSlack, **extra: str) -> tuple[Pdpbot, str, int]:
    database = f"sqlite:///{tmp_path}/serve.db"
    upgrade(database)
    port = closed_port()
    env = {
        "SLACK_BOT_TOKEN": "xoxb-serve",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": database,
        "PORT": str(port),
        **extra,
    }
    bot = start("serve", env)
    url = f"http://127.0.0.1:{port}"
    bot.wait_for("serving POST /slack/events")
    with urllib.request.urlopen(url + "/healthz", timeout=5) as reply:
        assert reply.status == 200
    return bot, url, port


def _signed_and_unsigned_requests(url: str, fake: FakeSlack) -> None:
    slack = SlackClientSim(url + "/slack/events", SECRET, fake=fake)
    assert slack.command("/pdp", "help", user="UANA").status == 200
    forged = SlackClientSim(url + "/slack/events", "not-the-secret", fake=fake)
    assert forged.command("/pdp", MARKER, user="UANA").status == 401


def test_serve_logs_only_what_matters_at_the_default_level(
    start: Start, tmp_path: Path, fake: FakeSlack
) -> None:
    bot, url, port = _serve(start, tmp_path, fake)
    _signed_and_unsigned_requests(url, fake)
    logged = bot.stop()
    assert logged == [
        CONNECTED,
        TICKING,
        f"INFO pdpbot serving POST /slack/events and GET /healthz on port {port}",
    ]


def test_a_request_body_is_logged_at_debug_and_never_above(
    start: Start, tmp_path: Path, fake: FakeSlack
) -> None:
    bot, url, _ = _serve(start, tmp_path, fake, LOG_LEVEL="DEBUG")
    _signed_and_unsigned_requests(url, fake)
    logged = bot.stop()
    quoting = [line for line in logged if MARKER in line]
    assert quoting, "at DEBUG Bolt's refusal of the unsigned request is shown"
    assert all(line.startswith("DEBUG ") for line in quoting), quoting
    assert CONNECTED in logged


def test_socket_on_a_fresh_sqlite_folder_migrates_connects_and_answers(
    start: Start, tmp_path: Path, fake: FakeSlack
) -> None:
    database = tmp_path / "pdpbot.db"
    env = {"SLACK_BOT_TOKEN": "xoxb-socket", "SLACK_APP_TOKEN": "xapp-socket"}
    bot = start("socket", {**env, "SLACK_API_URL": fake.api_url})
    bot.wait_for("connected to Slack in Socket Mode")
    engine = make_engine(f"sqlite:///{database}")
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
    assert fake.socket_mode is not None
    bot.wait_for(TICKING)
    ack = fake.socket_mode.send(
        "slash_commands",
        {
            "team_id": fake.team_id,
            "channel_id": "D0ANA",
            "user_id": "UANA",
            "command": "/pdp",
            "text": "help",
            "api_app_id": fake.app_id,
            "trigger_id": fake.issue_trigger("UANA"),
            "response_url": fake.response_url("socket-help"),
        },
    )
    assert "/pdp-review" in ack["payload"]["text"]
    assert bot.stop() == [
        CONNECTED,
        "INFO pdpbot connected to Slack in Socket Mode: press Ctrl+C to stop",
        TICKING,
    ]
