"""`pdpbot serve` as a real process, pointed at the fake Slack."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.fakeslack import FakeSlack, SlackClientSim
from storage.migrate import upgrade

SECRET = "serve-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise AssertionError(f"pdpbot serve exited: {process.stderr.read()!r}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("pdpbot serve did not become healthy")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, FakeSlack]]:
    database = f"sqlite:///{tmp_path}/serve.db"
    upgrade(database)
    port = _free_port()
    with FakeSlack() as fake:
        fake.add_user("UANA", name="ana", real_name="Ana Ruiz", tz="America/Los_Angeles")
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": "xoxb-serve",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": database,
            "PORT": str(port),
        }
        env.pop("SLACK_APP_TOKEN", None)
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, process)
            yield url, fake
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_serve_answers_a_signed_pdp_help_and_refuses_an_unsigned_one(
    served: tuple[str, FakeSlack],
) -> None:
    url, fake = served
    slack = SlackClientSim(url + "/slack/events", SECRET, fake=fake)
    answer = slack.command("/pdp", "help", user="UANA")
    assert answer.status == 200
    assert "/pdp-review" in answer.json()["text"]
    forged = SlackClientSim(url + "/slack/events", "not-the-secret", fake=fake)
    assert forged.command("/pdp", "help", user="UANA").status == 401
