from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns them aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


OPEN_PLAN_CONDITION = "status IN ('draft', 'awaiting_manager', 'awaiting_engineer', 'active')"


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSON()}


class Person(Base):
    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("team_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    slack_user_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), default="")
    tz: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(2))
    is_bot: Mapped[bool] = mapped_column(default=False)
    deleted: Mapped[bool] = mapped_column(default=False)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    away_until: Mapped[date | None]
    profile_refreshed_at: Mapped[datetime | None]
    # Slack's `updated` (epoch seconds) of the profile last applied: an older one is ignored.
    profile_updated: Mapped[int | None] = mapped_column(BigInteger)
    # The bot's one-to-one DM with them, once opened (conversations.open), so it is opened once.
    dm_channel_id: Mapped[str | None] = mapped_column(String(32))
    # When retention anonymised them (name, zone and country gone); None: never.
    purged_at: Mapped[datetime | None]
    # The roster (pdpbot import): their team, their working days when not their country's
    # week ("Sun-Thu"), and whether the org file lists them (cycles reach everyone on it).
    team_name: Mapped[str | None] = mapped_column(String(80))
    working_days: Mapped[str | None] = mapped_column(String(40))
    on_roster: Mapped[bool] = mapped_column(default=False, server_default=text("false"))

    manager: Mapped[Person | None] = relationship(remote_side=[id])


class Plan(Base):
    __tablename__ = "plan"
    __table_args__ = (
        Index("ix_plan_engineer_status", "engineer_id", "status"),
        # One open plan per engineer, whichever window or instance tries to start another.
        Index(
            "uq_plan_open_per_engineer",
            "engineer_id",
            unique=True,
            postgresql_where=text(OPEN_PLAN_CONDITION),
            sqlite_where=text(OPEN_PLAN_CONDITION),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    engineer_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(String(24), default="draft")
    period_start: Mapped[date]
    period_end: Mapped[date]
    review_dates: Mapped[dict[str, Any]] = mapped_column(default=dict)
    strengths: Mapped[str] = mapped_column(Text, default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    aspiration: Mapped[str] = mapped_column(Text, default="")
    target_role: Mapped[str] = mapped_column(Text, default="")
    manager_perspective: Mapped[str] = mapped_column(Text, default="")
    reflection_achieved: Mapped[str] = mapped_column(Text, default="")
    reflection_changed: Mapped[str] = mapped_column(Text, default="")
    reflection_carry_forward: Mapped[str] = mapped_column(Text, default="")
    # The manager adds their perspective on the quarter; the engineer writes the reflection.
    reflection_manager: Mapped[str] = mapped_column(Text, default="", server_default="")
    dm_channel_id: Mapped[str | None] = mapped_column(String(32))
    previous_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    paused_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    activated_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # When retention anonymised it (every text replaced; counts and dates kept).
    purged_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    engineer: Mapped[Person] = relationship(foreign_keys=[engineer_id])
    manager: Mapped[Person] = relationship(foreign_keys=[manager_id])
    goals: Mapped[list[Goal]] = relationship(
        back_populates="plan", order_by="Goal.position", cascade="all, delete-orphan"
    )
    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="plan", order_by="Commitment.position", cascade="all, delete-orphan"
    )
    reviews: Mapped[list[ReviewEntry]] = relationship(
        back_populates="plan", order_by="ReviewEntry.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class Goal(Base):
    __tablename__ = "goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    outcome: Mapped[str] = mapped_column(Text)
    success: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None]
    how: Mapped[str] = mapped_column(Text, default="")
    support: Mapped[str] = mapped_column(Text, default="")
    capability_ref: Mapped[str] = mapped_column(Text, default="")
    manager_comment: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[str] = mapped_column(String(16), default="not_started")
    carried_count: Mapped[int] = mapped_column(default=0)
    carry_forward: Mapped[bool] = mapped_column(default=False)
    # How the period ended for it: achieved, partly, not_achieved, dropped (the reflection).
    end_state: Mapped[str | None] = mapped_column(String(16))
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"))

    plan: Mapped[Plan] = relationship(back_populates="goals")


class Commitment(Base):
    __tablename__ = "commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    delivered_at: Mapped[datetime | None]
    # Why it is not delivered yet, or no longer needed: the explicit trade-off conversation.
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    reason_on: Mapped[date | None]

    plan: Mapped[Plan] = relationship(back_populates="commitments")


class ReviewEntry(Base):
    __tablename__ = "review_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    prompt_id: Mapped[int | None] = mapped_column(ForeignKey("prompt.id"))
    occurred_on: Mapped[date]
    created_at: Mapped[datetime]
    progress: Mapped[str] = mapped_column(Text, default="")
    blockers: Mapped[str] = mapped_column(Text, default="")
    adjustments: Mapped[str] = mapped_column(Text, default="")
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)

    plan: Mapped[Plan] = relationship(back_populates="reviews")
    author: Mapped[Person] = relationship()


class Prompt(Base):
    """A unit of due work: one message the bot owes someone at a time (a cadence prompt, or a
    message to another person in the outbox). Its kind (bot/services/outbox) says whom it is
    for, where it goes and how it is rendered when it is sent. The database is the truth."""

    __tablename__ = "prompt"
    __table_args__ = (
        UniqueConstraint("key"),
        Index("ix_prompt_due", "status", "due_at"),
        Index("ix_prompt_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(120))
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan.id", ondelete="CASCADE"), index=True
    )
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitment.id"))
    kind: Mapped[str] = mapped_column(String(32))
    occurrence: Mapped[int] = mapped_column(default=1)
    planned_on: Mapped[date]
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    lease_until: Mapped[datetime | None]
    # The claim that owns a `sending` row; every write after a Slack call checks it is still ours.
    claimed_by: Mapped[str | None] = mapped_column(String(36))
    # When an attempt to post began and was not yet recorded as done: the message may be in
    # Slack already, so whoever claims the row next looks for it before posting again.
    attempt_started_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None]
    engineer_answered_at: Mapped[datetime | None]
    manager_answered_at: Mapped[datetime | None]
    nudged_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    # The prompt a nudge is about; set on nudges only.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("prompt.id", ondelete="CASCADE"))
    # When work found late (after downtime) was held back to the recipients' working hours.
    deferred_from: Mapped[datetime | None]
    # Whose DM it goes to, for kinds sent to one person.
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # What it is about, for kinds rendered from a record other than the plan ("review_entry", 7).
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    # Small values its kind renders with, besides what the database holds.
    args: Mapped[dict[str, Any] | None]

    plan: Mapped[Plan | None] = relationship()
    recipient: Mapped[Person | None] = relationship()
    commitment: Mapped[Commitment | None] = relationship()
    parent: Mapped[Prompt | None] = relationship(remote_side=[id])


class SlackEvent(Base):
    """An Events API delivery already handled: Slack re-sends an event (X-Slack-Retry-Num)
    when its first delivery was slow or failed, and every instance must handle it once."""

    __tablename__ = "slack_event"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(index=True)


OPEN_CONCERN_CONDITION = "status = 'open'"


class Concern(Base):
    """An early-intervention thread: the recording manager's private record of the honest
    conversations about one engineer. It stays with that manager when the engineer moves."""

    __tablename__ = "concern"
    __table_args__ = (
        Index("ix_concern_manager_status", "manager_id", "status"),
        # One open thread per engineer and manager: a second /pdp-concern continues it.
        Index(
            "uq_concern_open_per_pair",
            "engineer_id",
            "manager_id",
            unique=True,
            postgresql_where=text(OPEN_CONCERN_CONDITION),
            sqlite_where=text(OPEN_CONCERN_CONDITION),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    engineer_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, resolved, formal
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    # When retention anonymised it (its conversations' texts replaced; dates kept).
    purged_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    engineer: Mapped[Person] = relationship(foreign_keys=[engineer_id])
    manager: Mapped[Person] = relationship(foreign_keys=[manager_id])
    conversations: Mapped[list[ConcernConversation]] = relationship(
        back_populates="thread",
        order_by="ConcernConversation.number",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}


class ConcernConversation(Base):
    """One conversation of a thread (an iteration): the guide's five parts, when it happened,
    and how its follow-up went."""

    __tablename__ = "concern_conversation"
    __table_args__ = (UniqueConstraint("concern_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    concern_id: Mapped[int] = mapped_column(ForeignKey("concern.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1-based iteration within the thread
    held_on: Mapped[date]
    concern: Mapped[str] = mapped_column(Text)
    context_kind: Mapped[str | None] = mapped_column(String(16))  # system, personal, performance
    context_notes: Mapped[str] = mapped_column(Text, default="")  # never leaves the manager's DM
    expectation: Mapped[str] = mapped_column(Text)
    support: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date]
    recap_requested: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str | None] = mapped_column(String(16))  # resolved, another, formal
    followed_up_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    thread: Mapped[Concern] = relationship(back_populates="conversations")


class AuditEvent(Base):
    """Append-only: who did what to confidential material (concerns now, PIPs later), when,
    with the values before and after. Never updated or deleted: PostgreSQL and SQLite refuse
    both in triggers (retention may only blank a snapshot, storage/audit.py); the repository
    offers append and read only, and the session refuses the rest."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_subject", "subject_type", "subject_id"),
        Index("ix_audit_event_engineer", "team_id", "engineer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))  # None: the bot
    action: Mapped[str] = mapped_column(String(48))  # "concern.opened", "pip.checkpoint", ...
    subject_type: Mapped[str] = mapped_column(String(24))  # "concern", "pip", ...
    subject_id: Mapped[int]
    engineer_id: Mapped[int] = mapped_column(ForeignKey("person.id"))  # whom it is about
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]


# HR's, the PIP's and the roster's tables live in their own modules; importing them here puts
# them in Base.metadata wherever the models are (migrations, tests, the app).
from storage import hr_models, pip_models, roster_models  # noqa: E402, F401
