"""SQLite's one write lock is held only while writing: a transaction begins as a read and takes
the lock at its first write (storage/db.py), so readers never queue behind a writer, and a
read followed by a write never fails because another connection committed in between."""

from __future__ import annotations

import threading

from sqlalchemy import Engine, select

from storage.models import Person
from storage.unit_of_work import UnitOfWork, open_here


def _person(uow: UnitOfWork, user: str) -> Person:
    return uow.people.add(Person(team_id="T1", slack_user_id=user, name=user))


def test_a_read_takes_no_write_lock_while_another_writes(sqlite_engine: Engine) -> None:
    with UnitOfWork.for_engine(sqlite_engine) as writer:
        writer.write_first()
        _person(writer, "UWRITER")
        writer.session.flush()  # the write lock is held from here to the commit
        read_done = threading.Event()

        def read() -> None:
            with UnitOfWork.for_engine(sqlite_engine) as reader:
                reader.session.scalars(select(Person)).all()
            read_done.set()

        thread = threading.Thread(target=read)
        thread.start()
        assert read_done.wait(5), "a read waited for the write lock"
        thread.join()
        writer.commit()


def test_a_read_then_a_write_survives_another_commit_in_between(sqlite_engine: Engine) -> None:
    with UnitOfWork.for_engine(sqlite_engine) as first:
        _person(first, "UFIRST")
        first.commit()
    with UnitOfWork.for_engine(sqlite_engine) as slow:
        person = slow.session.scalars(select(Person)).one()  # a read: the snapshot is taken
        with UnitOfWork.for_engine(sqlite_engine) as other:
            _person(other, "UOTHER")
            other.commit()  # committed after the slow one's snapshot
        person.name = "renamed"
        slow.commit()  # a plain upgrade would fail here with "database is locked"
    with UnitOfWork.for_engine(sqlite_engine) as check:
        names = sorted(p.name for p in check.session.scalars(select(Person)))
    assert names == ["UOTHER", "renamed"]


def test_end_transaction_leaves_nothing_open_and_objects_readable(engine: Engine) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        person = _person(uow, "UONE")
        uow.session.flush()
        assert open_here() == [uow]
        uow.end_transaction()
        assert open_here() == []
        assert person.slack_user_id == "UONE"
    with UnitOfWork.for_engine(engine) as uow:
        assert uow.people.get("T1", "UONE") is not None  # end_transaction committed it
