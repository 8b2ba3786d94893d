"""The outbox's pacer: one post a second per channel, a 429 blocks only its channel (or its
method), and Slack's method tiers workspace-wide. Times come from a clock the test moves."""

from __future__ import annotations

import pytest

from bot.services.outbox.pacing import MAX_WAIT, PER_CHANNEL, Pacer
from bot.slack.gateway import SlackFailure


class Tick:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_each_channel_takes_one_post_a_second_and_channels_do_not_wait_for_each_other() -> None:
    clock = Tick()
    pacer = Pacer(clock)
    turns = [pacer.reserve_post("CSHARED") for _ in range(3)]
    assert turns == [1000.0, 1000.0 + PER_CHANNEL, 1000.0 + 2 * PER_CHANNEL]
    assert pacer.reserve_post("D1") == 1000.0
    assert pacer.reserve_post("D2") == 1000.0


def test_a_429_blocks_only_its_channel_for_retry_after() -> None:
    clock = Tick()
    pacer = Pacer(clock)
    pacer.rate_limited("chat.postMessage", "CBUSY", 30)
    assert pacer.reserve_post("CBUSY") == 1030.0
    assert pacer.post_blocked_until("CBUSY") == 1030.0
    assert pacer.reserve_post("D1") == 1000.0
    assert pacer.take("users.info") == 0  # other methods are not blocked


def test_a_429_on_another_method_blocks_that_method_workspace_wide() -> None:
    clock = Tick()
    pacer = Pacer(clock)
    pacer.rate_limited("conversations.open", None, 4)
    assert pacer.take("conversations.open") == 4
    assert pacer.take("users.info") == 0
    clock.now += 4
    assert pacer.take("conversations.open") == 0


def test_tiers_allow_a_minutes_worth_then_pace() -> None:
    clock = Tick()
    pacer = Pacer(clock)
    assert all(pacer.take("users.info") == 0 for _ in range(100))  # Tier 4: 100 a minute
    assert pacer.take("users.info") == pytest.approx(0.6)
    clock.now += 0.6
    assert pacer.take("users.info") == 0
    assert all(pacer.take("conversations.open") == 0 for _ in range(50))  # Tier 3
    assert pacer.take("conversations.open") > 0
    assert pacer.take("some.unpaced_method") == 0


def test_a_long_wait_for_a_method_is_refused_as_slack_would_not_slept() -> None:
    clock = Tick()
    pacer = Pacer(clock)
    pacer.rate_limited("users.info", None, MAX_WAIT + 10)
    with pytest.raises(SlackFailure) as refused:
        pacer.before_call("users.info")
    assert refused.value.rate_limited and refused.value.retry_after == MAX_WAIT + 10
    pacer.before_call("chat.postMessage")  # posts are paced per channel, not here
