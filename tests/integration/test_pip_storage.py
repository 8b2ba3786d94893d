"""A PIP's rows on SQLite and PostgreSQL: one under way per engineer, its parts in order."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from storage.models import Person
from storage.pip_models import Pip, PipCheckpoint, PipConcern, PipCriterion, PipSupport
from storage.unit_of_work import UnitOfWork

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=timezone.utc)


def _pip(manager: Person, engineer: Person, status: str = "open") -> Pip:
    pip = Pip(
        team_id="T1",
        engineer=engineer,
        manager=manager,
        status=status,
        classification="performance",
        preconditions={"confirmed": ["gap_persistent"], "gap_evidence": "PRs reopened"},
        earlier_iterations=2,
        start_on=date(2027, 3, 1),
        end_on=date(2027, 4, 26),
        weeks=8,
        frequency="weekly",
        consequence="A formal review with HR",
        created_at=NOW,
    )
    pip.concerns.append(PipConcern(team_id="T1", position=1, concern="c", evidence="e"))
    pip.criteria.append(PipCriterion(team_id="T1", position=1, text="Every PR has tests"))
    pip.support.append(PipSupport(team_id="T1", position=1, what="p", who="Priya", how_often="w"))
    pip.checkpoints.append(
        PipCheckpoint(team_id="T1", number=1, due_on=date(2027, 3, 8), overdue_on=date(2027, 3, 11))
    )
    return pip


def _people(uow: UnitOfWork) -> tuple[Person, Person]:
    manager = uow.people.add(Person(team_id="T1", slack_user_id="UM", name="M"))
    engineer = uow.people.add(Person(team_id="T1", slack_user_id="UE", name="E"))
    return manager, engineer


def test_a_pip_and_its_parts_round_trip(uow: UnitOfWork, engine: Engine) -> None:
    with uow:
        manager, engineer = _people(uow)
        pip_id = uow.pips.add(_pip(manager, engineer)).id
        uow.commit()
    with UnitOfWork.for_engine(engine) as again:
        found = again.pips.under_way("T1", engineer.id)
        assert found is not None and found.id == pip_id
        assert [c.text for c in found.criteria] == ["Every PR has tests"]
        assert found.checkpoints[0].assessments == [] and not found.criteria[0].agreed
        assert [p.id for p in again.pips.held_by(manager.id)] == [pip_id]
        assert [p.id for p in again.pips.about("T1", engineer.id)] == [pip_id]


def test_one_pip_under_way_per_engineer(uow: UnitOfWork) -> None:
    with uow:
        manager, engineer = _people(uow)
        uow.pips.add(_pip(manager, engineer, "closed"))
        uow.pips.add(_pip(manager, engineer, "referred"))
        uow.pips.add(_pip(manager, engineer, "preconditions"))
        uow.commit()
        with pytest.raises(IntegrityError):
            uow.pips.add(_pip(manager, engineer, "open"))
