"""No person's request waits on another person's Slack call, and none answers 500 (issue 9,
fault 4): while one request, or the tick, is held inside a slow Slack call, another person's
`/pdp` and App Home are answered. (Issue 10 removed the cause: no Slack call is made with a
transaction open; tests/slack/test_lock_order.py checks that for every listener.)"""

from __future__ import annotations

import threading
from datetime import timedelta

from bot.fakeslack.requests import Response
from tests.conftest import Bot
from tests.slack.cadence_helpers import make_plan, prompt_row

HANG = 8.0  # seconds the fake Slack holds the slow call (under the client's 10 s timeout)


def _in_background(work: object) -> tuple[threading.Thread, list[object]]:
    done: list[object] = []
    thread = threading.Thread(target=lambda: done.append(work()))  # type: ignore[operator]
    thread.start()
    return thread, done


def _wait_for_call(bot: Bot, method: str, count: int) -> None:
    for _ in range(400):
        if len(bot.fake.calls_to(method)) >= count:
            return
        threading.Event().wait(0.025)
    raise AssertionError(f"{method} was never called")


def _answered(response: Response) -> None:
    assert response.status == 200, response.text


def test_a_request_held_in_a_slow_slack_call_holds_nobody_else(bot: Bot) -> None:
    bot.fake.lose_answer_next("views.open", "timeout", hang=HANG)  # Ana's modal hangs
    ana, ana_done = _in_background(lambda: bot.slack.command("/pdp", "", user="UANA"))
    _wait_for_call(bot, "views.open", 1)
    _answered(bot.slack.command("/pdp", "", user="UBEN"))  # Ben's modal opens meanwhile
    _answered(bot.slack.event({"type": "app_home_opened", "user": "UCHIDI", "tab": "home"}))
    assert ana.is_alive(), "Ben waited for Ana's Slack call"
    assert bot.fake.last_view("UBEN") is not None
    ana.join(timeout=30)
    [answer] = ana_done
    assert isinstance(answer, Response) and answer.status == 200  # never a 500


def test_the_tick_held_in_a_slow_post_holds_no_request(bot: Bot) -> None:
    plan_id = make_plan(bot)
    key = f"plan:{plan_id}:progress_check:1"
    due = prompt_row(bot, key).due_at
    assert due is not None
    bot.clock.now = due + timedelta(minutes=1)
    bot.fake.lose_answer_next("chat.postMessage", "timeout", hang=HANG)
    tick, _ = _in_background(lambda: bot.runtime.tick(bot.clock.now))
    _wait_for_call(bot, "chat.postMessage", 1)
    _answered(bot.slack.command("/pdp", "", user="UBEN"))
    _answered(bot.slack.event({"type": "app_home_opened", "user": "UANA", "tab": "home"}))
    assert tick.is_alive(), "a request waited for the tick's Slack call"
    tick.join(timeout=60)
    row = prompt_row(bot, key)
    posts = [c for c in bot.fake.calls_to("chat.postMessage") if "metadata" in c.args]
    assert row.status == "sent" and len(posts) == 1  # answered late, and posted once
