from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_session_factory
from storage.repositories import People, Plans, Prompts


class UnitOfWork:
    """One database transaction: commit explicitly, roll back on anything else."""

    session: Session
    people: People
    plans: Plans
    prompts: Prompts

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
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.close()  # rolls back what was not committed, keeps loaded objects readable

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
