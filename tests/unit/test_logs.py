"""What reaches the operator's stderr at each LOG_LEVEL."""

from __future__ import annotations

import io
import logging
import threading

import pytest

from bot import logs
from bot.scheduler import start_ticking
from tests.cli_support import lines, operator_env

pytestmark = pytest.mark.usefixtures("operator_env")
__all__ = ["operator_env"]


def test_the_scheduler_says_once_that_it_ticks_and_not_at_every_tick() -> None:
    out = io.StringIO()
    logs.configure("INFO", out)
    ticks: list[int] = []
    done = threading.Event()

    def tick() -> None:
        ticks.append(1)
        if len(ticks) >= 3:
            done.set()

    scheduler = start_ticking(tick, seconds=0.05)
    try:
        assert done.wait(10)
    finally:
        scheduler.shutdown(wait=True)
    assert lines(out.getvalue()) == ["INFO bot.scheduler tick scheduled every 0.05 seconds"]


def test_log_level_warning_hides_pdpbots_own_information_lines() -> None:
    out = io.StringIO()
    logs.configure("WARNING", out)
    logging.getLogger("pdpbot").info("connected")
    logging.getLogger("bot.services.notify").warning("could not post")
    assert lines(out.getvalue()) == ["WARNING bot.services.notify could not post"]


@pytest.mark.parametrize(
    ("library", "message"),
    [
        ("alembic.runtime.plugins", "setup plugin alembic.autogenerate.schemas"),
        ("alembic.runtime.migration", "Context impl SQLiteImpl."),
        ("apscheduler.executors.default", 'Running job "tick" (scheduled at ...)'),
        ("waitress", "Serving on http://0.0.0.0:3000"),
    ],
)
def test_libraries_speak_at_info_only_when_log_level_is_debug(library: str, message: str) -> None:
    out = io.StringIO()
    logs.configure("INFO", out)
    logging.getLogger(library).info(message)
    assert out.getvalue() == ""
    logs.configure("DEBUG", out)
    logging.getLogger(library).info(message)
    assert lines(out.getvalue()) == [f"INFO {library} {message}"]


def test_bolts_note_that_the_client_token_wins_is_not_shown() -> None:
    from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

    out = io.StringIO()
    logs.configure("DEBUG", out)
    logging.getLogger("slack_bolt.App").warning(warning_client_prioritized_and_token_skipped())
    logging.getLogger("slack_bolt.App").warning("Unhandled request ({'type': 'block_actions'})")
    assert lines(out.getvalue()) == [
        "WARNING slack_bolt.App Unhandled request ({'type': 'block_actions'})"
    ]
