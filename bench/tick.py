"""What a cadence tick costs: idle (nothing due) as active plans grow, and sending K prompts.

Prints medians and ratios measured in one run; nothing here passes or fails (bench/README.md).
    .venv/bin/python bench/tick.py [--quick]
SQLite always (a temp file); PostgreSQL too when TEST_DATABASE_URL is set (a database of its
own per plan count, created and dropped here).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, func, insert, select, text, update
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.domain.slots import LATE_AFTER
from bot.fakeslack import FakeSlack
from bot.runtime import Runtime, build_runtime
from bot.services.cadence import NUDGE, REMINDER, schedule_plan
from bot.services.due_work import TickReport
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import Base, Commitment, Goal, Person, Plan, Prompt
from storage.unit_of_work import UnitOfWork

UTC = timezone.utc
TEAM = "T0BENCH"
TZ = "Europe/London"
# Monday 11 January 2027, 10:01 in London: most plans are in week 2 (goal setting sent a week
# ago, the week-4 check-in not due until the 25th); the "due" plans started three weeks
# earlier, so their week-4 check-in fell due a minute ago.
NOW = datetime(2027, 1, 11, 10, 1, tzinfo=UTC)
REPORTS_PER_MANAGER = 8


@dataclass(frozen=True)
class Shape:
    start: date
    end: date
    activated: datetime


STEADY = Shape(date(2027, 1, 4), date(2027, 3, 31), datetime(2027, 1, 1, 9, tzinfo=UTC))
DUE = Shape(date(2026, 12, 21), date(2027, 3, 21), datetime(2026, 12, 18, 9, tzinfo=UTC))


@dataclass(frozen=True)
class Config:
    sizes: tuple[int, ...]
    ks: tuple[int, ...]  # prompts due in the "sends K" ticks; 0 is the idle tick beside them
    repeats: int
    warmup: int
    inner: int  # idle ticks averaged per idle sample


FULL = Config(sizes=(0, 100, 1_000, 10_000), ks=(0, 1, 10, 50), repeats=15, warmup=2, inner=10)
QUICK = Config(sizes=(0, 100, 1_000), ks=(0, 1, 50), repeats=5, warmup=1, inner=5)


def settings_for(url: str, fake: FakeSlack) -> Settings:
    return Settings(
        slack_bot_token="xoxb-bench",
        slack_signing_secret="bench-signing-secret",
        slack_api_url=fake.api_url,  # type: ignore[arg-type]
        database_url=url,
        default_tz="UTC",
        prompt_hour=10,
        holiday_country=None,
    )


# ---------------------------------------------------------------------- seeding


def template(shape: Shape, settings: Settings) -> list[dict[str, Any]]:
    """The prompt rows schedule_plan writes for one plan of this shape with two commitments,
    scheduled in a scratch in-memory database; `commitment` is the commitment's position."""
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    with UnitOfWork.for_engine(engine) as uow:
        boss = uow.people.add(Person(team_id=TEAM, slack_user_id="UBOSS", tz=TZ))
        report = uow.people.add(Person(team_id=TEAM, slack_user_id="UREPORT", tz=TZ))
        plan = Plan(team_id=TEAM, engineer=report, manager=boss, status="active")
        for column, value in _plan_columns(shape).items():
            setattr(plan, column, value)
        plan.commitments = [Commitment(**c) for c in _commitments(shape)]
        uow.plans.add(plan)
        schedule_plan(uow, plan, settings, shape.activated)
        uow.commit()
        position = {c.id: c.position for c in plan.commitments}
        rows = [
            {
                "kind": r.kind,
                "occurrence": r.occurrence,
                "planned_on": r.planned_on,
                "due_at": r.due_at,
                "status": r.status,
                "error": r.error,
                "commitment": position.get(r.commitment_id) if r.commitment_id else None,
            }
            for r in uow.prompts.for_plan(plan.id)
        ]
    engine.dispose()
    return rows


def _plan_columns(shape: Shape) -> dict[str, Any]:
    return {
        "period_start": shape.start,
        "period_end": shape.end,
        "review_dates": {},
        "strengths": "Calm in incidents; reads unfamiliar code quickly",
        "difficulties": "Performance work on the storage layer",
        "aspiration": "Senior engineer within 18 months",
        "created_at": shape.activated - timedelta(days=3),
        "submitted_at": shape.activated - timedelta(days=2),
        "activated_at": shape.activated,
    }


def _commitments(shape: Shape) -> list[dict[str, Any]]:
    return [
        {
            "team_id": TEAM,
            "position": position,
            "text": text,
            "due_date": shape.start + timedelta(weeks=weeks),
        }
        for position, (text, weeks) in enumerate(
            [("Pair on the next latency incident", 6), ("Book a design review slot", 10)]
        )
    ]


def _goals(end: date) -> list[dict[str, Any]]:
    return [
        {
            "team_id": TEAM,
            "position": position,
            "outcome": outcome,
            "success": "Two incidents led end to end",
            "target_date": end,
        }
        for position, outcome in enumerate(
            [
                "Diagnose production latency issues without escalating to senior engineers",
                "Design and review container orchestration configurations on my own",
            ]
        )
    ]


def seed(
    runtime: Runtime, fake: FakeSlack, plans: int, due: int, templates: dict[Shape, list[Any]]
) -> list[int]:
    """`plans` active plans with the rows schedule_plan writes (the last `due` of them with a
    check-in due at NOW), bulk inserted. Work due more than an hour ago was sent, as earlier
    ticks would have. Returns the ids of the due check-ins."""
    shapes = [STEADY] * (plans - due) + [DUE] * due
    managers = -(-plans // REPORTS_PER_MANAGER)
    refreshed = NOW - timedelta(days=1)  # no users.info while sending
    with runtime.uow() as uow:
        session = uow.session

        def people(prefix: str, count: int, manager_ids: Sequence[int | None]) -> list[int]:
            rows = [
                {
                    "team_id": TEAM,
                    "slack_user_id": f"{prefix}{n:05d}",
                    "name": f"{prefix.lower()}{n}",
                    "tz": TZ,
                    "manager_id": manager_ids[n],
                    "profile_refreshed_at": refreshed,
                }
                for n in range(count)
            ]
            if rows:
                session.execute(insert(Person), rows)
            by_user = dict(
                session.execute(
                    select(Person.slack_user_id, Person.id).where(
                        Person.slack_user_id.startswith(prefix)
                    )
                ).all()
            )
            return [by_user[r["slack_user_id"]] for r in rows]

        boss_ids = people("UM", managers, [None] * managers)
        engineer_ids = people(
            "UE", plans, [boss_ids[n // REPORTS_PER_MANAGER] for n in range(plans)]
        )
        dm: dict[int, str] = {}
        for n in range(plans - due, plans):  # the due plans' pairs have a group DM already
            for user in (f"UM{n // REPORTS_PER_MANAGER:05d}", f"UE{n:05d}"):
                if fake.user(user) is None:
                    fake.add_user(user, name=user.lower(), tz=TZ)
            pair = [f"UM{n // REPORTS_PER_MANAGER:05d}", f"UE{n:05d}"]
            dm[n] = runtime.gateway.open_conversation(pair)
        plan_rows = [
            {
                "team_id": TEAM,
                "engineer_id": engineer_ids[n],
                "manager_id": boss_ids[n // REPORTS_PER_MANAGER],
                "status": "active",
                "dm_channel_id": dm.get(n, f"GDM{n:05d}"),
                **_plan_columns(shape),
            }
            for n, shape in enumerate(shapes)
        ]
        if plan_rows:
            session.execute(insert(Plan), plan_rows)
        plan_of = dict(session.execute(select(Plan.engineer_id, Plan.id)).all())
        plan_ids = [plan_of[e] for e in engineer_ids]
        goals = [
            {"plan_id": p, **g}
            for p, s in zip(plan_ids, shapes, strict=True)
            for g in _goals(s.end)
        ]
        commitments = [
            {"plan_id": p, **c}
            for p, s in zip(plan_ids, shapes, strict=True)
            for c in _commitments(s)
        ]
        if goals:
            session.execute(insert(Goal), goals)
            session.execute(insert(Commitment), commitments)
        commitment_of = {
            (p, pos): c
            for c, p, pos in session.execute(
                select(Commitment.id, Commitment.plan_id, Commitment.position)
            )
        }
        prompts = [
            _prompt(row, plan_id, n, commitment_of, dm.get(n, f"GDM{n:05d}"), shape)
            for n, (plan_id, shape) in enumerate(zip(plan_ids, shapes, strict=True))
            for row in templates[shape]
        ]
        if prompts:
            session.execute(insert(Prompt), prompts)
        uow.commit()
        due_ids = list(
            session.scalars(
                select(Prompt.id)
                .where(Prompt.status == "pending", Prompt.due_at <= NOW)
                .order_by(Prompt.id)
            )
        )
    if len(due_ids) != due:
        raise RuntimeError(f"seeded {len(due_ids)} due prompts, wanted {due}")
    return due_ids


def _prompt(
    row: dict[str, Any],
    plan_id: int,
    n: int,
    commitment_of: dict[tuple[int, int], int],
    channel: str,
    shape: Shape,
) -> dict[str, Any]:
    commitment = commitment_of[(plan_id, row["commitment"])] if row["kind"] == REMINDER else None
    key = (
        f"commitment:{commitment}:reminder:{row['occurrence']}"
        if commitment
        else f"plan:{plan_id}:{row['kind']}:{row['occurrence']}"
    )
    sent = row["status"] == "pending" and row["due_at"] <= NOW - LATE_AFTER
    return {
        "team_id": TEAM,
        "key": key,
        "plan_id": plan_id,
        "commitment_id": commitment,
        "kind": row["kind"],
        "occurrence": row["occurrence"],
        "planned_on": row["planned_on"],
        "due_at": row["due_at"],
        "status": "sent" if sent else row["status"],
        "error": row["error"],
        "attempts": 1 if sent else 0,
        "channel": channel if sent else None,
        "ts": f"{row['due_at'].timestamp():.0f}.{n:06d}" if sent else None,
        "sent_at": row["due_at"] if sent else None,
        "created_at": shape.activated,
    }


def make_due(engine: Engine, due_ids: list[int], k: int) -> None:
    """Put the due check-ins back: the first k pending and due, the rest already sent, and
    no nudges left from an earlier send."""
    with engine.begin() as conn:
        conn.execute(delete(Prompt).where(Prompt.kind == NUDGE, Prompt.parent_id.in_(due_ids)))
        conn.execute(
            update(Prompt)
            .where(Prompt.id.in_(due_ids))
            .values(status="sent", sent_at=Prompt.due_at, lease_until=None, error=None)
        )
        conn.execute(
            update(Prompt)
            .where(Prompt.id.in_(due_ids[:k]))
            .values(status="pending", attempts=0, channel=None, ts=None, sent_at=None)
        )


# ---------------------------------------------------------------------- databases


@dataclass
class Database:
    backend: str
    plans: int
    runtime: Runtime
    fake: FakeSlack
    due_ids: list[int]

    @property
    def engine(self) -> Engine:
        return self.runtime.engine

    def tick(self) -> TickReport:
        return self.runtime.tick(NOW)


@contextmanager
def database_urls(backend: str, sizes: Sequence[int]) -> Iterator[list[str]]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="pdpbot-bench-") as folder:
            yield [f"sqlite:///{Path(folder) / f'tick-{n}.db'}" for n in sizes]
        return
    base = os.environ["TEST_DATABASE_URL"]
    names = [f"pdpbot_bench_{uuid.uuid4().hex[:8]}_{n}" for n in sizes]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(base)
        yield [url.set(database=name).render_as_string(hide_password=False) for name in names]
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def open_databases(
    stack: ExitStack, backend: str, config: Config, fake: FakeSlack
) -> list[Database]:
    urls = stack.enter_context(database_urls(backend, config.sizes))
    largest = max(config.sizes)
    templates = {shape: template(shape, settings_for("sqlite://", fake)) for shape in (STEADY, DUE)}
    databases = []
    for plans, url in zip(config.sizes, urls, strict=True):
        upgrade(url)
        engine = make_engine(url)
        stack.callback(engine.dispose)
        runtime = build_runtime(settings_for(url, fake), engine=engine)
        due = max(config.ks) if plans == largest else 0
        due_ids = seed(runtime, fake, plans, due, templates)
        make_due(engine, due_ids, 0)
        if backend == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))  # what autovacuum does for a live database
        databases.append(Database(backend, plans, runtime, fake, due_ids))
    return databases


# ---------------------------------------------------------------------- measuring


@contextmanager
def recording(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement sent to the database while inside, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def on_execute(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


def rotated(items: Sequence[Any], turn: int) -> list[Any]:
    """Each round starts with the next item, so no case always runs first after a pause."""
    turn %= len(items)
    return [*items[turn:], *items[:turn]]


def expect(report: TickReport, sent: int) -> None:
    if report != TickReport(sent=sent):
        raise RuntimeError(f"expected a tick that sent {sent}, got: {report.summary()}")


def measure_idle(databases: list[Database], config: Config) -> dict[int, list[float]]:
    samples: dict[int, list[float]] = {db.plans: [] for db in databases}
    for turn in range(config.warmup + config.repeats):
        for db in rotated(databases, turn):
            start = time.perf_counter()
            reports = [db.tick() for _ in range(config.inner)]
            elapsed = time.perf_counter() - start
            for report in reports:
                expect(report, 0)
            if turn >= config.warmup:
                samples[db.plans].append(elapsed / config.inner * 1000)
    return samples


def measure_sends(db: Database, config: Config) -> dict[int, list[float]]:
    samples: dict[int, list[float]] = {k: [] for k in config.ks}
    for turn in range(config.warmup + config.repeats):
        for k in rotated(config.ks, turn):
            make_due(db.engine, db.due_ids, k)
            start = time.perf_counter()
            report = db.tick()
            elapsed = time.perf_counter() - start
            expect(report, k)
            if turn >= config.warmup:
                samples[k].append(elapsed * 1000)
    make_due(db.engine, db.due_ids, 0)
    return samples


def idle_statements(db: Database) -> list[tuple[str, Any]]:
    with recording(db.engine) as seen:
        expect(db.tick(), 0)
    return seen


def send_counts(db: Database, k: int) -> tuple[int, int]:
    """Statements and Slack Web API calls of one tick that sends k prompts."""
    make_due(db.engine, db.due_ids, k)
    calls = len(db.fake.calls)
    with recording(db.engine) as seen:
        expect(db.tick(), k)
    calls = len(db.fake.calls) - calls
    make_due(db.engine, db.due_ids, 0)
    return len(seen), calls


def prompt_rows(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Prompt)) or 0)


def due_query(statements: list[tuple[str, Any]]) -> tuple[str, Any]:
    """The idle tick's due query (anything_due), with the parameters it was sent with."""
    return next((s, p) for s, p in statements if "FROM prompt" in s and "LIMIT" in s)


def due_query_plan(db: Database, statements: list[tuple[str, Any]]) -> list[str]:
    statement, parameters = due_query(statements)
    explain = "EXPLAIN QUERY PLAN" if db.backend == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS)"
    with db.engine.connect() as conn:
        return [row[-1] for row in conn.exec_driver_sql(f"{explain} {statement}", parameters)]


def due_query_work(db: Database, statements: list[tuple[str, Any]]) -> str:
    """How much the due query reads, repeatably: PostgreSQL's buffers, SQLite's VM steps."""
    statement, parameters = due_query(statements)
    with db.engine.connect() as conn:
        if db.backend == "sqlite":
            steps = 0

            def step() -> int:
                nonlocal steps
                steps += 1
                return 0

            raw = conn.connection.driver_connection
            raw.set_progress_handler(step, 1)
            try:
                conn.exec_driver_sql(statement, parameters).all()
            finally:
                raw.set_progress_handler(None, 1)
            return f"{steps:,} VM steps"
        explain = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF)"
        plan = [row[0] for row in conn.exec_driver_sql(f"{explain} {statement}", parameters)]
    scan = next(line for line in plan if "Scan" in line).split("->")[-1].split(" on ")[0]
    buffers = next((line for line in plan if "Buffers:" in line), "")
    pages = sum(int(n) for n in re.findall(r"(?:hit|read)=(\d+)", buffers))
    return f"{scan.strip()}, {pages:,} buffers"


# ---------------------------------------------------------------------- report


def median(values: list[float]) -> float:
    return statistics.median(values)


def report_backend(databases: list[Database], config: Config) -> None:
    idle = measure_idle(databases, config)
    largest = databases[-1]
    sends = measure_sends(largest, config)
    first = databases[0].plans
    base = median(idle[first])
    print(f"\nidle tick, nothing due (a sample is the mean of {config.inner} ticks)")
    print(
        f"{'active plans':>12} {'prompt rows':>11} {'median ms':>9} {'IQR ms':>11}"
        f" {f'vs {first:,} plans':>11} {'statements':>10}  due query"
    )
    for db in databases:
        values = idle[db.plans]
        statements = idle_statements(db)
        print(
            f"{db.plans:>12,} {prompt_rows(db):>11,} {median(values):>9.3f}"
            f" {_spread(values):>11} {median(values) / base:>11.2f} {len(statements):>10}"
            f"  {due_query_work(db, statements)}"
        )
    idle_k = median(sends[0])
    print(f"\ntick sending K due check-ins, {largest.plans:,} active plans (a sample is one tick)")
    print(
        f"{'K':>12} {'median ms':>9} {'IQR ms':>11} {'vs idle':>11} {'ms/prompt':>10}"
        f" {'statements':>10} {'Slack calls':>11}"
    )
    for k in config.ks:
        values = sends[k]
        per_prompt = f"{(median(values) - idle_k) / k:.2f}" if k else "-"
        statements, calls = send_counts(largest, k)
        print(
            f"{k:>12} {median(values):>9.3f} {_spread(values):>11}"
            f" {median(values) / idle_k:>11.2f} {per_prompt:>10} {statements:>10} {calls:>11}"
        )
    statements = idle_statements(largest)
    print(f"\nthe idle tick's statements ({largest.plans:,} plans):")
    for statement, _ in statements:
        print("  " + " ".join(statement.split()))
    print("the due query's plan:")
    for line in due_query_plan(largest, statements):
        print("  " + line)


def _spread(values: list[float]) -> str:
    """Interquartile range: how much the samples disagree on this machine."""
    if len(values) < 4:
        return "-"
    q1, _, q3 = statistics.quantiles(values, n=4)
    return f"{q1:.2f}-{q3:.2f}"


def run(backend: str, config: Config, fake: FakeSlack) -> None:
    started = time.perf_counter()
    with ExitStack() as stack:
        databases = open_databases(stack, backend, config, fake)
        with databases[0].engine.connect() as conn:
            version = (
                sqlite3.sqlite_version
                if backend == "sqlite"
                else conn.scalar(text("SHOW server_version"))
            )
        label = "a temp file" if backend == "sqlite" else "TEST_DATABASE_URL's server"
        print(
            f"\n=== {backend} {version} ({label}); seeded in {time.perf_counter() - started:.0f} s"
        )
        report_backend(databases, config)
    print(f"({backend}: {time.perf_counter() - started:.0f} s)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer plans and repeats")
    parser.add_argument("--repeats", type=int, help="samples per case after the warm-up")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    if args.repeats:
        config = Config(config.sizes, config.ks, args.repeats, config.warmup, config.inner)
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
    print(
        f"pdpbot tick benchmark: Python {platform.python_version()}, {os.cpu_count()} CPUs;"
        f" median of {config.repeats} samples after {config.warmup} warm-up rounds;"
        f" now = {NOW:%Y-%m-%d %H:%M} UTC"
    )
    if "postgresql" not in backends:
        print("TEST_DATABASE_URL is not set: SQLite only")
    with FakeSlack(team_id=TEAM) as fake:
        for backend in backends:
            run(backend, config, fake)
    return 0


if __name__ == "__main__":
    sys.exit(main())
