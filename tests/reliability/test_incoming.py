"""Slack re-sends, replays and doubles requests: each is handled once, or refused."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import func, select

from bot.fakeslack import SlackClientSim, input_values
from bot.httpserver import LocalServer
from bot.runtime import build_runtime
from storage.models import Plan, ReviewEntry, SlackEvent
from tests.conftest import SIGNING_SECRET, TEAM, Bot, settings_for
from tests.slack.cadence_helpers import make_plan, prompt_row

REVIEWS = {"1": "2027-01-04", "4": "2027-01-25", "8": "2027-02-22", "12": "2027-03-22"}
T0 = 1_700_000_000  # Slack's `updated` stamp of a profile (epoch seconds), before users.info's


def _publishes(bot: Bot) -> int:
    return len(bot.fake.calls_to("views.publish"))


def _profile(bot: Bot, updated: int, **changes: object) -> dict[str, object]:
    user = bot.fake.user("UANA")
    assert user is not None
    return {**user, "updated": updated, **changes}


def _week4_status(bot: Bot, plan_id: int) -> str:
    return prompt_row(bot, f"plan:{plan_id}:progress_check:1").status


def test_an_event_re_sent_with_retry_num_is_handled_once(bot: Bot) -> None:
    envelope = bot.slack.event_envelope({"type": "app_home_opened", "user": "UANA", "tab": "home"})
    for retry in (0, 1, 2):
        assert bot.slack.post_event(envelope, retry=retry).status == 200
    assert _publishes(bot) == 1
    with bot.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(SlackEvent)) == 1


def test_a_late_retry_of_an_old_event_does_not_undo_a_newer_one(bot: Bot) -> None:
    plan_id = make_plan(bot)
    gone = bot.slack.event_envelope(
        {"type": "user_change", "user": _profile(bot, T0, deleted=True)}
    )
    back = bot.slack.event_envelope({"type": "user_change", "user": _profile(bot, T0 + 60)})
    bot.slack.post_event(gone)
    assert _week4_status(bot, plan_id) == "paused"
    bot.slack.post_event(back)
    assert _week4_status(bot, plan_id) == "pending"
    bot.slack.post_event(gone, retry=1)  # Slack's retry of the first, after the second
    assert _week4_status(bot, plan_id) == "pending"
    stale = bot.slack.event_envelope(
        {"type": "user_change", "user": _profile(bot, T0, deleted=True)}
    )
    bot.slack.post_event(stale)  # the old profile in a delivery of its own: older, ignored
    assert _week4_status(bot, plan_id) == "pending"
    with bot.uow() as uow:
        plan = uow.session.get(Plan, plan_id)
        assert plan is not None and plan.paused_reason is None
        assert not plan.engineer.deleted and plan.engineer.profile_updated == T0 + 60


def test_any_refresh_that_finds_a_person_active_resumes_their_paused_plans(bot: Bot) -> None:
    plan_id = make_plan(bot, review_dates=REVIEWS)
    bot.slack.event({"type": "user_change", "user": _profile(bot, T0, deleted=True)})
    assert _week4_status(bot, plan_id) == "paused"
    bot.clock.now += timedelta(days=8)  # the stored profile is due a refresh
    assert bot.slack.command("/pdp", "", user="UANA").status == 200  # users.info: active
    assert _week4_status(bot, plan_id) in ("pending", "missed")
    with bot.uow() as uow:
        plan = uow.session.get(Plan, plan_id)
        assert plan is not None and plan.paused_reason is None


def test_a_plan_stays_paused_while_the_other_person_is_still_deactivated(bot: Bot) -> None:
    plan_id = make_plan(bot)
    maya = bot.fake.user("UMAYA")
    assert maya is not None
    bot.slack.event({"type": "user_change", "user": {**maya, "updated": T0, "deleted": True}})
    bot.slack.event({"type": "user_change", "user": _profile(bot, T0, deleted=True)})
    bot.slack.event({"type": "user_change", "user": _profile(bot, T0 + 1)})
    assert _week4_status(bot, plan_id) == "paused"
    bot.slack.event({"type": "user_change", "user": {**maya, "updated": T0 + 2}})
    assert _week4_status(bot, plan_id) == "pending"


def test_the_same_event_at_two_instances_at_once_is_handled_by_one(bot: Bot) -> None:
    other = build_runtime(settings_for(bot.fake), clock=bot.clock, engine=bot.runtime.engine)
    envelope = bot.slack.event_envelope({"type": "app_home_opened", "user": "UANA", "tab": "home"})
    with LocalServer(other.wsgi()) as server:
        second = SlackClientSim(server.url + "/slack/events", SIGNING_SECRET, TEAM, bot.fake)
        start = threading.Barrier(2)
        answers: list[int] = []

        def deliver(client: SlackClientSim, retry: int) -> None:
            start.wait()
            answers.append(client.post_event(envelope, retry=retry).status)

        threads = [
            threading.Thread(target=deliver, args=(bot.slack, 0)),
            threading.Thread(target=deliver, args=(second, 1)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert answers == [200, 200]
    assert _publishes(bot) == 1


def test_a_signed_request_replayed_after_five_minutes_is_refused(bot: Bot) -> None:
    fields = {"command": "/pdp", "text": "", "user_id": "UANA", "team_id": TEAM}
    fields["trigger_id"] = bot.fake.issue_trigger("UANA")
    body = urlencode(fields).encode()
    stale = int(time.time()) - 5 * 60 - 1
    refused = bot.slack.post(body, "application/x-www-form-urlencoded", timestamp=stale)
    assert refused.status == 401
    assert bot.fake.calls_to("views.open") == []
    fresh = bot.slack.post(body, "application/x-www-form-urlencoded")
    assert fresh.status == 200 and len(bot.fake.calls_to("views.open")) == 1


def test_a_view_submission_sent_twice_saves_once(bot: Bot) -> None:
    make_plan(bot)
    bot.slack.command("/pdp-review", "<@UANA|ana>", user="UMAYA")
    view = bot.fake.last_view("UMAYA")
    assert view is not None
    values = input_values(view, {"done": "Led the January incident"})
    first = bot.slack.view_submission("UMAYA", view, values)
    second = bot.slack.view_submission("UMAYA", view, values)
    assert first.status == second.status == 200
    assert first.json()["response_action"] == "update"
    assert "changed since you opened it" in json.dumps(second.json())
    with bot.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ReviewEntry)) == 1
