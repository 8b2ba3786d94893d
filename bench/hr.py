"""HR's digest and a manager's App Home, with N engineers with active plans: how long composing
the digest for the whole team takes (what the tick does on the digest's day), and building a
manager's App Home, with the statements each sends."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select

from bench.databases import analyze, fresh_database
from bench.report import Table, median
from bench.seed import TEAM, Seeder, manager_id, monday_at_ten, settings_for
from bench.tick import recording
from bot.fakeslack import FakeSlack
from bot.runtime import build_runtime
from bot.services import hr_digest
from bot.services.common import Ctx
from bot.services.home import home_data
from storage.db import make_engine
from storage.models import Person


@dataclass(frozen=True)
class Config:
    plans: int
    repeats: int


FULL = Config(plans=10_000, repeats=5)
QUICK = Config(plans=200, repeats=2)


def run(backend: str, config: Config, fake: FakeSlack) -> list[Table]:
    with fresh_database(backend, "hr") as url:
        engine = make_engine(url)
        now = monday_at_ten(datetime.now(timezone.utc))
        runtime = build_runtime(settings_for(url, fake.api_url), engine=engine)
        settings = runtime.settings
        Seeder(engine, settings, now, refreshed=now).add(config.plans)
        analyze(engine)
        rows: list[tuple[str, list[float], int, str]] = []
        try:
            digest_ms: list[float] = []
            for _ in range(config.repeats):
                with runtime.uow() as uow:
                    begun = time.perf_counter()
                    digest = hr_digest.compose(uow, TEAM, now, settings)
                    digest_ms.append((time.perf_counter() - begun) * 1000)
            with recording(engine) as seen, runtime.uow() as uow:
                hr_digest.compose(uow, TEAM, now, settings)
            items = f"{len(hr_digest.snapshot(digest))} items"
            rows.append(("HR digest, whole team", digest_ms, len(seen), items))
            home_ms: list[float] = []
            with runtime.uow() as uow:
                manager = uow.session.scalars(
                    select(Person).where(Person.slack_user_id == manager_id(0))
                ).one()
            for _ in range(config.repeats):
                with runtime.uow() as uow:
                    ctx = Ctx(uow, runtime.gateway, TEAM, now, settings)
                    person = uow.session.merge(manager, load=False)
                    begun = time.perf_counter()
                    data = home_data(ctx, person)
                    home_ms.append((time.perf_counter() - begun) * 1000)
            with recording(engine) as seen, runtime.uow() as uow:
                home_data(
                    Ctx(uow, runtime.gateway, TEAM, now, settings), uow.session.merge(manager)
                )
            reports = f"{len(data.reports)} reports"
            rows.append(("a manager's App Home (built, not sent)", home_ms, len(seen), reports))
        finally:
            engine.dispose()
    table = Table(
        f"HR digest and a manager's App Home ({backend}, {config.plans:,} engineers with"
        " active plans)",
        ["what", "median ms", "slowest ms", "statements", "size"],
    )
    for what, times, statements, size in rows:
        table.add(what, f"{median(times):.0f}", f"{max(times):.0f}", statements, size)
    table.note(f"{config.repeats} samples each; the digest is composed as the tick does on its day")
    table.note("no goal in the issue; measured so a regression shows")
    return [table]
