"""Tokens and signing secrets never appear in any log line at any level; request bodies,
which carry what people typed, never at INFO or above. Every log record of a run is
captured at DEBUG: served requests of every kind (signed, unsigned, malformed, failing),
ticks, and the whole demo."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from bot import logs
from bot.config import Settings
from bot.demo import runner as demo
from bot.fakeslack import FakeSlack, SlackClientSim, input_values
from bot.httpserver import LocalServer
from bot.runtime import build_runtime
from tests.conftest import TEAM, Clock
from tests.slack.helpers import GOOD_DRAFT

TOKEN = "xoxb-4815162342-tokenvalue-Zq7"
SIGNING = "signing-secret-Kx93-value"
TYPED = "Quetzal-marmalade"  # what a person typed: in bodies, never logged above DEBUG


class Everything(logging.Handler):
    """Every record, at every level, as the operator's handler would format it."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.addFilter(logs.RequestBodies())
        self.setFormatter(logging.Formatter(logs.FORMAT))
        self.lines: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.levelno, self.format(record)))


@pytest.fixture
def captured() -> Iterator[Everything]:
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    logs.configure("DEBUG", io.StringIO())
    handler = Everything()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def _serve_requests_of_every_kind(engine: Engine, fake: FakeSlack, clock: Clock) -> None:
    settings = Settings(
        slack_bot_token=TOKEN,
        slack_signing_secret=SIGNING,
        slack_api_url=fake.api_url,  # type: ignore[arg-type]
        hr_channel_id="CHR",
        database_url="sqlite://",
    )
    runtime = build_runtime(settings, clock=clock, engine=engine)
    with LocalServer(runtime.wsgi()) as server:
        url = server.url + "/slack/events"
        slack = SlackClientSim(url, SIGNING, TEAM, fake, settle=runtime.app.wait_for_background)
        forged = SlackClientSim(url, "not-the-secret", TEAM, fake)
        slack.command("/pdp", "help", user="UANA")
        slack.command("/pdp", TYPED, user="UANA")
        forged.command("/pdp", TYPED, user="UANA")  # unsigned: refused
        slack.post_form({"payload": "{" + TYPED})  # malformed
        slack.block_action("UANA", "a_button_from_2019", TYPED, channel="D0")
        slack.command("/pdp", "", user="UANA")
        view = fake.last_view("UANA")
        assert view is not None
        answers = {**GOOD_DRAFT, "strengths": TYPED}
        slack.view_submission("UANA", view, input_values(view, answers))
        fake.fail_next("views.open", "internal_error")  # an unhandled error, with its traceback
        slack.command("/pdp-review", "<@UANA|ana>", user="UMAYA")
        slack.event({"type": "app_home_opened", "user": "UMAYA", "tab": "home"})
        slack.block_action("UMAYA", "open_manager_modal", json.dumps({"plan_id": 1}))
        runtime.tick(clock.now + timedelta(minutes=5))
    runtime.engine.dispose() if runtime.engine is not engine else None


def test_no_token_or_signing_secret_in_any_log_line_and_no_body_above_debug(
    captured: Everything, sqlite_engine: Engine, fake_slack: FakeSlack, clock: Clock
) -> None:
    _serve_requests_of_every_kind(sqlite_engine, fake_slack, clock)
    demo.run(quiet=True, out=io.StringIO())

    assert len(captured.lines) > 100, "the run was logged at DEBUG"
    secrets = (TOKEN, SIGNING, "xoxb-demo", demo.SECRET)
    leaks = [line for _, line in captured.lines if any(s in line for s in secrets)]
    assert leaks == []
    assert any(TYPED in line for _, line in captured.lines), "bodies are there at DEBUG"
    above = [line for level, line in captured.lines if level >= logging.INFO and TYPED in line]
    assert above == []
