"""The roster's records: a claim "my manager is…" waiting for the manager's one button, and
each cycle started (a quarter, for every team or some), so starting one twice is a no-op."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models import Base, Person


class ManagerClaim(Base):
    """Someone says who their manager is (App Home, or the manager a draft names, for people
    not on the roster); the line counts once that manager confirms."""

    __tablename__ = "manager_claim"
    __table_args__ = (Index("ix_manager_claim_engineer", "engineer_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    engineer_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # confirmed, declined
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]

    engineer: Mapped[Person] = relationship(foreign_keys=[engineer_id])
    manager: Mapped[Person] = relationship(foreign_keys=[manager_id])


class Cycle(Base):
    """A quarter's goal-setting cycle, for every team (`scope` "") or the teams named in it
    (sorted, comma-separated)."""

    __tablename__ = "cycle"
    __table_args__ = (UniqueConstraint("team_id", "quarter", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    quarter: Mapped[str] = mapped_column(String(8))  # "2027Q1"
    scope: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime]
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))  # None: the bot
    reached: Mapped[int] = mapped_column(default=0)  # engineers sent the week-1 prompt
