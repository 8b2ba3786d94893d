"""Two ticks at once, a tick that dies mid-send, a claim that outlives its lease, Slack
unreachable: each due prompt is posted once."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.error import URLError

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine, select

from bot.config import Settings
from bot.fakeslack import FakeSlack
from bot.services import checkins, due_work
from bot.services.common import Ctx
from bot.services.due_work import TickReport, claim, deliver, run_tick
from bot.slack.gateway import SlackFailure, SlackGateway, make_client
from storage.models import Person, Prompt
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
        # late goal setting goes first; that week's progress check waits a week
        assert {p.kind for p in sent} == {"goal_setting"}
    assert len(posts) == len(sent) == PLANS
    assert len({p.ts for p in sent}) == PLANS
    assert len(reports) == 2 and sum(r.sent for r in reports) == PLANS


def _factory(engine: Engine) -> due_work.UowFactory:
    return lambda: UnitOfWork.for_engine(engine)


def _one_prompt_due_at_week4(engine: Engine) -> None:
    """A plan starting in week 4's Monday: its goal setting is the one prompt due at WEEK4."""
    with UnitOfWork.for_engine(engine) as uow:
        active_plan(uow, SETTINGS, WEEK4 - timedelta(days=3), start=date(2027, 1, 25))


def _sent(engine: Engine) -> list[Prompt]:
    with UnitOfWork.for_engine(engine) as uow:
        rows = uow.session.scalars(select(Prompt).where(Prompt.status == "sent")).all()
        uow.session.expunge_all()
        return list(rows)


class Died(BaseException):
    """The process is killed right after Slack accepted the post, before it was recorded."""


class DiesAfterPost(SlackGateway):
    def post(self, *args: Any, **kwargs: Any) -> str:
        super().post(*args, **kwargs)
        raise Died()


def test_a_tick_that_dies_after_posting_is_not_posted_again_after_its_lease(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    fake_slack.clock = lambda: WEEK4.timestamp()
    _one_prompt_due_at_week4(engine)
    client = make_client("xoxb-test", fake_slack.api_url)
    with pytest.raises(Died):
        run_tick(_factory(engine), DiesAfterPost(client), WEEK4, SETTINGS)
    for minute in range(1, 15):  # restarted; the scheduler ticks every minute
        run_tick(
            _factory(engine), SlackGateway(client), WEEK4 + timedelta(minutes=minute), SETTINGS
        )
    posts = fake_slack.calls_to("chat.postMessage")
    assert len(posts) == 1
    [row] = _sent(engine)
    message = fake_slack.messages(row.channel or "")[0]
    assert row.kind == "goal_setting" and row.ts == message["ts"]
    assert set(fake_slack.members(row.channel or "")) == {"UANA", "UMAYA", "UBOT"}
    assert message["metadata"]["event_payload"] == {"key": row.key}


def test_a_nudge_whose_tick_died_after_posting_is_found_in_its_thread_not_posted_again(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    fake_slack.clock = lambda: WEEK4.timestamp()
    with UnitOfWork.for_engine(engine) as uow:
        active_plan(uow, SETTINGS, ACTIVATED)
    client = make_client("xoxb-test", fake_slack.api_url)
    week1 = datetime(2027, 1, 4, 17, 0, tzinfo=UTC)
    run_tick(_factory(engine), SlackGateway(client), week1, SETTINGS)  # goal setting
    run_tick(_factory(engine), SlackGateway(client), WEEK4, SETTINGS)  # the check-in
    with UnitOfWork.for_engine(engine) as uow:
        nudge = uow.session.scalars(select(Prompt).where(Prompt.kind == "checkin_nudge")).one()
        due = nudge.due_at
    fake_slack.clock = lambda: due.timestamp()
    with pytest.raises(Died):
        run_tick(_factory(engine), DiesAfterPost(client), due, SETTINGS)
    later = due + due_work.LEASE + timedelta(minutes=1)
    run_tick(_factory(engine), SlackGateway(client), later, SETTINGS)
    nudges = [c for c in fake_slack.calls_to("chat.postMessage") if c.args.get("thread_ts")]
    assert len(nudges) == 1
    assert {p.kind for p in _sent(engine)} >= {"progress_check", "checkin_nudge"}


def test_a_claim_that_lost_its_lease_to_another_tick_does_not_post(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    _one_prompt_due_at_week4(engine)
    gateway = SlackGateway(make_client("xoxb-test", fake_slack.api_url))
    slow = claim(_factory(engine), lambda: WEEK4)  # then busy with other rows for too long
    later = WEEK4 + due_work.LEASE + timedelta(minutes=1)
    assert run_tick(_factory(engine), gateway, later, SETTINGS).sent == 1
    outcomes = [
        deliver(_factory(engine), gateway, i, slow.token, WEEK4, SETTINGS, lambda: later)
        for i in slow.ids
    ]
    assert outcomes == ["skipped"]
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_a_claim_renews_its_lease_before_posting_so_a_later_tick_leaves_the_row_alone(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    _one_prompt_due_at_week4(engine)
    client = make_client("xoxb-test", fake_slack.api_url)
    during: list[TickReport] = []

    class OtherTickDuringPost(SlackGateway):
        def post(self, *args: Any, **kwargs: Any) -> str:
            later = WEEK4 + timedelta(minutes=11)  # after the lease taken at claim time
            during.append(run_tick(_factory(engine), SlackGateway(client), later, SETTINGS))
            return super().post(*args, **kwargs)

    batch = claim(_factory(engine), lambda: WEEK4)
    reached = WEEK4 + timedelta(minutes=9)  # the claim got to this row late, still in time
    [outcome] = [
        deliver(
            _factory(engine),
            OtherTickDuringPost(client),
            i,
            batch.token,
            WEEK4,
            SETTINGS,
            lambda: reached,
        )
        for i in batch.ids
    ]
    assert outcome == "sent" and during[0].sent == 0
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_on_sqlite_a_button_press_does_not_wait_for_the_ticks_slack_call(
    sqlite_engine: Engine, fake_slack: FakeSlack
) -> None:
    _one_prompt_due_at_week4(sqlite_engine)
    client = make_client("xoxb-test", fake_slack.api_url)
    posting, pressed = threading.Event(), threading.Event()
    pressed_during_post: list[bool] = []

    class WaitsForThePress(SlackGateway):
        def post(self, *args: Any, **kwargs: Any) -> str:
            posting.set()
            pressed_during_post.append(pressed.wait(5))  # False if the press had to wait
            return super().post(*args, **kwargs)

    ticking = threading.Thread(
        target=run_tick, args=(_factory(sqlite_engine), WaitsForThePress(client), WEEK4, SETTINGS)
    )
    ticking.start()
    assert posting.wait(10)
    with UnitOfWork.for_engine(sqlite_engine) as uow:  # what every request does first
        uow.write_first()
        pressed.set()
    ticking.join(30)
    assert pressed_during_post == [True]
    assert len(_sent(sqlite_engine)) == 1


class Unreachable(WebClient):
    """users.info cannot reach Slack: what urllib raises when the connection is reset."""

    def users_info(self, **kwargs: Any) -> Any:
        raise URLError(ConnectionResetError("connection reset by peer"))


def test_slack_unreachable_for_profile_lookups_retries_every_row_then_gives_up(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        for n in range(3):
            active_plan(uow, SETTINGS, ACTIVATED, start=date(2027, 1, 25), team=f"T{n}")
        for person in uow.session.scalars(select(Person)):
            person.profile_refreshed_at = None  # due for a users.info lookup
        uow.commit()
    gateway = SlackGateway(Unreachable("xoxb-test", base_url=fake_slack.api_url))
    report = run_tick(_factory(engine), gateway, WEEK4, SETTINGS)
    assert report.retrying == 3
    with UnitOfWork.for_engine(engine) as uow:
        rows = uow.session.scalars(
            select(Prompt).where(Prompt.due_at <= WEEK4 + timedelta(hours=2))
        ).all()
        assert {r.status for r in rows} == {"pending"}
        assert {r.error for r in rows} == {
            "users.info: connection_error: <urlopen error connection reset by peer>"
        }
    failed, when = 0, WEEK4
    for _ in range(due_work.MAX_ATTEMPTS):
        when += timedelta(hours=1)
        failed += run_tick(_factory(engine), gateway, when, SETTINGS).failed
    assert failed == 3 and fake_slack.calls_to("chat.postMessage") == []


def test_a_row_that_breaks_unexpectedly_is_retried_and_the_rest_of_the_batch_is_sent(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        for n in range(3):
            active_plan(uow, SETTINGS, ACTIVATED, start=date(2027, 1, 25), team=f"T{n}")
    broken: list[str] = []

    class BreaksOnce(SlackGateway):
        def post(self, *args: Any, **kwargs: Any) -> str:
            if not broken:
                broken.append(kwargs["key"])
                raise RuntimeError("a bug")
            return super().post(*args, **kwargs)

    gateway = BreaksOnce(make_client("xoxb-test", fake_slack.api_url))
    report = run_tick(_factory(engine), gateway, WEEK4, SETTINGS)
    assert (report.sent, report.retrying) == (2, 1)
    report = run_tick(_factory(engine), gateway, WEEK4 + due_work.RETRY_AFTER, SETTINGS)
    assert report.sent == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 3


def test_after_downtime_the_late_goal_setting_is_sent_and_the_check_in_follows_a_week_later(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        plan_id = active_plan(uow, SETTINGS, ACTIVATED).id
    gateway = SlackGateway(make_client("xoxb-test", fake_slack.api_url))
    run_tick(_factory(engine), gateway, WEEK4, SETTINGS)  # the first tick since 1 Jan
    [goal] = _sent(engine)
    assert goal.kind == "goal_setting" and goal.sent_at == WEEK4
    with UnitOfWork.for_engine(engine) as uow:
        check = uow.session.scalars(
            select(Prompt).where(Prompt.key == f"plan:{plan_id}:progress_check:1")
        ).one()
        assert check.status == "pending"
        assert check.due_at == datetime(2027, 2, 1, 17, 0, tzinfo=UTC)  # 09:00 in LA, week 5
    run_tick(_factory(engine), gateway, datetime(2027, 2, 1, 17, 0, tzinfo=UTC), SETTINGS)
    assert {p.kind for p in _sent(engine)} == {"goal_setting", "progress_check"}
    assert len(fake_slack.calls_to("chat.postMessage")) == 2


class LandsButAnswers500(SlackGateway):
    """Slack stored the message but the answer was lost (a 5xx / reset after the write)."""

    def post(self, *args: Any, **kwargs: Any) -> str:
        super().post(*args, **kwargs)
        raise SlackFailure("chat.postMessage", "internal_error")


def test_a_moved_review_with_a_stale_attempt_mark_is_posted_again_on_its_new_day(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    fake_slack.clock = lambda: WEEK4.timestamp()
    _one_prompt_due_at_week4(engine)
    client = make_client("xoxb-test", fake_slack.api_url)
    report = run_tick(_factory(engine), LandsButAnswers500(client), WEEK4, SETTINGS)
    assert report.retrying == 1
    with UnitOfWork.for_engine(engine) as uow:
        row = uow.session.scalars(select(Prompt).where(Prompt.kind == "goal_setting")).one()
        assert row.status == "pending" and row.attempt_started_at is not None
        prompt_id = row.id
    # a minute later the engineer moves the review to Thursday (e.g. from App Home)
    gateway = SlackGateway(client)
    moved_at = WEEK4 + timedelta(minutes=1)
    with UnitOfWork.for_engine(engine) as uow:
        ana = uow.session.scalars(select(Person).where(Person.slack_user_id == "UANA")).one()
        ctx = Ctx(uow, gateway, "T0001", moved_at, SETTINGS)
        checkins.reschedule(ctx, ana, prompt_id, date(2027, 1, 28))
    with UnitOfWork.for_engine(engine) as uow:
        row = uow.session.get(Prompt, prompt_id)
        assert row is not None
        new_due = row.due_at
    fake_slack.clock = lambda: new_due.timestamp()
    run_tick(_factory(engine), gateway, new_due, SETTINGS)
    with UnitOfWork.for_engine(engine) as uow:
        row = uow.session.get(Prompt, prompt_id)
        assert row is not None
        assert row.status == "sent" and row.sent_at == new_due
    posts = fake_slack.calls_to("chat.postMessage")
    assert len(posts) == 2, f"moved review not posted on its new day ({len(posts)} post)"


def test_an_install_without_the_history_scopes_still_posts_a_retried_prompt(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    """An install that has not re-authorised for im:history/mpim:history."""
    _one_prompt_due_at_week4(engine)
    client = make_client("xoxb-test", fake_slack.api_url)
    fake_slack.fail_next("chat.postMessage", "internal_error")  # one transient failure
    fake_slack.fail_next("conversations.history", "missing_scope", times=100)
    gateway = SlackGateway(client)
    when = WEEK4
    for _ in range(due_work.MAX_ATTEMPTS + 1):
        run_tick(_factory(engine), gateway, when, SETTINGS)
        when += timedelta(hours=1)
    with UnitOfWork.for_engine(engine) as uow:
        row = uow.session.scalars(select(Prompt).where(Prompt.kind == "goal_setting")).one()
        assert row.status == "sent"
    delivered = [c for c in fake_slack.calls_to("chat.postMessage")]
    assert len(delivered) == 2  # the failed first try, then the post that landed
