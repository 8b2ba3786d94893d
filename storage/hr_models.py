"""HR's records: each digest as it was posted (the items it listed, so its thread and its
buttons show the same thing whenever they are read) and who nudged a manager about what."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class HrDigest(Base):
    """One digest of one day. Its items are names, dates, numbers and statuses only."""

    __tablename__ = "hr_digest"
    __table_args__ = (UniqueConstraint("team_id", "on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    on: Mapped[date]  # the HR channel's local date it is for
    channel: Mapped[str | None] = mapped_column(String(32))
    # "digest": counts and items; "empty": one line; "not_private": one line, no names
    form: Mapped[str] = mapped_column(String(16), default="digest")
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]


class HrNudge(Base):
    """An HR member nudged a manager about an item of the digest (`item_key`)."""

    __tablename__ = "hr_nudge"
    __table_args__ = (Index("ix_hr_nudge_item", "team_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    item_key: Mapped[str] = mapped_column(String(120))
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("hr_digest.id", ondelete="SET NULL"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    nudged_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    nudged_at: Mapped[datetime]
