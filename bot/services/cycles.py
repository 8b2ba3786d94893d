"""A quarter's goal-setting cycle across the roster: every engineer with a manager and no plan
for the quarter gets the week-1 prompt in the pair's DM (with *Draft my plan*) unless the pair
has next quarter's week-1 prompt from their previous plan (counted as reached, not prompted
again: one prompt a week), each manager one DM listing their reports' draft status, and HR
the reports whose manager has left.
Started by HR (App Home, `pdpbot cycle start`) or by the tick on the quarter's first working
day; a second start of the same quarter and teams is a no-op."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.config import Settings
from bot.domain.cadence import local_date
from bot.domain.calibration import parse_period
from bot.domain.cycles import Completion, completion, due_to_start, in_scope, scope_of
from bot.services.cadence import calendar_for, zone_of
from bot.services.outbox.queue import enqueue
from bot.services.week_one import NEXT_QUARTER
from storage.models import Person, Plan, Prompt
from storage.roster_models import Cycle
from storage.unit_of_work import UnitOfWork

WEEK_ONE = "cycle_week_one"
MANAGER_STATUS = "cycle_manager_status"
MANAGER_LEFT = "cycle_manager_left"
PLAN_STATES = ("draft", "awaiting_manager", "awaiting_engineer", "active", "closed")
PROMPTED = ("pending", "sending", "sent")  # a week-1 prompt the pair has got or will get


@dataclass(frozen=True)
class Started:
    """What a start did. `already`: a cycle of the quarter covering these teams was started
    (`scope` is then that cycle's). `refused`: nothing was started or recorded, because there
    is no roster yet ("no_roster") or a team is not on it ("no_team": `unknown` are the names
    asked for, `teams` the roster's)."""

    quarter: str
    scope: str
    already: bool
    refused: str = ""  # "", "no_roster", "no_team"
    unknown: list[str] = field(default_factory=list)  # team names the roster lacks
    teams: list[str] = field(default_factory=list)  # the roster's team names
    reached: list[str] = field(default_factory=list)  # names of engineers prompted
    # of `reached`, those whose pair has (or will get) next quarter's week-1 prompt from their
    # previous plan for this quarter: counted, not prompted again
    prompted_before: list[str] = field(default_factory=list)
    with_plan: int = 0  # engineers who have a plan for the quarter already
    managers: int = 0  # managers sent their reports' status
    manager_left: list[str] = field(default_factory=list)  # flagged to HR


def roster_people(uow: UnitOfWork, team_id: str, scope: str = "") -> list[Person]:
    """Everyone on the roster still active in Slack, in the cycle's teams (by name)."""
    people = uow.session.scalars(
        select(Person)
        .where(Person.team_id == team_id, Person.on_roster.is_(True), Person.deleted.is_(False))
        .order_by(Person.name)
    ).all()
    return [p for p in people if in_scope(p.team_name, scope)]


def plans_for(
    uow: UnitOfWork, engineers: Sequence[Person], start: date, end: date
) -> dict[int, Plan]:
    """Each engineer's plan covering the quarter (the newest), by engineer id."""
    if not engineers:
        return {}
    plans = uow.session.scalars(
        select(Plan)
        .where(
            Plan.engineer_id.in_([e.id for e in engineers]),
            Plan.status.in_(PLAN_STATES),
            Plan.period_start <= end,
            Plan.period_end >= start,
        )
        .order_by(Plan.id)
    ).all()
    return {p.engineer_id: p for p in plans}


def week_one_prompted(
    uow: UnitOfWork, engineers: Sequence[Person], start: date, end: date
) -> set[int]:
    """Ids of the engineers whose pair (the engineer and their manager now) has a next-quarter
    week-1 prompt (bot/services/week_one.plan_ends) pending or sent for a day in [start, end]:
    week 1 is one goal-setting conversation, one prompt a week (guide: "Week 1")."""
    if not engineers:
        return set()
    managers = {e.id: e.manager_id for e in engineers}
    rows = uow.session.execute(
        select(Plan.engineer_id, Plan.manager_id)
        .join(Prompt, Prompt.plan_id == Plan.id)
        .where(
            Plan.engineer_id.in_(list(managers)),
            Prompt.kind == NEXT_QUARTER,
            Prompt.status.in_(PROMPTED),
            Prompt.planned_on >= start,
            Prompt.planned_on <= end,
        )
    ).all()
    return {engineer for engineer, manager in rows if managers.get(engineer) == manager}


def team_completion(uow: UnitOfWork, team_id: str, quarter: str) -> list[Completion]:
    """Per team: engineers on the roster with a manager, by no plan, drafted, agreed."""
    start, end = parse_period(quarter)
    engineers = [p for p in roster_people(uow, team_id) if p.manager_id is not None]
    plans = plans_for(uow, engineers, start, end)
    return completion(
        (e.team_name or "", plans[e.id].status if e.id in plans else None) for e in engineers
    )


def start_cycle(
    uow: UnitOfWork,
    team_id: str,
    quarter: str,
    teams: Iterable[str],
    now: datetime,
    settings: Settings,
    started_by: Person | None = None,
    *,
    known_teams_only: bool = True,
) -> Started:
    """Start the cycle (the caller commits). BadPeriod for a quarter that is not one.
    Refused (nothing recorded, the quarter still free) before a roster was imported, or for a
    team the roster does not have (unless not `known_teams_only`: the tick's CYCLE_TEAMS is
    one list for every workspace); a no-op when the quarter was started for these teams."""
    start, end = parse_period(quarter)
    scope = scope_of(teams)
    rostered = roster_people(uow, team_id)
    if not rostered:
        return Started(quarter, scope, already=False, refused="no_roster")
    known = sorted({p.team_name or "" for p in rostered} - {""})
    unknown = [t for t in scope.split(",") if t and t not in known]
    if unknown and known_teams_only:
        return Started(quarter, scope, False, refused="no_team", unknown=unknown, teams=known)
    covering = _covering(uow, team_id, quarter, scope)
    if covering is not None:
        return Started(quarter, covering, already=True)
    cycle = Cycle(
        team_id=team_id,
        quarter=quarter,
        scope=scope,
        started_at=now,
        started_by_id=started_by.id if started_by is not None else None,
    )
    try:
        with uow.session.begin_nested():
            uow.session.add(cycle)
    except IntegrityError:  # started a moment ago by someone else, or another instance
        return Started(quarter, scope, already=True)
    people = [p for p in rostered if in_scope(p.team_name, scope)]
    engineers = [p for p in people if p.manager is not None]
    left = [p for p in engineers if p.manager is not None and p.manager.deleted]
    engineers = [p for p in engineers if p not in left]
    plans = plans_for(uow, engineers, start, end)
    reached = [e for e in engineers if e.id not in plans]
    before = week_one_prompted(uow, reached, start, end)
    for engineer in (e for e in reached if e.id not in before):
        today = local_date(now, zone_of(engineer, settings))
        enqueue(
            uow,
            WEEK_ONE,
            key=f"cycle:{cycle.id}:week1:{engineer.id}",
            team_id=team_id,
            now=now,
            settings=settings,
            on=max(start, today),
            recipient=engineer,
            subject=("cycle", cycle.id),
            args={"quarter": quarter},
        )
    managers = {e.manager.id: e.manager for e in engineers if e.manager is not None}
    for manager in managers.values():
        enqueue(
            uow,
            MANAGER_STATUS,
            key=f"cycle:{cycle.id}:manager:{manager.id}",
            team_id=team_id,
            now=now,
            settings=settings,
            on=max(start, local_date(now, zone_of(manager, settings))),
            recipient=manager,
            subject=("cycle", cycle.id),
            args={"quarter": quarter, "scope": scope},
        )
    if left and settings.hr_channel_id:
        enqueue(
            uow,
            MANAGER_LEFT,
            key=f"cycle:{cycle.id}:manager_left",
            team_id=team_id,
            now=now,
            settings=settings,
            channel=settings.hr_channel_id,
            subject=("cycle", cycle.id),
            args={
                "quarter": quarter,
                "people": [[p.slack_user_id, p.manager.name if p.manager else ""] for p in left],
            },
        )
    cycle.reached = len(reached)
    return Started(
        quarter,
        scope,
        already=False,
        reached=[e.name or e.slack_user_id for e in reached],
        prompted_before=[e.name or e.slack_user_id for e in reached if e.id in before],
        with_plan=len(plans),
        managers=len(managers),
        manager_left=[p.name or p.slack_user_id for p in left],
    )


def _covering(uow: UnitOfWork, team_id: str, quarter: str, scope: str) -> str | None:
    """The scope of the quarter's cycle started already for the same teams ("" for every
    team, which covers any), or None."""
    scopes = uow.session.scalars(
        select(Cycle.scope).where(Cycle.team_id == team_id, Cycle.quarter == quarter)
    ).all()
    if scope in scopes:
        return scope
    return "" if "" in scopes else None


def cycles_of(uow: UnitOfWork, team_id: str) -> list[Cycle]:
    return list(
        uow.session.scalars(
            select(Cycle).where(Cycle.team_id == team_id).order_by(Cycle.started_at)
        )
    )


class CycleStarter:
    """The tick's question: has this quarter's cycle started? On its first working day (in
    HR's zone and HOLIDAY_COUNTRY's calendar) it starts it for CYCLE_TEAMS, once per team."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], settings: Settings) -> None:
        self._uow_factory = uow_factory
        self._settings = settings
        self._done: str | None = None

    def start_if_due(self, now: datetime) -> list[Started]:
        settings = self._settings
        if settings.cycles == "off":
            return []
        today = local_date(now, settings.hr_zone)
        quarter = due_to_start(today, calendar_for(settings.holiday_country, today))
        if quarter is None or quarter == self._done:
            return []
        teams = [t for t in (settings.cycle_teams or "").split(",") if t.strip()]
        started = []
        with self._uow_factory() as uow:
            rostered = select(Person.team_id).where(Person.on_roster.is_(True)).distinct()
            team_ids = uow.session.scalars(rostered).all()
        for team_id in team_ids:
            with self._uow_factory() as uow:
                uow.write_first()
                result = start_cycle(
                    uow, team_id, quarter, teams, now, settings, known_teams_only=False
                )
                uow.commit()
            if not result.already and not result.refused:
                started.append(result)
        self._done = quarter
        return started
