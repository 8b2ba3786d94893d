from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.audit import AuditLog
from storage.db import make_session_factory
from storage.models import Prompt
from storage.pip_repository import Pips
from storage.repositories import Concerns, Events, People, Plans, Prompts

# Told the ids of outbox rows a transaction added, once it has committed them.
Wake = Callable[[list[int]], None]

_entered = threading.local()


def open_here() -> list[UnitOfWork]:
    """The units of work of this thread with a database transaction open right now. No Slack
    call is made while this is not empty (bot/slack/gateway.py; tests/conftest.py checks it)."""
    return [uow for uow in getattr(_entered, "units", ()) if uow.in_transaction()]


class UnitOfWork:
    """One database transaction: commit explicitly, roll back on anything else."""

    session: Session
    people: People
    plans: Plans
    prompts: Prompts
    events: Events
    concerns: Concerns
    pips: Pips
    audit: AuditLog

    def __init__(self, session_factory: sessionmaker[Session], wake: Wake | None = None) -> None:
        self._session_factory = session_factory
        self._wake = wake
        self._added: list[Prompt] = []

    @classmethod
    def for_engine(cls, engine: Engine, wake: Wake | None = None) -> UnitOfWork:
        return cls(make_session_factory(engine), wake)

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.people = People(self.session)
        self.plans = Plans(self.session)
        self.prompts = Prompts(self.session)
        self.events = Events(self.session)
        self.concerns = Concerns(self.session)
        self.pips = Pips(self.session)
        self.audit = AuditLog(self.session)
        self._added = []
        units = getattr(_entered, "units", None)
        if units is None:
            units = _entered.units = []
        units.append(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._added = []
        self.session.close()  # rolls back what was not committed, keeps loaded objects readable
        units = getattr(_entered, "units", [])
        if self in units:
            units.remove(self)

    def in_transaction(self) -> bool:
        """A transaction is open: something was read or written since the last commit."""
        return "session" in self.__dict__ and self.session.in_transaction()

    def end_transaction(self) -> None:
        """Commit what this transaction read and wrote, so that what comes next (a Slack call)
        holds no lock and no snapshot. Loaded objects stay readable (expire_on_commit=False);
        touching an unloaded relationship afterwards opens a new, short read transaction."""
        if self.in_transaction():
            self.commit()

    def write_first(self) -> UnitOfWork:
        """On SQLite, start with the write lock (BEGIN IMMEDIATE): for work that decides what to
        write from what it reads under the lock (claims, the sender's own-check). Without it a
        transaction begins as a read and takes the lock at its first write (storage/db.py).
        PostgreSQL is unaffected."""
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.connection(execution_options={"sqlite_immediate": True})
        return self

    def wake_after_commit(self, row: Prompt) -> None:
        """`row` was added to the outbox: once it is committed, the sender hears of it."""
        self._added.append(row)

    def commit(self) -> None:
        self.session.commit()
        added, self._added = self._added, []
        if added and self._wake is not None:
            self._wake([row.id for row in added])

    def rollback(self) -> None:
        self._added = []
        self.session.rollback()
