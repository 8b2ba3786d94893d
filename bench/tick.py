"""What a cadence tick costs as active plans grow (1k / 10k / 100k): idle (nothing due), and
sending K due check-ins. Ticks go through `Runtime.tick`; a FakeSlack on loopback answers."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine, event, func, select

from bench.databases import analyze, fresh_database
from bench.report import Table, goal, median
from bench.seed import Seeder, make_due, monday_at_ten, settings_for
from bot.fakeslack import FakeSlack
from bot.runtime import Runtime, build_runtime
from storage.db import make_engine
from storage.models import Prompt

# Monday 11 January 2027, 10:01 in London: most plans are in week 2, the due ones' week-4
# check-in fell due a minute ago.
NOW = monday_at_ten(datetime(2027, 1, 11, tzinfo=timezone.utc))
DUE = 50  # plans with a check-in due, among the first thousand


@dataclass(frozen=True)
class Config:
    sizes: tuple[int, ...]  # active plans, growing: each size adds to the one before
    k: int  # prompts due in a "sends K" tick
    repeats: int
    inner: int  # idle ticks averaged per idle sample


FULL = Config(sizes=(1_000, 10_000, 100_000), k=DUE, repeats=9, inner=10)
QUICK = Config(sizes=(200, 400, 2_000), k=10, repeats=3, inner=3)


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


@dataclass
class Measured:
    plans: int
    prompt_rows: int
    idle_ms: list[float]
    idle_statements: int
    due_query: str
    send_ms: list[float]
    send_statements: int
    send_calls: int
    plan: list[str]


def run(backend: str, config: Config, fake: FakeSlack) -> list[Table]:
    rows: list[Measured] = []
    with fresh_database(backend, "tick") as url:
        engine = make_engine(url)
        runtime = build_runtime(settings_for(url, fake.api_url), engine=engine)
        seeder = Seeder(engine, runtime.settings, NOW)
        due_ids: list[int] = []
        try:
            for size in config.sizes:
                grow(seeder, size, config.k, due_ids)
                analyze(engine)
                rows.append(measure(runtime, fake, due_ids, seeder.seeded, config))
        finally:
            engine.dispose()
    return tables(backend, config, rows)


def grow(seeder: Seeder, size: int, k: int, due_ids: list[int]) -> None:
    """Up to `size` plans: the first batch holds the due ones; a much larger step copies the
    last batch in SQL (seeding 100,000 plans row by row would take minutes)."""
    if seeder.seeded == 0:
        due_ids += seeder.add(size, due=k)
        return
    last = seeder.blocks[-1]["plan"][1] - seeder.blocks[-1]["plan"][0]
    remaining = size - seeder.seeded
    if len(seeder.blocks) > 1 and remaining > 4 * last:
        seeder.replicate(len(seeder.blocks) - 1, remaining // last)
        remaining = size - seeder.seeded
    if remaining:
        seeder.add(remaining)


def measure(
    runtime: Runtime, fake: FakeSlack, due_ids: list[int], plans: int, config: Config
) -> Measured:
    engine = runtime.engine
    make_due(engine, due_ids, 0)
    idle: list[float] = []
    for turn in range(config.repeats + 1):
        start = time.perf_counter()
        for _ in range(config.inner):
            runtime.tick(NOW)
        if turn:  # the first is a warm-up
            idle.append((time.perf_counter() - start) / config.inner * 1000)
    with recording(engine) as idle_seen:
        runtime.tick(NOW)
    sends: list[float] = []
    for turn in range(max(2, config.repeats // 3) + 1):
        make_due(engine, due_ids, config.k)
        posted = len(fake.calls_to("chat.postMessage"))
        start = time.perf_counter()
        runtime.tick(NOW)
        elapsed = (time.perf_counter() - start) * 1000
        if len(fake.calls_to("chat.postMessage")) - posted != config.k:
            raise RuntimeError(f"a tick with {config.k} due did not post {config.k}")
        if turn:
            sends.append(elapsed)
    make_due(engine, due_ids, config.k)
    calls = len(fake.calls)
    with recording(engine) as send_seen:
        runtime.tick(NOW)
    calls = len(fake.calls) - calls
    make_due(engine, due_ids, 0)
    with engine.connect() as conn:
        rows = int(conn.scalar(select(func.count()).select_from(Prompt)) or 0)
    return Measured(
        plans, rows, idle, len(idle_seen), due_query_work(engine, idle_seen), sends,
        len(send_seen), calls, due_query_plan(engine, idle_seen),
    )  # fmt: skip


def tables(backend: str, config: Config, rows: Sequence[Measured]) -> list[Table]:
    base = median(rows[0].idle_ms)
    idle = Table(
        f"Idle tick, nothing due ({backend}; a sample is the mean of {config.inner} ticks)",
        ["active plans", "prompt rows", "median ms", "IQR ms", f"vs {rows[0].plans:,}",
         "statements", "due query reads"],
    )  # fmt: skip
    for m in rows:
        idle.add(f"{m.plans:,}", f"{m.prompt_rows:,}", f"{median(m.idle_ms):.2f}",
                 _spread(m.idle_ms), f"{median(m.idle_ms) / base:.2f}x", m.idle_statements,
                 m.due_query)  # fmt: skip
    idle.note("statements: what SQLAlchemy sends through a cursor in one idle tick")
    idle.note("the due query's plan at the largest size: " + " / ".join(rows[-1].plan))
    k = config.k
    send = Table(
        f"Tick sending {k} due check-ins ({backend}; a sample is one tick)",
        ["active plans", "median ms", "ms per prompt", "statements per prompt",
         "Slack calls per prompt", "goal (≤ 8 statements per prompt)"],
    )  # fmt: skip
    for m in rows:
        per_prompt = (median(m.send_ms) - median(m.idle_ms)) / k
        statements = (m.send_statements - m.idle_statements) / k
        send.add(f"{m.plans:,}", f"{median(m.send_ms):.0f}", f"{per_prompt:.1f}",
                 f"{statements:.1f}", f"{m.send_calls / k:.1f}",
                 goal(statements <= 8))  # fmt: skip
    send.note("per prompt: (the tick's figure - the idle tick's) / K")
    return [idle, send]


def _spread(values: list[float]) -> str:
    """Interquartile range: how much the samples disagree on this machine."""
    if len(values) < 4:
        return "-"
    q1, _, q3 = statistics.quantiles(values, n=4)
    return f"{q1:.2f}-{q3:.2f}"


def _due_query(statements: list[tuple[str, Any]]) -> tuple[str, Any]:
    """The idle tick's due query (anything_due), with the parameters it was sent with."""
    return next((s, p) for s, p in statements if "FROM prompt" in s and "LIMIT" in s)


def due_query_plan(engine: Engine, statements: list[tuple[str, Any]]) -> list[str]:
    statement, parameters = _due_query(statements)
    sqlite = engine.dialect.name == "sqlite"
    explain = "EXPLAIN QUERY PLAN" if sqlite else "EXPLAIN (COSTS OFF)"
    with engine.connect() as conn:
        lines = [row[-1] for row in conn.exec_driver_sql(f"{explain} {statement}", parameters)]
    return [" ".join(str(line).split()) for line in lines]


def due_query_work(engine: Engine, statements: list[tuple[str, Any]]) -> str:
    """How much the due query reads, repeatably: PostgreSQL's buffers, SQLite's VM steps."""
    statement, parameters = _due_query(statements)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            steps = 0

            def step() -> int:
                nonlocal steps
                steps += 1
                return 0

            raw = conn.connection.driver_connection
            raw.set_progress_handler(step, 1)  # type: ignore[union-attr]
            try:
                conn.exec_driver_sql(statement, parameters).all()
            finally:
                raw.set_progress_handler(None, 1)  # type: ignore[union-attr]
            return f"{steps:,} VM steps"
        explain = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF)"
        plan = [row[0] for row in conn.exec_driver_sql(f"{explain} {statement}", parameters)]
    buffers = next((line for line in plan if "Buffers:" in line), "")
    pages = sum(int(n) for n in re.findall(r"(?:hit|read)=(\d+)", buffers))
    return f"{pages:,} buffers"
