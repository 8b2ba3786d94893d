from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import Engine, inspect, select, text

from storage.db import make_engine
from storage.migrate import current_revision, downgrade, head_revision, upgrade
from storage.models import Base, Goal, Person, Plan
from storage.unit_of_work import UnitOfWork

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=timezone.utc)


def _person(uow: UnitOfWork, user: str, manager: Person | None = None) -> Person:
    return uow.people.add(
        Person(team_id="T1", slack_user_id=user, name=user, tz="Europe/London", manager=manager)
    )


def test_migrations_reach_head_and_match_the_models(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_every_table_carries_the_slack_team_id() -> None:
    for table in Base.metadata.sorted_tables:
        assert "team_id" in table.columns, table.name


def test_uncommitted_work_is_rolled_back(uow: UnitOfWork, engine: Engine) -> None:
    with uow:
        _person(uow, "U1")
    with UnitOfWork.for_engine(engine) as again:
        assert again.people.get("T1", "U1") is None


def test_a_plan_with_goals_round_trips_with_aware_dates(uow: UnitOfWork, engine: Engine) -> None:
    with uow:
        manager = _person(uow, "UM")
        engineer = _person(uow, "UE", manager)
        plan = uow.plans.add(
            Plan(
                team_id="T1",
                engineer=engineer,
                manager=manager,
                period_start=date(2027, 1, 1),
                period_end=date(2027, 3, 31),
                created_at=NOW,
            )
        )
        plan.goals.append(Goal(team_id="T1", position=0, outcome="x", target_date=date(2027, 3, 1)))
        uow.commit()
    with UnitOfWork.for_engine(engine) as again:
        stored = again.plans.current_for(again.people.get("T1", "UE"))  # type: ignore[arg-type]
        assert stored is not None
        assert stored.created_at == NOW and stored.created_at.tzinfo is not None
        assert [g.outcome for g in stored.goals] == ["x"]


def test_a_stale_plan_version_is_refused(uow: UnitOfWork, engine: Engine) -> None:
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm.exc import StaleDataError

    with uow:
        manager = _person(uow, "UM")
        plan = uow.plans.add(
            Plan(
                team_id="T1",
                engineer=_person(uow, "UE", manager),
                manager=manager,
                period_start=date(2027, 1, 1),
                period_end=date(2027, 3, 31),
                created_at=NOW,
            )
        )
        uow.commit()
        plan_id = plan.id
    with UnitOfWork.for_engine(engine) as first, UnitOfWork.for_engine(engine) as second:
        a = first.plans.get(plan_id)
        b = second.plans.get(plan_id)
        assert a is not None and b is not None
        a.strengths = "tab one"
        first.commit()
        b.strengths = "tab two"
        # PostgreSQL: the version check finds no row; SQLite (WAL): a writer whose snapshot
        # is older than the last commit is refused outright.
        with pytest.raises((StaleDataError, OperationalError)):
            second.commit()
    with UnitOfWork.for_engine(engine) as check:
        assert check.session.scalar(select(Plan.strengths)) == "tab one"


def test_sqlite_runs_with_wal_foreign_keys_a_busy_timeout_and_a_small_cache(
    tmp_path: object,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    with engine.connect() as conn, engine.connect() as second:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        for each in (conn, second):  # every pooled connection: serve's memory stays bounded
            assert each.exec_driver_sql("PRAGMA cache_size").scalar() == -512
    engine.dispose()


def test_migrations_downgrade_to_nothing_and_upgrade_again(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/m.db"
    upgrade(url)
    downgrade(url, "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(url)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM person")).scalar() == 0
    engine.dispose()


def test_the_migrations_build_exactly_the_schema_the_models_describe(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_the_database_refuses_a_second_open_plan_for_one_engineer(
    uow: UnitOfWork, engine: Engine
) -> None:
    from sqlalchemy.exc import IntegrityError

    with uow:
        manager = _person(uow, "UM")
        engineer = _person(uow, "UE", manager)
        for status in ("closed", "closed", "active"):
            uow.plans.add(
                Plan(
                    team_id="T1",
                    engineer=engineer,
                    manager=manager,
                    status=status,
                    period_start=date(2027, 1, 1),
                    period_end=date(2027, 3, 31),
                    created_at=NOW,
                )
            )
        uow.commit()
        with pytest.raises(IntegrityError):
            uow.plans.add(
                Plan(
                    team_id="T1",
                    engineer=engineer,
                    manager=manager,
                    status="draft",
                    period_start=date(2027, 4, 1),
                    period_end=date(2027, 6, 30),
                    created_at=NOW,
                )
            )
