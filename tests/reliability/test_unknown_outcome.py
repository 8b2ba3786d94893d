"""A post whose answer is lost after Slack stored it (a 500, a timeout, a dropped connection) is
looked for by its metadata before it is posted again; slack_sdk never retries it blindly
(issue 9, fault 7: 51 such errors gave 51 duplicates)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, select

from bot.config import Settings
from bot.fakeslack import FakeSlack
from bot.services import due_work
from bot.services.due_work import run_tick
from bot.slack import gateway as gateway_module
from bot.slack.gateway import OutcomeUnknown, SlackFailure, SlackGateway, make_client
from storage.models import Prompt
from storage.unit_of_work import UnitOfWork
from tests.cadence_support import active_plan

UTC = timezone.utc
SETTINGS = Settings(slack_bot_token="xoxb-test", database_url="sqlite://")
ACTIVATED = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
WEEK4 = datetime(2027, 1, 25, 17, 0, tzinfo=UTC)
PLANS = 5


def _factory(engine: Engine) -> due_work.UowFactory:
    return lambda: UnitOfWork.for_engine(engine)


def _rows(engine: Engine) -> list[Prompt]:
    with UnitOfWork.for_engine(engine) as uow:
        rows = list(uow.session.scalars(select(Prompt).where(Prompt.kind == "goal_setting")))
        uow.session.expunge_all()
        return rows


def _messages(fake: FakeSlack, rows: list[Prompt]) -> list[dict[str, object]]:
    channels = {row.channel for row in rows if row.channel}
    return [m for channel in channels for m in fake.messages(channel or "")]


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gateway_module, "SLACK_TIMEOUT", 0.3)


@pytest.mark.parametrize("how", ["server_error", "timeout", "dropped"])
def test_a_post_stored_whose_answer_is_lost_is_found_not_posted_again(
    engine: Engine, fake_slack: FakeSlack, short_timeout: None, how: str
) -> None:
    fake_slack.clock = lambda: WEEK4.timestamp()
    with UnitOfWork.for_engine(engine) as uow:
        for n in range(PLANS):
            active_plan(uow, SETTINGS, ACTIVATED, start=date(2027, 1, 4), team=f"T{n}")
    fake_slack.lose_answer_next("chat.postMessage", how, times=PLANS, hang=0.6)
    client = make_client("xoxb-test", fake_slack.api_url)
    report = run_tick(_factory(engine), SlackGateway(client), WEEK4, SETTINGS)
    rows = _rows(engine)
    assert report.sent == PLANS and {row.status for row in rows} == {"sent"}
    assert len(fake_slack.calls_to("chat.postMessage")) == PLANS  # each posted once, no retry
    messages = _messages(fake_slack, rows)
    assert sorted(str(m["ts"]) for m in messages) == sorted(str(row.ts) for row in rows)


def test_every_post_stored_then_answered_500_is_one_message(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    fake_slack.clock = lambda: WEEK4.timestamp()
    count = 12  # the look-ups are paced as Slack's tier 3 (50 a minute): a few keep it quick
    with UnitOfWork.for_engine(engine) as uow:
        for n in range(count):
            active_plan(uow, SETTINGS, ACTIVATED, start=date(2027, 1, 4), team=f"T{n}")
    fake_slack.lose_answer_next("chat.postMessage", "server_error", times=count)
    client = make_client("xoxb-test", fake_slack.api_url)
    run_tick(_factory(engine), SlackGateway(client), WEEK4, SETTINGS)
    rows = _rows(engine)
    assert {row.status for row in rows} == {"sent"}
    assert len(_messages(fake_slack, rows)) == count


def test_when_the_look_up_fails_too_the_next_attempt_looks_before_posting(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    fake_slack.clock = lambda: WEEK4.timestamp()
    with UnitOfWork.for_engine(engine) as uow:  # its goal setting is due at WEEK4, on time
        active_plan(uow, SETTINGS, WEEK4 - timedelta(days=3), start=date(2027, 1, 25))
    fake_slack.lose_answer_next("chat.postMessage", "server_error")
    fake_slack.server_error_next("conversations.history", times=3)  # past slack_sdk's retries
    client = make_client("xoxb-test", fake_slack.api_url)
    first = run_tick(_factory(engine), SlackGateway(client), WEEK4, SETTINGS)
    assert first.retrying == 1
    later = WEEK4 + due_work.RETRY_AFTER + timedelta(minutes=1)
    assert run_tick(_factory(engine), SlackGateway(client), later, SETTINGS).sent == 1
    [row] = _rows(engine)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert [m["ts"] for m in fake_slack.messages(row.channel or "")] == [row.ts]


def test_the_gateway_says_which_failures_may_have_posted(fake_slack: FakeSlack) -> None:
    gateway = SlackGateway(make_client("xoxb-test", fake_slack.api_url))
    channel = gateway.open_conversation(["UANA"])
    fake_slack.lose_answer_next("chat.postMessage", "server_error")
    with pytest.raises(OutcomeUnknown):
        gateway.post(channel, "hello", key="k1")
    fake_slack.rate_limit_next("chat.postMessage", retry_after=2)
    with pytest.raises(SlackFailure) as limited:  # a 429: Slack did nothing, and says when
        gateway.post(channel, "not now", key="k2")
    assert not isinstance(limited.value, OutcomeUnknown) and limited.value.retry_after == 2
    assert gateway.post(channel, "again", key="k2")
    fake_slack.fail_next("chat.postMessage", "channel_not_found")
    with pytest.raises(SlackFailure) as refused:
        gateway.post(channel, "third", key="k3")
    assert not isinstance(refused.value, OutcomeUnknown) and refused.value.permanent
    assert [m["text"] for m in fake_slack.messages(channel)] == ["hello", "again"]
    # the other calls keep slack_sdk's retries: reading history after a 500 is safe
    fake_slack.server_error_next("conversations.history")
    found = gateway.find_posted(channel, "k1", WEEK4 - timedelta(days=3650))
    assert found == fake_slack.messages(channel)[0]["ts"]
