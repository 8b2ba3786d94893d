"""A whole quarter under freezegun: Maya in London manages Ana (Los Angeles), Ben (London)
and Chidi (Kolkata). The tick runs every half hour, the bot restarts half-way (down for a
morning), and both countries change their clocks in March."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone

from freezegun import freeze_time

from bot.domain.cadence import in_working_hours
from bot.fakeslack import Call
from bot.runtime import build_runtime
from storage.models import Plan, Prompt
from tests.conftest import Bot, settings_for
from tests.slack.cadence_helpers import make_plan

UTC = timezone.utc
START = datetime(2027, 1, 4, 6, 0, tzinfo=UTC)
END = datetime(2027, 4, 20, 0, 0, tzinfo=UTC)
DOWN = (datetime(2027, 3, 8, 6, 0, tzinfo=UTC), datetime(2027, 3, 8, 12, 0, tzinfo=UTC))
STEP = timedelta(minutes=30)
TZ = {
    "UMAYA": "Europe/London",
    "UANA": "America/Los_Angeles",
    "UBEN": "Europe/London",
    "UCHIDI": "Asia/Kolkata",
}
PLANS = {  # engineer: (period start, end); Chidi's quarter runs past both clock changes
    "UANA": (date(2027, 1, 4), date(2027, 3, 31)),
    "UBEN": (date(2027, 1, 11), date(2027, 4, 9)),
    "UCHIDI": (date(2027, 1, 18), date(2027, 4, 16)),
}


def test_a_quarter_posts_every_prompt_once_on_working_days_in_working_hours(bot: Bot) -> None:
    bot.clock.now = START
    plan_ids = {
        engineer: make_plan(
            bot,
            goal_setting_held=False,
            engineer=engineer,
            start=start,
            end=end,
            commitments=[(f"Fund {engineer}'s conference ticket", start + timedelta(days=40))],
        )
        for engineer, (start, end) in PLANS.items()
    }
    runtime = bot.runtime
    posted_at: list[tuple[datetime, Call]] = []
    seen = 0
    now = START
    with freeze_time(START) as frozen:
        while now < END:
            now += STEP
            if DOWN[0] <= now < DOWN[1]:
                continue
            if now == DOWN[1]:  # a new process: nothing kept in memory survives
                runtime = build_runtime(
                    settings_for(bot.fake), clock=bot.clock, engine=bot.runtime.engine
                )
            frozen.move_to(now)
            bot.clock.now = now
            runtime.tick(now)
            calls = bot.fake.calls_to("chat.postMessage")
            posted_at += [(now, call) for call in calls[seen:]]
            seen = len(calls)

    with bot.uow() as uow:
        rows = uow.session.query(Prompt).all()
        by_plan = {
            engineer: [r for r in rows if r.plan_id == pid] for engineer, pid in plan_ids.items()
        }
        channels = {
            engineer: uow.session.get(Plan, pid).dm_channel_id  # type: ignore[union-attr]
            for engineer, pid in plan_ids.items()
        }

    sent = [r for r in rows if r.status == "sent"]
    assert len(posted_at) == len(sent)  # every post is a row sent, none twice
    assert Counter(r.ts for r in sent).most_common(1)[0][1] == 1
    for engineer, plan_rows in by_plan.items():
        reviews = sorted(
            (r for r in plan_rows if r.kind in ("goal_setting", "progress_check", "reflection")),
            key=lambda r: r.planned_on,
        )
        assert [(r.kind, r.status) for r in reviews] == [
            ("goal_setting", "sent"),
            ("progress_check", "sent"),
            ("progress_check", "sent"),
            ("reflection", "sent"),
        ], engineer
        assert all(r.channel == channels[engineer] for r in reviews)
        assert set(bot.fake.members(channels[engineer])) == {engineer, "UMAYA", "UBOT"}
        reminders = [r for r in plan_rows if r.kind == "commitment_reminder" and r.status == "sent"]
        assert len(reminders) >= 5  # weekly from the due date, since nobody marked it delivered
        assert all(bot.fake.members(r.channel or "") == ["UMAYA"] for r in reminders)

    for when, call in posted_at:
        people = bot.fake.members(call.args["channel"])
        for person in (p for p in people if p != "UBOT"):
            assert in_working_hours(when, TZ[person]), (when, person, call.args["text"][:60])

    late = [call for when, call in posted_at if DOWN[1] <= when < DOWN[1] + timedelta(hours=8)]
    assert any("was due on Mon 8 Mar 2027" in str(call.args["blocks"]) for call in late)
