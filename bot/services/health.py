"""Cadence health from the database: a quarter's facts (bot/domain/health.py reads them) for
every plan and PIP of a Slack workspace, per team (the roster's) and per manager."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.config import Settings
from bot.domain.cadence import local_date, quarter_bounds
from bot.domain.calibration import parse_period
from bot.domain.cycles import quarter_label
from bot.domain.health import (
    CheckinFact,
    CommitmentFact,
    Facts,
    Figures,
    Health,
    PipFact,
    ReviewFact,
    health,
)
from bot.domain.periods import parse_agreed
from bot.services.cadence import CHECKIN_KINDS, zone_of
from storage.models import Person, Plan, Prompt
from storage.unit_of_work import UnitOfWork

NO_TEAM = "(no team)"
AGREED = ("active", "closed")


def _team(person: Person) -> str:
    return person.team_name or NO_TEAM


def _name(person: Person) -> str:
    return person.name or person.slack_user_id


def facts_for(uow: UnitOfWork, team_id: str, start: date, end: date, settings: Settings) -> Facts:
    """Every agreed review date, commitment and check-in of the plans agreed for the period,
    and every PIP running in it."""
    plans = uow.session.scalars(
        select(Plan)
        .where(
            Plan.team_id == team_id,
            Plan.status.in_(AGREED),
            Plan.period_start <= end,
            Plan.period_end >= start,
        )
        .options(selectinload(Plan.reviews), selectinload(Plan.commitments))
    ).all()
    facts = Facts()
    for plan in plans:
        team, manager = _team(plan.engineer), _name(plan.manager)
        held = tuple(sorted(r.occurred_on for r in plan.reviews))
        for on in parse_agreed(plan.review_dates or {}).values():
            if start <= on <= end:
                facts.reviews.append(ReviewFact(team, manager, on, held))
        for c in plan.commitments:
            if c.due_date is not None and start <= c.due_date <= end:
                at = c.delivered_at
                delivered = local_date(at, zone_of(plan.manager, settings)) if at else None
                facts.commitments.append(
                    CommitmentFact(team, manager, c.due_date, c.status, delivered)
                )
    _checkins(uow, facts, list(plans), start, end, settings)
    _pips(uow, facts, team_id, start, end)
    return facts


def _checkins(
    uow: UnitOfWork, facts: Facts, plans: list[Plan], start: date, end: date, settings: Settings
) -> None:
    if not plans:
        return
    by_id = {p.id: p for p in plans}
    rows = uow.session.scalars(
        select(Prompt).where(
            Prompt.plan_id.in_(list(by_id)),
            Prompt.kind.in_(CHECKIN_KINDS),
            Prompt.status == "sent",
            Prompt.sent_at.is_not(None),
        )
    )
    for row in rows:
        plan = by_id[row.plan_id]  # type: ignore[index]
        assert row.sent_at is not None
        sent_on = local_date(row.sent_at, zone_of(plan.engineer, settings))
        if start <= sent_on <= end:
            facts.checkins.append(
                CheckinFact(
                    _team(plan.engineer),
                    _name(plan.manager),
                    sent_on,
                    row.engineer_answered_at is not None,
                    row.manager_answered_at is not None,
                )
            )


def _pips(uow: UnitOfWork, facts: Facts, team_id: str, start: date, end: date) -> None:
    for pip in uow.pips.of_team(team_id, under_way=False):
        if pip.start_on is None or pip.start_on > end or (pip.end_on or end) < start:
            continue
        recorded = [c for c in pip.checkpoints if c.recorded_at is not None]
        deliveries = [d for c in recorded for d in (c.deliveries or [])]
        facts.pips.append(
            PipFact(
                _team(pip.engineer),
                _name(pip.manager),
                len(recorded),
                all(d.get("delivery") == "yes" for d in deliveries),
            )
        )


def quarter_health(
    uow: UnitOfWork, team_id: str, today: date, settings: Settings, quarter: str | None = None
) -> tuple[str, Health]:
    """This quarter's figures as of today (or a past quarter's, read at its last day)."""
    start, end = parse_period(quarter) if quarter is not None else quarter_bounds(today)
    on = min(today, end)
    return quarter_label(start), health(facts_for(uow, team_id, start, end, settings), on)


def recent_quarters(today: date, count: int = 4) -> list[tuple[str, date, date]]:
    """The last `count` quarters up to today's, oldest first: (label, start, end)."""
    quarters = []
    start, end = quarter_bounds(today)
    for _ in range(count):
        quarters.append((quarter_label(start), start, end))
        start, end = quarter_bounds(start - timedelta(days=1))
    return list(reversed(quarters))


def review_trend(
    uow: UnitOfWork, team_id: str, today: date, settings: Settings, count: int = 4
) -> dict[str, dict[str, int | None]]:
    """Per team, the on-time review rate (percent) of each of the last quarters."""
    result: dict[str, dict[str, int | None]] = {}
    for label, start, end in recent_quarters(today, count):
        figures = health(facts_for(uow, team_id, start, end, settings), min(today, end))
        for team, f in figures.teams.items():
            result.setdefault(team, {})[label] = f.reviews_on_time.percent
    return dict(sorted(result.items()))


def manager_figures(
    uow: UnitOfWork, manager: Person, now: datetime, settings: Settings
) -> tuple[str, Figures | None]:
    """This quarter's figures of the plans the manager holds (None: nothing due yet)."""
    today = local_date(now, zone_of(manager, settings))
    label, figures = quarter_health(uow, manager.team_id, today, settings)
    return label, figures.managers.get(_name(manager))
