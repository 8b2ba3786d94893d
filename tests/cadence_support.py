"""Active plans written straight to storage, for the cadence tests (no lifecycle needed)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.config import Settings
from bot.services.cadence import schedule_plan
from storage.models import Commitment, Goal, Person, Plan, Prompt
from storage.unit_of_work import UnitOfWork

TZ = {
    "UMAYA": "Europe/London",
    "UANA": "America/Los_Angeles",
    "UBEN": "Europe/London",
    "UCHIDI": "Asia/Kolkata",
    "UHANA": "Europe/London",
}
NAMES = {"UMAYA": "maya", "UANA": "ana", "UBEN": "ben", "UCHIDI": "chidi", "UHANA": "hana"}


def person(uow: UnitOfWork, team: str, user: str, now: datetime, **extra: Any) -> Person:
    found = uow.people.get(team, user)
    if found is not None:
        return found
    return uow.people.add(
        Person(
            team_id=team,
            slack_user_id=user,
            name=NAMES.get(user, user.lower()),
            tz=TZ.get(user, "Europe/London"),
            profile_refreshed_at=now,
            **extra,
        )
    )


def active_plan(
    uow: UnitOfWork,
    settings: Settings,
    now: datetime,
    *,
    team: str = "T0001",
    engineer: str = "UANA",
    manager: str = "UMAYA",
    start: date = date(2027, 1, 4),
    end: date = date(2027, 3, 31),
    review_dates: dict[str, str] | None = None,
    commitments: list[tuple[str, date | None]] = (),  # type: ignore[assignment]
) -> Plan:
    boss = person(uow, team, manager, now)
    report = person(uow, team, engineer, now)
    report.manager_id = boss.id
    plan = Plan(
        team_id=team,
        engineer=report,
        manager=boss,
        status="active",
        period_start=start,
        period_end=end,
        review_dates=review_dates or {},
        created_at=now,
        activated_at=now,
    )
    plan.goals.append(
        Goal(
            team_id=team,
            position=0,
            outcome="Diagnose production latency issues without escalating to senior engineers",
            success="Two incidents led end to end",
            target_date=end,
        )
    )
    for position, (text, due) in enumerate(commitments):
        plan.commitments.append(
            Commitment(team_id=team, position=position, text=text, due_date=due)
        )
    uow.plans.add(plan)
    schedule_plan(uow, plan, settings, now)
    uow.commit()
    return plan


def rows(uow: UnitOfWork, plan_id: int) -> list[Prompt]:
    return sorted(uow.prompts.for_plan(plan_id), key=lambda p: (p.due_at, p.key))
