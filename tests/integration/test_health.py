"""Cadence health on a seeded organisation, against figures worked out by hand (comments
below): reviews held on time, commitments delivered by their date, check-ins answered, PIPs
with their support fully delivered; per team, per manager and overall."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.config import Settings
from bot.domain.health import Ratio
from bot.services.health import quarter_health, review_trend
from storage.models import Commitment, Person, Plan, Prompt, ReviewEntry
from storage.pip_models import Pip, PipCheckpoint
from storage.unit_of_work import UnitOfWork

TEAM = "T0001"
TODAY = date(2027, 3, 1)
SETTINGS = Settings(database_url="sqlite://", cycles="off")


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def person(
    uow: UnitOfWork, user: str, name: str, team: str, manager: Person | None = None
) -> Person:
    p = Person(
        team_id=TEAM,
        slack_user_id=user,
        name=name,
        tz="Europe/London",
        team_name=team,
        on_roster=True,
        manager=manager,
    )
    uow.session.add(p)
    return p


def plan(
    uow: UnitOfWork,
    engineer: Person,
    manager: Person,
    dates: dict[str, date],
    start: date = date(2027, 1, 1),
    end: date = date(2027, 3, 31),
) -> Plan:
    p = Plan(
        team_id=TEAM,
        engineer=engineer,
        manager=manager,
        status="active",
        period_start=start,
        period_end=end,
        review_dates={k: v.isoformat() for k, v in dates.items()},
        created_at=at(start),
        activated_at=at(start),
    )
    uow.session.add(p)
    return p


def held(p: Plan, *days: date) -> None:
    for day in days:
        p.reviews.append(
            ReviewEntry(
                team_id=TEAM, kind="review", author=p.manager, occurred_on=day, created_at=at(day)
            )
        )


def commitment(p: Plan, due: date, status: str, delivered: date | None = None) -> None:
    p.commitments.append(
        Commitment(
            team_id=TEAM,
            position=len(p.commitments),
            text="x",
            due_date=due,
            status=status,
            delivered_at=at(delivered) if delivered else None,
        )
    )


def checkin(uow: UnitOfWork, p: Plan, n: int, sent: date, engineer: bool, manager: bool) -> None:
    uow.session.add(
        Prompt(
            team_id=TEAM,
            key=f"plan:{p.id}:progress_check:{n}",
            plan=p,
            kind="progress_check",
            occurrence=n,
            planned_on=sent,
            due_at=at(sent),
            status="sent",
            sent_at=at(sent),
            attempts=1,
            created_at=at(sent),
            engineer_answered_at=at(sent) if engineer else None,
            manager_answered_at=at(sent) if manager else None,
        )
    )


def seed(uow: UnitOfWork) -> None:
    maya = person(uow, "UMAYA", "Maya", "Platform")
    otto = person(uow, "UOTTO", "Otto", "Data")
    ana = person(uow, "UANA", "Ana", "Platform", maya)
    chidi = person(uow, "UCHIDI", "Chidi", "Data", otto)
    # Platform (Maya): reviews due by 1 Mar (their week over): 4 Jan, 25 Jan, 22 Feb (22 Mar
    # is not due). Held 5 Jan and 25 Jan: 4 Jan and 25 Jan on time, 22 Feb not -> 2/3.
    a = plan(
        uow,
        ana,
        maya,
        {
            "1": date(2027, 1, 4),
            "4": date(2027, 1, 25),
            "8": date(2027, 2, 22),
            "12": date(2027, 3, 22),
        },
    )
    held(a, date(2027, 1, 5), date(2027, 1, 25))
    # Commitments due by 1 Mar: 20 Jan delivered 18 Jan (on time), 10 Feb delivered 15 Feb
    # (late), 20 Feb pending (not delivered); 1 Feb withdrawn and 15 Mar (not due) left out
    # -> 1/3.
    commitment(a, date(2027, 1, 20), "delivered", date(2027, 1, 18))
    commitment(a, date(2027, 2, 10), "delivered", date(2027, 2, 15))
    commitment(a, date(2027, 2, 20), "pending")
    commitment(a, date(2027, 2, 1), "withdrawn")
    commitment(a, date(2027, 3, 15), "pending")
    # Data (Otto): reviews 4 Jan and 25 Jan, held only on 14 Jan (10 and 11 days off) -> 0/2.
    c = plan(uow, chidi, otto, {"1": date(2027, 1, 4), "4": date(2027, 1, 25)})
    held(c, date(2027, 1, 14))
    uow.session.flush()
    # Check-ins sent a week or more before 1 Mar: Ana's two (one answered by both, one by
    # Ana only) -> 1/2; Chidi's one answered by both -> 1/1; one sent 26 Feb is not due yet.
    checkin(uow, a, 1, date(2027, 1, 25), True, True)
    checkin(uow, a, 2, date(2027, 2, 22), True, False)
    checkin(uow, c, 1, date(2027, 1, 25), True, True)
    checkin(uow, c, 2, date(2027, 2, 26), False, False)
    # PIPs: Chidi's, two checkpoints recorded, every support item delivered -> 1/1 (Data);
    # a third checkpoint not recorded yet does not count.
    pip = Pip(
        team_id=TEAM,
        engineer=chidi,
        manager=otto,
        status="open",
        classification="performance",
        start_on=date(2027, 1, 11),
        end_on=date(2027, 3, 8),
        weeks=8,
        created_at=at(date(2027, 1, 11)),
    )
    for n, (due, recorded) in enumerate(
        [(date(2027, 1, 18), True), (date(2027, 1, 25), True), (date(2027, 2, 1), False)], 1
    ):
        pip.checkpoints.append(
            PipCheckpoint(
                team_id=TEAM,
                number=n,
                due_on=due,
                overdue_on=due,
                recorded_at=at(due) if recorded else None,
                deliveries=[{"support_id": 1, "delivery": "yes"}] if recorded else [],
            )
        )
    uow.session.add(pip)
    uow.commit()


def test_health_per_team_and_manager_matches_the_hand_computed_figures(uow: UnitOfWork) -> None:
    with uow:
        seed(uow)
        label, figures = quarter_health(uow, TEAM, TODAY, SETTINGS)
    assert label == "2027Q1"
    platform, data = figures.teams["Platform"], figures.teams["Data"]
    assert platform.reviews_on_time == Ratio(2, 3) and platform.reviews_on_time.percent == 67
    assert platform.commitments_on_time == Ratio(1, 3)
    assert platform.checkins_answered == Ratio(1, 2)
    assert platform.pips_supported == Ratio(0, 0) and platform.pips_supported.percent is None
    assert data.reviews_on_time == Ratio(0, 2)
    assert data.commitments_on_time == Ratio(0, 0)
    assert data.checkins_answered == Ratio(1, 1)
    assert data.pips_supported == Ratio(1, 1)
    assert figures.managers["Maya"] == platform and figures.managers["Otto"] == data
    assert figures.overall.reviews_on_time == Ratio(2, 5)
    assert figures.overall.checkins_answered == Ratio(2, 3)


def test_the_trend_gives_each_teams_on_time_review_rate_per_quarter(uow: UnitOfWork) -> None:
    with uow:
        seed(uow)
        trend = review_trend(uow, TEAM, TODAY, SETTINGS, count=2)
    assert trend == {"Data": {"2027Q1": 0}, "Platform": {"2027Q1": 67}}
