"""Concerns and the append-only audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import Engine, delete, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from storage.audit import AuditLogIsAppendOnly
from storage.models import AuditEvent, Concern, ConcernConversation, Person
from storage.unit_of_work import UnitOfWork
from tests.conftest import _clean

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=timezone.utc)


def _people(uow: UnitOfWork) -> tuple[Person, Person, Person]:
    def add(user: str) -> Person:
        return uow.people.add(Person(team_id="T1", slack_user_id=user, name=user))

    return add("UMANAGER"), add("UENGINEER"), add("UOTHERMANAGER")


def _concern(manager: Person, engineer: Person, status: str = "open") -> Concern:
    concern = Concern(
        team_id="T1", engineer=engineer, manager=manager, status=status, opened_at=NOW
    )
    concern.conversations.append(
        ConcernConversation(
            team_id="T1",
            number=1,
            held_on=date(2027, 1, 4),
            concern="The last three PRs came back with significant issues after review",
            context_kind="personal",
            context_notes="A personal circumstance was shared",
            expectation="Every PR includes tests for the changed code",
            support="Pairing with Priya on Tuesdays",
            follow_up_on=date(2027, 2, 1),
            recap_requested=True,
            created_at=NOW,
        )
    )
    return concern


def test_a_concern_and_its_conversations_round_trip(uow: UnitOfWork, engine: Engine) -> None:
    with uow:
        manager, engineer, _ = _people(uow)
        concern_id = uow.concerns.add(_concern(manager, engineer)).id
        uow.commit()
    with UnitOfWork.for_engine(engine) as again:
        manager = again.people.get("T1", "UMANAGER")
        engineer = again.people.get("T1", "UENGINEER")
        assert manager is not None and engineer is not None
        found = again.concerns.open_thread(manager, engineer)
        assert found is not None and found.id == concern_id
        [conversation] = found.conversations
        assert conversation.follow_up_on == date(2027, 2, 1)
        assert conversation.recap_requested is True
        assert conversation.context_kind == "personal"
        assert [c.id for c in again.concerns.open_of(manager)] == [concern_id]


def test_one_open_thread_per_engineer_and_manager(uow: UnitOfWork) -> None:
    with uow:
        manager, engineer, other_manager = _people(uow)
        uow.concerns.add(_concern(manager, engineer, status="resolved"))
        uow.concerns.add(_concern(manager, engineer))
        uow.concerns.add(_concern(other_manager, engineer))  # another manager's own record
        uow.commit()
        with pytest.raises(IntegrityError):
            uow.concerns.add(_concern(manager, engineer))


def test_a_concern_is_found_only_through_the_manager_who_recorded_it(uow: UnitOfWork) -> None:
    with uow:
        manager, engineer, other_manager = _people(uow)
        uow.concerns.add(_concern(manager, engineer))
        uow.commit()
        assert uow.concerns.open_thread(other_manager, engineer) is None
        assert uow.concerns.open_of(other_manager) == []


def _event(uow: UnitOfWork, engineer: Person, action: str = "concern.opened") -> AuditEvent:
    return uow.audit.append(
        team_id="T1",
        at=NOW,
        actor_id=None,
        action=action,
        subject_type="concern",
        subject_id=7,
        engineer_id=engineer.id,
        before=None,
        after={"status": "open"},
    )


def test_the_audit_log_appends_and_reads_in_order(uow: UnitOfWork, engine: Engine) -> None:
    with uow:
        _, engineer, _ = _people(uow)
        _event(uow, engineer)
        _event(uow, engineer, "concern.closed")
        uow.commit()
        engineer_id = engineer.id
    with UnitOfWork.for_engine(engine) as again:
        assert [e.action for e in again.audit.for_subject("concern", 7)] == [
            "concern.opened",
            "concern.closed",
        ]
        [first, _] = again.audit.about("T1", engineer_id)
        assert first.after == {"status": "open"} and first.at == NOW


def test_the_session_refuses_to_change_or_delete_an_audit_event(
    uow: UnitOfWork, engine: Engine
) -> None:
    with uow:
        _, engineer, _ = _people(uow)
        event = _event(uow, engineer)
        uow.commit()
        event.action = "concern.rewritten"
        with pytest.raises(AuditLogIsAppendOnly):
            uow.commit()
        uow.rollback()
        uow.session.delete(uow.session.get(AuditEvent, event.id))
        with pytest.raises(AuditLogIsAppendOnly):
            uow.commit()
        uow.rollback()
        for statement in (update(AuditEvent).values(action="x"), delete(AuditEvent)):
            with pytest.raises(AuditLogIsAppendOnly):
                uow.session.execute(statement)
    with UnitOfWork.for_engine(engine) as again:
        assert [e.action for e in again.audit.for_subject("concern", 7)] == ["concern.opened"]


REWRITES = [
    "UPDATE audit_event SET action = 'concern.rewritten'",
    "UPDATE audit_event SET after = NULL WHERE id > 0",
    'UPDATE audit_event SET after = \'{"status": "resolved"}\' WHERE id > 0',
    "UPDATE audit_event SET at = '2027-01-05 09:00:00' WHERE id > 0",
    "DELETE FROM audit_event",
]


@pytest.mark.parametrize("statement", [*REWRITES, "TRUNCATE audit_event"])
def test_postgresql_refuses_update_delete_and_truncate_of_the_audit_log(
    postgresql: Engine, statement: str
) -> None:
    with UnitOfWork.for_engine(postgresql) as uow:
        _, engineer, _ = _people(uow)
        _event(uow, engineer)
        uow.commit()
    # a plain connection: no session, no ORM guard, only the database's own trigger
    with postgresql.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text(statement))
    with postgresql.connect() as conn:
        actions = conn.execute(text("SELECT action FROM audit_event")).scalars().all()
    assert actions == ["concern.opened"]


@pytest.mark.parametrize("statement", REWRITES)
def test_the_database_itself_refuses_to_rewrite_the_audit_log_on_sqlite_and_postgresql(
    engine: Engine, statement: str
) -> None:
    """Not only the application's session: SQL typed into any client is refused too."""
    with UnitOfWork.for_engine(engine) as uow:
        _, engineer, _ = _people(uow)
        _event(uow, engineer)
        uow.commit()

    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))

    with engine.connect() as conn:
        rows = conn.execute(text("SELECT action, after FROM audit_event")).all()
    assert [r[0] for r in rows] == ["concern.opened"] and "open" in str(rows[0][1])


@pytest.mark.parametrize(
    "snapshot",
    ["NULL", '\'{"status": "resolved"}\'', '\'{"redacted": "something else"}\''],
)
def test_the_retention_flag_lets_a_snapshot_be_blanked_and_never_rewritten(
    postgresql: Engine, snapshot: str
) -> None:
    """pdpbot.redact is a setting any client may set; under it, PostgreSQL still refuses
    every new snapshot but storage.audit.REDACTED."""
    with UnitOfWork.for_engine(postgresql) as uow:
        _, engineer, _ = _people(uow)
        _event(uow, engineer)
        uow.commit()

    with pytest.raises(DBAPIError, match="append-only"), postgresql.begin() as conn:
        conn.execute(text("SET LOCAL pdpbot.redact = 'on'"))
        conn.execute(text(f"UPDATE audit_event SET after = {snapshot}"))
    with postgresql.begin() as conn:
        conn.execute(text("SET LOCAL pdpbot.redact = 'on'"))
        conn.execute(text('UPDATE audit_event SET after = \'{"redacted": "retention"}\''))

    with postgresql.connect() as conn:
        after = conn.execute(text("SELECT after::text FROM audit_event")).scalar_one()
    assert "retention" in after


@pytest.fixture
def postgresql(_postgresql_engine: Engine) -> Iterator[Engine]:
    _clean(_postgresql_engine)
    yield _postgresql_engine
    _clean(_postgresql_engine)
