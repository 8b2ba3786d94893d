"""What the operator finds in the log when Slack fails under a person's click."""

from __future__ import annotations

import logging
import re

import pytest

from tests.conftest import Bot
from tests.slack.helpers import find_element


def test_a_failing_views_publish_in_app_home_is_a_warning_like_other_slack_failures(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    bot.fake.fail_next("views.publish", "internal_error")
    with caplog.at_level(logging.INFO):
        response = bot.slack.event({"type": "app_home_opened", "user": "UANA", "tab": "home"})
    assert response.status == 200
    problems = [
        (r.levelname, r.getMessage()) for r in caplog.records if r.levelno >= logging.WARNING
    ]
    assert ("WARNING", "could not publish App Home for UANA: internal_error") in problems
    assert all(level == "WARNING" for level, _ in problems), problems
    assert not any(r.exc_info for r in caplog.records)
    # the tab is published again the next time it is opened
    bot.slack.event({"type": "app_home_opened", "user": "UANA", "tab": "home"})
    assert "home:UANA" in bot.fake.views


def test_a_failed_button_press_logs_the_one_reference_the_person_is_shown(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    bot.slack.event({"type": "app_home_opened", "user": "UANA", "tab": "home"})
    home = bot.fake.views["home:UANA"]
    button = find_element(home["blocks"], "open_plan")
    bot.fake.fail_next("views.open", "internal_error")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        response = bot.slack.block_action(
            "UANA", "open_plan", button.get("value"), view={**home, "id": home.get("id", "VHOME")}
        )
    assert response.status == 200
    logged = [
        r.getMessage() for r in caplog.records if r.getMessage().startswith("unhandled error")
    ]
    assert len(logged) == 1, logged
    reference = logged[0].removeprefix("unhandled error ")
    told = [
        c.args["text"]
        for c in bot.fake.calls_to("chat.postMessage")
        if c.args.get("channel") == "UANA" and "reference" in c.args.get("text", "")
    ]
    assert len(told) == 1
    assert re.findall(r"reference `(\w+)`", told[0]) == [reference]
