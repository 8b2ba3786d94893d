"""A PIP's records (issue 12). The guide's formal process: the five preconditions with their
evidence, HR from the start, the plan (concerns with evidence, criteria the engineer agreed,
a timeline, a checkpoint frequency, the consequence, named support), its checkpoints and its
outcome. Every change is also appended to the audit log (subject_type "pip").

Confidential: only the engineer, their manager and members of the private HR channel may read
these rows (bot/domain/policy.py); HR's digests and exports read them through
bot/services/pip_facts.py. /work/notes/pip.md describes the schema for other features."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models import Base, Person

# preconditions: waiting for the HR person; changes_requested: HR asked for changes;
# planning: HR acknowledged, the manager writes the plan; ready: the plan is written, the
# opening conversation is due; open: the engineer has the plan; closed: an outcome;
# referred: classified as conduct or capability, recorded and stopped.
PIP_STATUSES = ("preconditions", "changes_requested", "planning", "ready", "open", "closed")
OPEN_PIP_CONDITION = "status NOT IN ('closed', 'referred')"


class Pip(Base):
    __tablename__ = "pip"
    __table_args__ = (
        Index("ix_pip_manager_status", "manager_id", "status"),
        # One PIP under way per engineer, whichever window tries to start another.
        Index(
            "uq_pip_open_per_engineer",
            "engineer_id",
            unique=True,
            postgresql_where=text(OPEN_PIP_CONDITION),
            sqlite_where=text(OPEN_PIP_CONDITION),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    engineer_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    hr_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    status: Mapped[str] = mapped_column(String(24), default="preconditions")
    # performance, conduct or capability (the guide's condition 4)
    classification: Mapped[str] = mapped_column(String(16))
    # The preconditions as confirmed: {"confirmed": [...], "gap_evidence": "...",
    # "expectations_evidence": "...", "conversations_evidence": "...",
    # "support_evidence": "...", "justification": "..."}
    preconditions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Early-intervention conversations recorded about the engineer when it was started.
    earlier_iterations: Mapped[int] = mapped_column(default=0)
    hr_acknowledged_at: Mapped[datetime | None]
    hr_changes: Mapped[str] = mapped_column(Text, default="")  # HR's last "ask for changes"
    start_on: Mapped[date | None]
    end_on: Mapped[date | None]
    weeks: Mapped[int | None]
    timeline_justification: Mapped[str] = mapped_column(Text, default="")
    frequency: Mapped[str | None] = mapped_column(String(16))  # weekly, fortnightly
    frequency_reason: Mapped[str] = mapped_column(Text, default="")
    consequence: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime | None]  # the manager marked the opening conversation held
    received_at: Mapped[datetime | None]  # the engineer pressed "I have received this"
    # met_early, met, extended (while it runs on), not_met, role_fit
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    engineer: Mapped[Person] = relationship(foreign_keys=[engineer_id])
    manager: Mapped[Person] = relationship(foreign_keys=[manager_id])
    hr_person: Mapped[Person | None] = relationship(foreign_keys=[hr_person_id])
    concerns: Mapped[list[PipConcern]] = relationship(
        order_by="PipConcern.position", cascade="all, delete-orphan"
    )
    criteria: Mapped[list[PipCriterion]] = relationship(
        order_by="PipCriterion.position", cascade="all, delete-orphan"
    )
    support: Mapped[list[PipSupport]] = relationship(
        order_by="PipSupport.position", cascade="all, delete-orphan"
    )
    checkpoints: Mapped[list[PipCheckpoint]] = relationship(
        order_by="PipCheckpoint.number", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class PipConcern(Base):
    """A specific concern of the plan, with its evidence."""

    __tablename__ = "pip_concern"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    pip_id: Mapped[int] = mapped_column(ForeignKey("pip.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    concern: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)


class PipCriterion(Base):
    """A success criterion. `revision` counts its wordings; the engineer's answer holds for
    `agreed_revision` only, so a criterion changed after they agreed asks them again."""

    __tablename__ = "pip_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    pip_id: Mapped[int] = mapped_column(ForeignKey("pip.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(default=1)
    # "agreed" ("Yes: if I achieve that, I should be considered to have met the
    # requirement") or "commented"; None: not answered for this revision.
    answer: Mapped[str | None] = mapped_column(String(16))
    answered_revision: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]

    @property
    def agreed(self) -> bool:
        return self.answer == "agreed" and self.answered_revision == self.revision


class PipSupport(Base):
    """A named support item: what, who, how often; its delivery is recorded per checkpoint."""

    __tablename__ = "pip_support"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    pip_id: Mapped[int] = mapped_column(ForeignKey("pip.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    what: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(Text)
    how_often: Mapped[str] = mapped_column(Text)


class PipCheckpoint(Base):
    """A scheduled checkpoint (created when the PIP opens, `due_on` in the manager's
    calendar), filled in when the manager records it."""

    __tablename__ = "pip_checkpoint"
    __table_args__ = (
        UniqueConstraint("pip_id", "number"),
        Index("ix_pip_checkpoint_due", "due_on", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    pip_id: Mapped[int] = mapped_column(ForeignKey("pip.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1-based; the last one is the final review on the end date
    due_on: Mapped[date]
    overdue_on: Mapped[date]  # two working days after due_on, unrecorded
    recorded_at: Mapped[datetime | None]
    recorded_on: Mapped[date | None]  # the manager's local date it was recorded
    working: Mapped[str] = mapped_column(Text, default="")  # named recognition
    needs_work: Mapped[str] = mapped_column(Text, default="")
    adjustments: Mapped[str] = mapped_column(Text, default="")  # to support
    next_focus: Mapped[str] = mapped_column(Text, default="")
    # [{"criterion_id": 3, "status": "met", "evidence": "..."}], in criterion order
    assessments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # [{"support_id": 4, "delivery": "yes|partly|no|not_attended", "reason": "..."}]
    deliveries: Mapped[list[Any]] = mapped_column(JSON, default=list)
