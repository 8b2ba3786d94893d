"""No Slack call is made while a database transaction is open (issue 10; issue 9, item 4).

tests/conftest.py watches every Slack call of every test (`no_slack_call_under_a_transaction`):
the gateway reports each call, the unit of work knows whether its thread has a transaction
open. These tests show the watch catches a call under a transaction, and run every registered
listener (the demo's happy paths, then each action, view, command and event with a request
it refuses) and the tick under it."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from slack_bolt.listener.custom_listener import CustomListener
from sqlalchemy import select

import bot.demo.runner as demo_runner
from bot.slack.ids import Action, Callback
from bot.slack.listeners import SLASH_COMMANDS
from storage.models import Person
from tests.conftest import Bot, SlackUnderTransaction
from tests.slack.cadence_helpers import make_plan


@contextmanager
def listeners_run() -> Iterator[set[str]]:
    """The names of the listener functions Bolt runs while inside."""
    ran: set[str] = set()
    original = CustomListener.run_ack_function

    def run(self: CustomListener, *, request: Any, response: Any) -> Any:
        ran.add(self.ack_function.__name__)
        return original(self, request=request, response=response)

    CustomListener.run_ack_function = run  # type: ignore[method-assign]
    try:
        yield ran
    finally:
        CustomListener.run_ack_function = original  # type: ignore[method-assign]


def registered(bot: Bot) -> set[str]:
    return {listener.ack_function.__name__ for listener in bot.runtime.app._listeners}


def test_the_watch_catches_a_slack_call_with_a_transaction_open(
    bot: Bot, no_slack_call_under_a_transaction: SlackUnderTransaction
) -> None:
    with bot.uow() as uow:
        uow.session.scalars(select(Person)).all()  # a read opens the transaction
        bot.runtime.gateway.user_info("UANA")
        uow.commit()
        bot.runtime.gateway.user_info("UANA")  # committed: nothing open
    assert no_slack_call_under_a_transaction.seen == ["users.info in thread MainThread"]
    no_slack_call_under_a_transaction.seen.clear()  # shown; the fixture checks the rest


def _refused_requests(bot: Bot, plan_id: int) -> None:
    """Each action, modal, command and event, with values that do not fit: the listener runs,
    refuses, and tells the person (a Slack call, after the request's transaction ended)."""
    sim = bot.slack
    message = {"ts": "1700000000.000100", "channel": "D0USER", "blocks": []}
    values = [json.dumps({"plan_id": plan_id, "prompt_id": 1, "commitment_id": 1}), "x"]
    for action in Action:
        for value in values:
            for name in (action.value, f"{action.value}_1", f"{action.value}_next"):
                sim.block_action("UANA", name, value, message=message)
    view = {
        "id": "V0LOCK",
        "type": "modal",
        "blocks": [],
        "private_metadata": json.dumps({"plan_id": plan_id}),
    }
    for block_id, action_id in (("period_start", "value"), ("end_state1", "end_state")):
        sim.block_action("UANA", action_id, "x", block_id=block_id, view=view)
    for callback in Callback:
        sim.view_submission("UANA", {**view, "callback_id": callback.value}, {})
    for command in SLASH_COMMANDS:
        sim.command(command, "", user="UANA")
        sim.command(command, "<@UMAYA>", user="UANA")
    sim.event({"type": "app_home_opened", "user": "UANA", "tab": "home"})
    user = bot.fake.user("UANA")
    sim.event({"type": "user_change", "user": {**(user or {}), "updated": 1_700_000_000}})
    bot.runtime.app.wait_for_background()


def test_every_listener_and_the_tick_make_no_slack_call_under_a_transaction(
    bot: Bot,
    monkeypatch: pytest.MonkeyPatch,
    no_slack_call_under_a_transaction: SlackUnderTransaction,
) -> None:
    names = registered(bot)
    with listeners_run() as ran:
        demo_runner.run(quiet=True, out=io.StringIO())  # every feature, ticks included
        _refused_requests(bot, make_plan(bot))
        bot.runtime.tick(bot.clock.now)
    assert names - ran == set(), "listeners this test does not reach"
    assert no_slack_call_under_a_transaction.calls > 200  # the demo and the refusals called Slack
    assert no_slack_call_under_a_transaction.seen == []
