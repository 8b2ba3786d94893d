"""Slack failing, people leaving or moving, the bot being down: nothing lost, nothing twice."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.services.due_work import claim
from storage.models import Plan
from tests.conftest import Bot
from tests.slack.cadence_helpers import make_plan, posted, prompt_row, text_of, tick

UTC = timezone.utc
WEEK4 = datetime(2027, 1, 25, 17, 0, tzinfo=UTC)


def _posts(bot: Bot) -> int:
    return len(bot.fake.calls_to("chat.postMessage"))


def test_a_permanent_slack_error_marks_the_prompt_undeliverable_and_is_not_retried(
    bot: Bot,
) -> None:
    plan_id = make_plan(bot)
    bot.fake.fail_next("chat.postMessage", "is_archived")
    report = tick(bot, WEEK4)
    assert report.undeliverable == 1
    row = prompt_row(bot, f"plan:{plan_id}:progress_check:1")
    assert (row.status, row.error) == ("undeliverable", "chat.postMessage: is_archived")
    tick(bot, WEEK4 + timedelta(hours=1))
    tick(bot, WEEK4 + timedelta(days=1))
    assert _posts(bot) == 1


def test_a_rate_limited_post_is_retried_after_retry_after_and_posted_once(bot: Bot) -> None:
    plan_id = make_plan(bot)
    bot.fake.rate_limit_next("chat.postMessage", retry_after=1)
    assert tick(bot, WEEK4).sent == 1
    assert _posts(bot) == 2  # the 429, then the post
    assert prompt_row(bot, f"plan:{plan_id}:progress_check:1").status == "sent"


def test_slack_down_for_longer_than_the_retries_is_tried_again_by_a_later_tick(bot: Bot) -> None:
    plan_id = make_plan(bot)
    bot.fake.server_error_next("chat.postMessage", times=3)
    assert tick(bot, WEEK4).retrying == 1
    assert tick(bot, WEEK4 + timedelta(minutes=1)).sent == 0
    assert tick(bot, WEEK4 + timedelta(minutes=6)).sent == 1
    assert prompt_row(bot, f"plan:{plan_id}:progress_check:1").status == "sent"


def test_a_person_slack_reports_deleted_has_their_plans_paused(bot: Bot) -> None:
    plan_id = make_plan(bot)
    bot.fake.add_user(
        "UANA", name="ana", real_name="Ana Ruiz", tz="America/Los_Angeles", deleted=True
    )
    report = tick(bot, WEEK4)
    assert report.paused == 1 and _posts(bot) == 0
    with bot.uow() as uow:
        plan = uow.session.get(Plan, plan_id)
        assert plan is not None and plan.paused_reason == "Ana Ruiz is deactivated in Slack"
    tick(bot, datetime(2027, 2, 22, 17, 0, tzinfo=UTC))
    assert _posts(bot) == 0


def test_a_new_time_zone_from_user_change_moves_the_pending_prompts(bot: Bot) -> None:
    plan_id = make_plan(bot)
    user = bot.fake.user("UANA")
    assert user is not None
    bot.slack.event({"type": "user_change", "user": {**user, "tz": "Europe/London"}})
    row = prompt_row(bot, f"plan:{plan_id}:progress_check:1")
    assert row.due_at == datetime(2027, 1, 25, 10, 0, tzinfo=UTC)


def test_user_change_for_a_deactivated_account_pauses_and_reactivation_resumes(bot: Bot) -> None:
    plan_id = make_plan(bot)
    user = bot.fake.user("UANA")
    assert user is not None
    bot.slack.event({"type": "user_change", "user": {**user, "deleted": True}})
    assert prompt_row(bot, f"plan:{plan_id}:progress_check:1").status == "paused"
    bot.slack.event({"type": "user_change", "user": {**user, "deleted": False}})
    assert prompt_row(bot, f"plan:{plan_id}:progress_check:1").status == "pending"
    assert tick(bot, WEEK4).sent == 1


def test_after_downtime_a_due_prompt_is_sent_once_late_and_a_passed_one_is_missed(
    bot: Bot,
) -> None:
    bot.clock.now = datetime(2027, 1, 22, 16, 0, tzinfo=UTC)  # activated late in week 3
    plan_id = make_plan(bot)
    assert prompt_row(bot, f"plan:{plan_id}:goal_setting:1").status == "missed"
    tick(bot, datetime(2027, 1, 22, 17, 0, tzinfo=UTC))  # then the bot is down for a month
    night = datetime(2027, 2, 23, 3, 0, tzinfo=UTC)  # back at 19:00 in LA, 03:00 in London
    report = tick(bot, night)
    assert (report.missed, report.sent, report.deferred) == (1, 0, 1)
    assert prompt_row(bot, f"plan:{plan_id}:progress_check:1").status == "missed"
    tick(bot, datetime(2027, 2, 23, 16, 59, tzinfo=UTC))
    assert _posts(bot) == 0
    tick(bot, datetime(2027, 2, 23, 17, 0, tzinfo=UTC))  # 09:00 in LA, 17:00 in London
    tick(bot, datetime(2027, 2, 23, 18, 0, tzinfo=UTC))
    assert _posts(bot) == 1
    body = text_of(posted(bot, f"plan:{plan_id}:progress_check:2"))
    assert "Week 8: progress check" in body and "was due on Mon 22 Feb 2027" in body


def test_work_claimed_by_a_tick_that_died_is_sent_after_its_claim_lease(bot: Bot) -> None:
    plan_id = make_plan(bot)
    assert claim(bot.runtime.uow, lambda: WEEK4).ids  # claimed, then the process died
    assert tick(bot, WEEK4 + timedelta(seconds=30)).sent == 0
    # not started: held for CLAIM_LEASE (a minute), not the ten-minute lease of a send
    assert tick(bot, WEEK4 + timedelta(minutes=2)).sent == 1
    assert _posts(bot) == 1
    assert prompt_row(bot, f"plan:{plan_id}:progress_check:1").attempts == 2


def test_a_prompt_owed_before_a_time_zone_change_is_still_sent_late_not_missed(bot: Bot) -> None:
    plan_id = make_plan(bot)
    key = f"plan:{plan_id}:progress_check:1"
    owed = prompt_row(bot, key).due_at  # week 4; the bot is down until the next week
    bot.clock.now = owed + timedelta(days=4)
    user = bot.fake.user("UANA")
    assert user is not None
    bot.slack.event({"type": "user_change", "user": {**user, "tz": "Europe/London"}})
    row = prompt_row(bot, key)
    assert row.status == "pending"
    assert row.deferred_from == owed
    for _ in range(48):
        tick(bot, bot.clock.now.replace(minute=0) + timedelta(hours=1))
        if _posts(bot):
            break
    assert _posts(bot) == 1
    assert "was due on" in text_of(posted(bot, key))
