"""A company for the reliability runs: engineers and their managers in five time zones, each
engineer with an active quarterly plan and one manager commitment, in a fake Slack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from bot.config import Settings
from bot.fakeslack import FakeSlack
from bot.services.cadence import schedule_plan
from storage.models import Commitment, Goal, Person, Plan
from storage.unit_of_work import UnitOfWork

UTC = timezone.utc
TEAM = "T0CHAOS"
SECRET = "chaos-signing-secret"
ZONES = ("Europe/London", "America/New_York", "Asia/Kolkata", "Europe/Berlin", "America/Chicago")
REPORTS_PER_MANAGER = 8
QUARTER = (date(2027, 1, 4), date(2027, 3, 31))
START = datetime(2027, 1, 4, 6, 0, tzinfo=UTC)
# What people type into their plans and reviews: everything Slack would turn into a ping or a
# link if the bot sent it unescaped.
HOSTILE = (
    "Cut p99 <200ms & errors >1% <!channel> <!here> <@UPWNED> <#CPWNED> <https://evil.example|docs>"
)
PINGS = ("!channel", "!here", "!everyone", "@UPWNED", "#CPWNED", "https://evil.example|docs")


@dataclass(frozen=True)
class Pair:
    engineer: str
    manager: str
    plan_id: int


def engineer_id(n: int) -> str:
    return f"UENG{n:04d}"


def manager_id(n: int) -> str:
    return f"UMGR{n // REPORTS_PER_MANAGER:04d}"


def settings(api_url: str, database_url: str = "sqlite://") -> Settings:
    return Settings(
        slack_bot_token="xoxb-chaos",
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
        database_url=database_url,
        hr_digest="off",
    )


def people(fake: FakeSlack, engineers: int) -> None:
    """The engineers and their managers, as Slack knows them."""
    for n in range(engineers):
        zone = ZONES[n % len(ZONES)]
        fake.add_user(engineer_id(n), name=f"eng{n}", real_name=f"Engineer {n}", tz=zone)
        boss = manager_id(n)
        if fake.user(boss) is None:
            fake.add_user(boss, name=boss.lower(), real_name=f"Manager {boss[4:]}", tz=zone)


def plans(
    uow_factory: Callable[[], UnitOfWork],
    settings_: Settings,
    engineers: int,
    now: datetime = START,
) -> list[Pair]:
    """An active plan for the quarter per engineer, scheduled as activation schedules it."""
    pairs: list[Pair] = []
    start, end = QUARTER
    for n in range(engineers):
        with uow_factory() as uow:
            boss = _person(uow, manager_id(n), ZONES[n % len(ZONES)], now)
            report = _person(uow, engineer_id(n), ZONES[n % len(ZONES)], now)
            report.manager_id = boss.id
            plan = Plan(
                team_id=TEAM,
                engineer=report,
                manager=boss,
                status="active",
                period_start=start,
                period_end=end,
                review_dates={},
                strengths=HOSTILE,
                difficulties="Performance work on the storage layer",
                aspiration="Senior engineer within 18 months",
                created_at=now - timedelta(days=3),
                submitted_at=now - timedelta(days=2),
                activated_at=now,
            )
            plan.goals.append(
                Goal(
                    team_id=TEAM,
                    position=0,
                    outcome=HOSTILE,
                    success="Two incidents led end to end",
                    target_date=end,
                )
            )
            plan.commitments.append(
                Commitment(
                    team_id=TEAM,
                    position=0,
                    text=f"Pair on the next latency incident {HOSTILE}",
                    due_date=start + timedelta(days=40),
                )
            )
            uow.plans.add(plan)
            schedule_plan(uow, plan, settings_, now)
            uow.commit()
            pairs.append(Pair(engineer_id(n), manager_id(n), plan.id))
    return pairs


def _person(uow: UnitOfWork, user: str, zone: str, now: datetime) -> Person:
    found = uow.people.get(TEAM, user)
    if found is not None:
        return found
    return uow.people.add(
        Person(
            team_id=TEAM, slack_user_id=user, name=user.lower(), tz=zone, profile_refreshed_at=now
        )
    )
