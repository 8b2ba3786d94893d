"""Running `pdpbot` in-process as an operator does: environment in, stderr and exit code out."""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Iterator

import pytest

from bot.logs import OWN

# Every variable pdpbot reads: the tests start from none of them set.
ENV = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "DATABASE_URL",
    "HR_CHANNEL_ID",
    "PORT",
    "DEFAULT_TZ",
    "PROMPT_HOUR",
    "HOLIDAY_COUNTRY",
    "HR_DIGEST",
    "HR_DIGEST_HOUR",
    "HR_DIGEST_WEEKDAY",
    "HR_DIGEST_WHEN_EMPTY",
    "HR_TZ",
    "RETENTION_DAYS",
    "CYCLES",
    "CYCLE_TEAMS",
    "LOG_LEVEL",
    "TICK_SECONDS",
)
_STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")


@pytest.fixture
def operator_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> Iterator[None]:
    """No pdpbot variable set, an empty working folder, and logging as it was afterwards."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    own = {name: logging.getLogger(name).level for name in OWN}
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(level)
    for name, was in own.items():
        logging.getLogger(name).setLevel(was)


def lines(text: str) -> list[str]:
    """stderr as lines, log timestamps removed."""
    return [_STAMP.sub("", line) for line in text.splitlines()]


def closed_port() -> int:
    """A loopback port nothing listens on (it was free a moment ago)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
