"""Two ticks at once never post the same prompt twice."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, select

from bot.config import Settings
from bot.fakeslack import FakeSlack
from bot.services import due_work
from bot.services.due_work import TickReport, run_tick
from bot.slack.gateway import SlackGateway, make_client
from storage.models import Prompt
from storage.unit_of_work import UnitOfWork
from tests.cadence_support import active_plan

UTC = timezone.utc
SETTINGS = Settings(slack_bot_token="xoxb-test", database_url="sqlite://")
ACTIVATED = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
WEEK4 = datetime(2027, 1, 25, 17, 0, tzinfo=UTC)
PLANS = 20


class SlowGateway(SlackGateway):
    """Posting takes a moment, as it does against Slack: room for the other tick to step in."""

    def post(self, *args: Any, **kwargs: Any) -> str:
        time.sleep(0.02)
        return super().post(*args, **kwargs)


def test_two_ticks_at_once_post_each_due_prompt_exactly_once(
    engine: Engine, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(due_work, "BATCH", 2)  # many small claims, so the two ticks interleave
    with UnitOfWork.for_engine(engine) as uow:
        for n in range(PLANS):  # plenty of rows, so the two ticks overlap
            active_plan(uow, SETTINGS, ACTIVATED, start=date(2027, 1, 4), team=f"T{n}")
    gateway = SlowGateway(make_client("xoxb-test", fake_slack.api_url))
    barrier = threading.Barrier(2)
    reports: list[TickReport] = []

    def one_tick() -> None:
        barrier.wait()
        reports.append(run_tick(lambda: UnitOfWork.for_engine(engine), gateway, WEEK4, SETTINGS))

    threads = [threading.Thread(target=one_tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    posts = fake_slack.calls_to("chat.postMessage")
    with UnitOfWork.for_engine(engine) as uow:
        sent = uow.session.scalars(select(Prompt).where(Prompt.status == "sent")).all()
        assert {p.kind for p in sent} == {"progress_check"}  # week 1 had passed: missed
    assert len(posts) == len(sent) == PLANS
    assert len({p.ts for p in sent}) == PLANS
    assert len(reports) == 2 and sum(r.sent for r in reports) == PLANS
