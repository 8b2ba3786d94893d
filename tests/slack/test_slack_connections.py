"""The Slack client keeps its connections alive, and fails exactly as slack_sdk's own does."""

from __future__ import annotations

import socket
import time

import pytest

from bot.fakeslack import FakeSlack
from bot.slack.gateway import SlackFailure, SlackGateway, make_client


def _gateway(fake: FakeSlack) -> SlackGateway:
    return SlackGateway(make_client("xoxb-test", fake.api_url))


def test_calls_to_slack_share_one_connection(fake_slack: FakeSlack) -> None:
    gateway = _gateway(fake_slack)
    before = fake_slack.connections
    names = [gateway.user_info(user)["name"] for user in ("UANA", "UBEN", "UMAYA")]
    channel = gateway.open_conversation(["UANA"])
    ts = gateway.post(channel, "hello")
    assert names == ["ana", "ben", "maya"]
    assert [m["ts"] for m in fake_slack.messages(channel)] == [ts]
    assert fake_slack.connections - before == 1


def test_a_429_comes_out_at_once_with_its_retry_after_and_nobody_sleeps(
    fake_slack: FakeSlack,
) -> None:
    gateway = _gateway(fake_slack)
    fake_slack.rate_limit_next("chat.postMessage", retry_after=30)
    channel = gateway.open_conversation(["UANA"])
    begun = time.monotonic()
    with pytest.raises(SlackFailure) as limited:
        gateway.post(channel, "not now")
    assert time.monotonic() - begun < 10  # not the 30 s Slack asked for
    assert limited.value.rate_limited and limited.value.retry_after == 30
    assert not limited.value.permanent
    gateway.post(channel, "later")  # the caller decides when: here, at once
    assert [m["text"] for m in fake_slack.messages(channel)] == ["later"]
    assert [c.method for c in fake_slack.rate_limited] == ["chat.postMessage"]


def test_slack_errors_and_server_errors_come_out_as_failures(fake_slack: FakeSlack) -> None:
    gateway = _gateway(fake_slack)
    with pytest.raises(SlackFailure) as unknown:
        gateway.user_info("UNOBODY")
    assert unknown.value.error == "user_not_found" and unknown.value.permanent
    fake_slack.server_error_next("users.info", status=503, times=3)
    with pytest.raises(SlackFailure) as down:
        gateway.user_info("UANA")
    assert down.value.error == "internal_error"
    assert gateway.user_info("UANA")["name"] == "ana"


def test_no_server_is_a_connection_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the client calls: nothing listens
    gateway = SlackGateway(make_client("xoxb-test", f"http://127.0.0.1:{port}/api/"))
    with pytest.raises(SlackFailure) as failed:
        gateway.user_info("UANA")
    assert failed.value.error.startswith("connection_error")
