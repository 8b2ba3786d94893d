"""A 429 inside a request is told to the person at once ("Slack is busy, try again in a few
seconds"): nobody's request sleeps on Retry-After, and nothing is retried with a dying
trigger. (How fast is bench/latency.py's business: tests never assert times.)"""

from __future__ import annotations

from prompts import render
from tests.conftest import Bot
from tests.slack.helpers import open_pdp


def test_a_429_on_views_open_is_reported_at_once_and_not_retried(bot: Bot) -> None:
    bot.fake.rate_limit_next("views.open", retry_after=30)
    response = bot.slack.command("/pdp", "", user="UANA")
    assert response.status == 200
    assert render("errors/slack_busy") in response.text
    assert len(bot.fake.calls_to("views.open")) == 1  # tried once: its trigger dies in 3 s
    assert open_pdp(bot, "UBEN")["type"] == "modal"  # the next person is not held up


def test_a_429_on_a_button_tells_the_person_privately(bot: Bot) -> None:
    open_pdp(bot, "UANA")
    bot.fake.clear()
    bot.fake.rate_limit_next("views.open", retry_after=30)
    message = {"ts": "1700000000.000100", "channel": "D0USER", "blocks": []}
    bot.slack.block_action("UANA", "open_plan", None, message=message)
    bot.runtime.app.wait_for_background()
    told = bot.fake.calls_to("chat.postEphemeral") + bot.fake.calls_to("chat.postMessage")
    assert [c.args["text"] for c in told] == [render("errors/slack_busy")]
