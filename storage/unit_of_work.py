from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_session_factory
from storage.repositories import Events, People, Plans, Prompts


class UnitOfWork:
    """One database transaction: commit explicitly, roll back on anything else."""

    session: Session
    people: People
    plans: Plans
    prompts: Prompts
    events: Events

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    @classmethod
    def for_engine(cls, engine: Engine) -> UnitOfWork:
        return cls(make_session_factory(engine))

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.people = People(self.session)
        self.plans = Plans(self.session)
        self.prompts = Prompts(self.session)
        self.events = Events(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.close()  # rolls back what was not committed, keeps loaded objects readable

    def write_first(self) -> UnitOfWork:
        """On SQLite, start with the write lock (BEGIN IMMEDIATE), so a request that reads and
        then writes waits its turn instead of failing when another commits first. SQLite has
        one writer anyway; PostgreSQL is unaffected."""
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.connection(execution_options={"sqlite_immediate": True})
        return self

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
