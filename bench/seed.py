"""Active plans in bulk, shaped like the rows `schedule_plan` writes, for every benchmark.

Each plan has an engineer, a manager shared by 8 engineers, 2 goals, 2 commitments, and the
prompt rows that `schedule_plan` writes for it (copied from a plan it schedules in a scratch
database). Most plans are in week 2 at `now`: their goal-setting prompt was sent a week ago and
nothing else is due for a week. "Due" plans started three weeks earlier, so their week-4
check-in fell due a minute before `now`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, delete, func, insert, literal, select, update

from bot.config import Settings
from bot.domain.cadence import review_dates
from bot.domain.slots import LATE_AFTER
from bot.services.cadence import NUDGE, REMINDER, schedule_plan
from storage.db import make_engine
from storage.models import Base, Commitment, Goal, Person, Plan, Prompt
from storage.unit_of_work import UnitOfWork

UTC = timezone.utc
TEAM = "T0BENCH"
TZ = "Europe/London"
REPORTS_PER_MANAGER = 8
SECRET = "bench-signing-secret"


@dataclass(frozen=True)
class Shape:
    start: date
    end: date
    activated: datetime


def monday_at_ten(now: datetime) -> datetime:
    """The Monday of `now`'s week at 10:01 UTC (London in winter): prompts are due at 10:00."""
    monday = now.astimezone(UTC).date() - timedelta(days=now.astimezone(UTC).weekday())
    return datetime(monday.year, monday.month, monday.day, 10, 1, tzinfo=UTC)


def shapes(now: datetime) -> tuple[Shape, Shape]:
    """(steady, due) for a `now` that is a Monday 10:01: steady plans are in week 2, due plans'
    week-4 check-in fell due a minute ago."""
    monday = now.date()

    def shape(weeks_ago: int) -> Shape:
        start = monday - timedelta(weeks=weeks_ago)
        activated = datetime(start.year, start.month, start.day, 9, tzinfo=UTC) - timedelta(3)
        return Shape(start, start + timedelta(weeks=12, days=-4), activated)

    return shape(1), shape(3)


def settings_for(url: str, api_url: str) -> Settings:
    return Settings(
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
        database_url=url,
        default_tz="UTC",
        prompt_hour=10,
        holiday_country=None,
    )


def template(shape: Shape, settings: Settings) -> list[dict[str, Any]]:
    """The prompt rows schedule_plan writes for one plan of this shape with two commitments,
    scheduled in a scratch in-memory database; `commitment` is the commitment's position."""
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    with UnitOfWork.for_engine(engine) as uow:
        boss = uow.people.add(Person(team_id=TEAM, slack_user_id="UBOSS", tz=TZ))
        report = uow.people.add(Person(team_id=TEAM, slack_user_id="UREPORT", tz=TZ))
        plan = Plan(team_id=TEAM, engineer=report, manager=boss, status="active")
        for column, value in plan_columns(shape).items():
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


def plan_columns(shape: Shape) -> dict[str, Any]:
    return {
        "period_start": shape.start,
        "period_end": shape.end,
        "review_dates": {
            str(w): d.isoformat() for w, d in review_dates(shape.start, shape.end).items()
        },
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


def engineer_id(n: int) -> str:
    return f"UE{n:06d}"


def manager_id(n: int) -> str:
    """The Slack id of engineer n's manager."""
    return f"UM{n // REPORTS_PER_MANAGER:06d}"


def group_dm(n: int) -> str:
    return f"GDM{n:06d}"


@dataclass
class Seeder:
    """Adds plans to one database in batches: engineers first..first+count."""

    engine: Engine
    settings: Settings
    now: datetime
    seeded: int = 0
    refreshed: datetime | None = None  # people's profiles were read then (default: a day ago)
    blocks: list[dict[str, tuple[int, int]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.steady, self.due = shapes(self.now)
        self.templates = {s: template(s, self.settings) for s in (self.steady, self.due)}

    def add(self, count: int, due: int = 0, channel: Callable[[int], str] = group_dm) -> list[int]:
        """`count` more active plans, the last `due` of them with a check-in due at `now`.
        Returns the ids of the due check-ins."""
        first = self.seeded
        numbers = range(first, first + count)
        if first % REPORTS_PER_MANAGER:
            raise ValueError("batches start at a multiple of 8: managers are not shared")
        before = self._max_ids()
        shape_of = {n: self.due if n >= first + count - due else self.steady for n in numbers}
        with self.engine.begin() as conn:
            managers = sorted({manager_id(n) for n in numbers})
            known = set(conn.scalars(select(Person.slack_user_id).where(Person.team_id == TEAM)))
            self._people(conn, [m for m in managers if m not in known], {})
            boss = self._ids(conn, "UM")
            self._people(conn, [engineer_id(n) for n in numbers], boss, numbers)
            person = self._ids(conn, "UE")
            plans = [
                {
                    "team_id": TEAM,
                    "engineer_id": person[engineer_id(n)],
                    "manager_id": boss[manager_id(n)],
                    "status": "active",
                    "dm_channel_id": channel(n),
                    **plan_columns(shape_of[n]),
                }
                for n in numbers
            ]
            _insert(conn, Plan, plans)
            plan_of = dict(
                conn.execute(
                    select(Plan.engineer_id, Plan.id).where(Plan.id > before["plan"])
                ).all()
            )
            plan_ids = {n: plan_of[person[engineer_id(n)]] for n in numbers}
            goals = [
                {"plan_id": plan_ids[n], **g} for n in numbers for g in _goals(shape_of[n].end)
            ]
            _insert(conn, Goal, goals)
            _insert(
                conn,
                Commitment,
                [{"plan_id": plan_ids[n], **c} for n in numbers for c in _commitments(shape_of[n])],
            )
            commitment_of = {
                (p, pos): c
                for c, p, pos in conn.execute(
                    select(Commitment.id, Commitment.plan_id, Commitment.position).where(
                        Commitment.plan_id > before["plan"]
                    )
                )
            }
            prompts = [
                self._prompt(row, plan_ids[n], n, commitment_of, channel(n), shape_of[n])
                for n in numbers
                for row in self.templates[shape_of[n]]
            ]
            _insert(conn, Prompt, prompts)
            due_ids = list(
                conn.scalars(
                    select(Prompt.id)
                    .where(Prompt.status == "pending", Prompt.due_at <= self.now)
                    .where(Prompt.plan_id > before["plan"])
                    .order_by(Prompt.id)
                )
            )
        self.seeded += count
        after = self._max_ids()
        self.blocks.append({t: (before[t], after[t]) for t in COPIED})
        if len(due_ids) != due:
            raise RuntimeError(f"seeded {len(due_ids)} due prompts, wanted {due}")
        return due_ids

    def _max_ids(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {t: conn.scalar(select(func.max(TABLES[t].c.id))) or 0 for t in COPIED}

    def replicate(self, block: int, times: int) -> None:
        """Copy the plans of batch `block` (with their people, goals, commitments and
        prompts) `times` times, in SQL: 100,000 plans in seconds instead of minutes. Copies get
        ids shifted past every existing row, and suffixed Slack ids and prompt keys."""
        ranges = self.blocks[block]
        top = self._max_ids()
        span = max(top.values())
        with self.engine.begin() as conn:
            for copy in range(1, times + 1):
                shift = {t: top[t] + (copy - 1) * span - ranges[t][0] for t in COPIED}
                for name in COPIED:
                    conn.execute(_copy_statement(name, ranges[name], shift, f"~{copy}"))
            if conn.dialect.name == "postgresql":
                for name in COPIED:
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
                        f" (SELECT max(id) FROM {name}))"
                    )
        self.seeded += times * (ranges["plan"][1] - ranges["plan"][0])

    def _people(
        self,
        conn: Any,
        users: Sequence[str],
        boss: dict[str, int],
        numbers: Sequence[int] = (),
    ) -> None:
        refreshed = self.refreshed or self.now - timedelta(days=1)  # no users.info
        rows = [
            {
                "team_id": TEAM,
                "slack_user_id": user,
                "name": user.lower(),
                "tz": TZ,
                "manager_id": boss.get(manager_id(numbers[i])) if numbers else None,
                "profile_refreshed_at": refreshed,
            }
            for i, user in enumerate(users)
        ]
        _insert(conn, Person, rows)

    def _ids(self, conn: Any, prefix: str) -> dict[str, int]:
        query = select(Person.slack_user_id, Person.id).where(
            Person.slack_user_id.startswith(prefix)
        )
        return dict(conn.execute(query).all())

    def _prompt(
        self,
        row: dict[str, Any],
        plan_id: int,
        n: int,
        commitment_of: dict[tuple[int, int], int],
        channel: str,
        shape: Shape,
    ) -> dict[str, Any]:
        commitment = (
            commitment_of[(plan_id, row["commitment"])] if row["kind"] == REMINDER else None
        )
        key = (
            f"commitment:{commitment}:reminder:{row['occurrence']}"
            if commitment
            else f"plan:{plan_id}:{row['kind']}:{row['occurrence']}"
        )
        sent = row["status"] == "pending" and row["due_at"] <= self.now - LATE_AFTER
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


def _insert(conn: Any, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Core executemany, in chunks: the fastest bulk path on both databases."""
    for start in range(0, len(rows), 20_000):
        conn.execute(insert(model.__table__), rows[start : start + 20_000])  # type: ignore[arg-type]


COPIED = ("person", "plan", "goal", "commitment", "prompt")
TABLES = Base.metadata.tables
SUFFIXED = {("person", "slack_user_id"), ("prompt", "key")}


def _copy_statement(name: str, ids: tuple[int, int], shift: dict[str, int], suffix: str) -> Any:
    """INSERT INTO name SELECT ... FROM name WHERE id in the batch, every id shifted."""
    table = TABLES[name]
    values = []
    for column in table.columns:
        targets = [fk.column.table.name for fk in column.foreign_keys]
        if column.primary_key:
            value = column + shift[name]
        elif targets and targets[0] in shift:
            value = column + shift[targets[0]]
        elif (name, column.name) in SUFFIXED:
            value = column + literal(suffix)
        else:
            value = column
        values.append(value)
    source = select(*values).where(table.c.id > ids[0], table.c.id <= ids[1])
    return insert(table).from_select([c.name for c in table.columns], source)


def make_due(engine: Engine, due_ids: Sequence[int], k: int) -> None:
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
