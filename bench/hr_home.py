"""HR at 10,000 engineers, with thousands of digest items: composing the digest, posting it
(summary and thread) through the outbox within Slack's limits, an HR member's App Home when
opened, and the calibration CSV its button builds. (bench/hr.py measures the digest and a
manager's App Home on the plain seed.) The organisation is the
shared seed (bench/seed.py) with every third plan unreviewed for 50 days, every fifth with a
commitment 30 days overdue and every seventh with a goal carried twice without progress, so
the digest has thousands of items."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, func, insert, select, update

from bench.databases import analyze, fresh_database
from bench.report import Table, goal, median
from bench.seed import TEAM, Seeder, monday_at_ten, settings_for
from bench.tick import recording
from bot.fakeslack import FakeSlack
from bot.runtime import build_runtime
from bot.services import calibration, hr_digest
from bot.services.common import Ctx
from bot.services.home import home_data
from bot.slack.views.home import build_home_view
from bot.slack.views.hr_digest import pages
from storage.db import make_engine
from storage.models import Commitment, Goal, Person, Plan

NOW = monday_at_ten(datetime(2027, 1, 11, tzinfo=timezone.utc))
HR_CHANNEL = "CHRBENCH"
HR_MEMBER = "UHRBENCH"
PATIENCE = 600  # seconds to wait for the whole thread (Slack's pace: about a post a second)
SLACK_REQUEST_BUDGET_MS = 3000  # Slack's time to acknowledge; App Home publishes after it


@dataclass(frozen=True)
class Config:
    engineers: int
    repeats: int


FULL = Config(engineers=10_000, repeats=5)
QUICK = Config(engineers=400, repeats=2)


def stale(engine: Engine) -> None:
    """Every third plan unreviewed for 50 days, every fifth plan's first commitment 30 days
    overdue, every seventh plan's first goal carried twice with no progress."""
    with engine.begin() as conn:
        conn.execute(
            update(Plan)
            .where(Plan.id % 3 == 0)
            .values(activated_at=NOW - timedelta(days=50), period_start=NOW.date() - timedelta(50))
        )
        conn.execute(
            update(Commitment)
            .where(Commitment.plan_id % 5 == 0, Commitment.position == 0)
            .values(due_date=NOW.date() - timedelta(days=30))
        )
        conn.execute(
            update(Goal)
            .where(Goal.plan_id % 7 == 0, Goal.position == 0)
            .values(carried_count=2, progress="not_started")
        )


def run(backend: str, config: Config, fake: FakeSlack) -> list[Table]:
    fake.add_user(HR_MEMBER, name="hr", real_name="Harper Reyes", tz="Europe/London")
    fake.add_channel(HR_CHANNEL, "hr-bench", is_private=True, members=[HR_MEMBER, "UBOT"])
    with fresh_database(backend, "hrhome") as url:
        engine = make_engine(url)
        try:
            return measure(backend, engine, url, config, fake)
        finally:
            engine.dispose()


def measure(backend: str, engine: Engine, url: str, config: Config, fake: FakeSlack) -> list[Table]:
    settings = settings_for(url, fake.api_url).model_copy(
        update={"hr_channel_id": HR_CHANNEL, "hr_digest": "weekly", "hr_tz": "Europe/London"}
    )
    Seeder(engine, settings, NOW).add(config.engineers)
    stale(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(Person).values(
                team_id=TEAM, slack_user_id=HR_MEMBER, name="Harper Reyes", tz="Europe/London",
                profile_refreshed_at=NOW,
            )
        )  # fmt: skip
    analyze(engine)
    runtime = build_runtime(settings, clock=lambda: NOW, engine=engine)
    table = Table(
        f"HR at {config.engineers:,} engineers ({backend})",
        ["what", "median ms", "figures", "goal"],
    )

    compose_ms, statements, digest = [], 0, None
    for turn in range(config.repeats + 1):
        with runtime.uow() as uow, recording(engine) as seen:
            start = time.perf_counter()
            digest = hr_digest.compose(uow, TEAM, NOW, settings)
            if turn:
                compose_ms.append((time.perf_counter() - start) * 1000)
            statements = len(seen)
    assert digest is not None
    parts = pages(digest)
    table.add(
        "compose the digest",
        f"{median(compose_ms):.0f}",
        f"{digest.total:,} items, {statements} statements, {len(parts)} thread messages",
        "-",
    )

    posted = len(fake.messages(HR_CHANNEL))
    start = time.perf_counter()
    while True:  # ticking as the scheduler would, the clock moving on, until all are posted
        elapsed = time.perf_counter() - start
        runtime.tick(NOW + timedelta(seconds=elapsed))
        if len(fake.messages(HR_CHANNEL)) - posted >= len(parts) + 1 or elapsed > PATIENCE:
            break
        time.sleep(0.2)
    post_s = time.perf_counter() - start
    messages = fake.messages(HR_CHANNEL)[posted:]
    blocks = max(len(m.get("blocks") or []) for m in messages)
    longest = max(
        len((b.get("text") or {}).get("text", "")) for m in messages for b in m.get("blocks") or []
    )
    within = blocks <= 50 and longest <= 3000
    table.add(
        "post it: summary + thread",
        f"{post_s * 1000:.0f}",
        f"{len(messages)} of {len(parts) + 1} messages, at most {blocks} blocks and {longest} "
        "characters a text",
        goal(within),
    )

    home_ms: list[float] = []
    home_blocks = 0
    for turn in range(config.repeats + 1):
        with runtime.uow() as uow:
            ctx = Ctx(uow, runtime.gateway, TEAM, NOW, settings)
            member = uow.session.scalar(select(Person).where(Person.slack_user_id == HR_MEMBER))
            assert member is not None
            start = time.perf_counter()
            view = build_home_view(home_data(ctx, member))
            runtime.gateway.publish_home(HR_MEMBER, view)
            if turn:
                home_ms.append((time.perf_counter() - start) * 1000)
            home_blocks = len(view.blocks)
            size = len(json.dumps(view.to_dict()))
    table.add(
        "HR member's App Home, opened",
        f"{median(home_ms):.0f}",
        f"{home_blocks} blocks, {size:,} bytes",
        goal(median(home_ms) < SLACK_REQUEST_BUDGET_MS and home_blocks <= 100),
    )

    csv_ms: list[float] = []
    rows = 0
    for turn in range(config.repeats + 1):
        with runtime.uow() as uow:
            start = time.perf_counter()
            start_q, end_q = NOW.date().replace(month=1, day=1), NOW.date().replace(month=3, day=31)
            _, rows = calibration.csv_text(uow, start_q, end_q, NOW.date(), TEAM)
            if turn:
                csv_ms.append((time.perf_counter() - start) * 1000)
    table.add(
        "calibration CSV (App Home button)",
        f"{median(csv_ms):.0f}",
        f"{rows:,} rows",
        goal(median(csv_ms) < SLACK_REQUEST_BUDGET_MS),
    )
    with engine.connect() as conn:
        plans = conn.scalar(select(func.count()).select_from(Plan))
    table.note(
        f"{plans:,} active plans; medians of {config.repeats} runs after a warm-up; "
        "goals: the posted digest within Slack's limits (50 blocks a message, 3,000 characters "
        "a text), App Home and the CSV inside the 3 s Slack gives a request"
    )
    return [table]
