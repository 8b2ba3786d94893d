"""A tick that dies holds only the rows it had started sending (for the lease); the rest of its
claim is free a minute later, so a crash delays one prompt, not fifty (issue 9, fault 5)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Engine, select

from bot.config import Settings
from bot.fakeslack import FakeSlack
from bot.services import due_work
from bot.services.due_work import claim, run_tick
from bot.services.outbox.delivery import Prepared, prepare
from bot.slack.gateway import SlackGateway, make_client
from storage.models import Prompt
from storage.unit_of_work import UnitOfWork
from tests.cadence_support import active_plan

UTC = timezone.utc
SETTINGS = Settings(slack_bot_token="xoxb-test", database_url="sqlite://")
ACTIVATED = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
WEEK4 = datetime(2027, 1, 25, 17, 0, tzinfo=UTC)
DUE = 6  # goal settings due at WEEK4, one per team


def _factory(engine: Engine) -> due_work.UowFactory:
    return lambda: UnitOfWork.for_engine(engine)


def _due_rows(engine: Engine) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        for n in range(DUE):
            active_plan(uow, SETTINGS, ACTIVATED, start=date(2027, 1, 4), team=f"T{n}")


def _statuses(engine: Engine) -> list[str]:
    with UnitOfWork.for_engine(engine) as uow:
        query = select(Prompt.status).where(Prompt.kind == "goal_setting")
        return sorted(uow.session.scalars(query))


def test_a_claim_that_dies_before_sending_frees_its_rows_within_a_minute(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    fake_slack.clock = lambda: WEEK4.timestamp()
    _due_rows(engine)
    died = claim(_factory(engine), lambda: WEEK4)  # and then the process is killed
    assert len(died.ids) >= DUE  # goal settings, and check-ins a week later than due
    gateway = SlackGateway(make_client("xoxb-test", fake_slack.api_url))
    before = WEEK4 + due_work.CLAIM_LEASE - timedelta(seconds=1)
    assert run_tick(_factory(engine), gateway, before, SETTINGS).sent == 0
    after = WEEK4 + due_work.CLAIM_LEASE + timedelta(seconds=1)
    assert run_tick(_factory(engine), gateway, after, SETTINGS).sent == DUE
    assert _statuses(engine) == ["sent"] * DUE
    assert len(fake_slack.calls_to("chat.postMessage")) == DUE


def test_a_tick_that_dies_mid_send_delays_only_the_row_it_was_sending(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    fake_slack.clock = lambda: WEEK4.timestamp()
    _due_rows(engine)
    gateway = SlackGateway(make_client("xoxb-test", fake_slack.api_url))
    batch = claim(_factory(engine), lambda: WEEK4)
    ready = prepare(
        _factory(engine), gateway, batch.ids[0], batch.token, WEEK4, SETTINGS, lambda: WEEK4
    )
    assert isinstance(ready, Prepared)
    gateway.post(ready.channel, ready.text, ready.blocks, key=ready.key)  # Slack has it...
    # ...and the process is killed before recording it.

    two_minutes = run_tick(_factory(engine), gateway, WEEK4 + timedelta(minutes=2), SETTINGS)
    assert two_minutes.sent == DUE - 1
    assert _statuses(engine) == ["sending"] + ["sent"] * (DUE - 1)

    after_lease = WEEK4 + due_work.LEASE + timedelta(minutes=1)
    assert run_tick(_factory(engine), gateway, after_lease, SETTINGS).sent == 1
    assert _statuses(engine) == ["sent"] * DUE
    assert len(fake_slack.calls_to("chat.postMessage")) == DUE  # found in Slack, not reposted
