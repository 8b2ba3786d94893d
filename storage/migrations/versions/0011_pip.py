"""pip: a PIP (preconditions, HR person, plan, status, outcome), its concerns with evidence,
success criteria with the engineer's answers, named support, and scheduled checkpoints

Revision ID: pip
Revises: audit_redaction
Create Date: 2026-11-30 19:50:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "pip"
down_revision: str | Sequence[str] | None = "audit_redaction"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "status NOT IN ('closed', 'referred')"


def upgrade() -> None:
    op.create_table(
        "pip",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("engineer_id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("hr_person_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("preconditions", sa.JSON(), nullable=False),
        sa.Column("earlier_iterations", sa.Integer(), nullable=False),
        sa.Column("hr_acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hr_changes", sa.Text(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("weeks", sa.Integer(), nullable=True),
        sa.Column("timeline_justification", sa.Text(), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=True),
        sa.Column("frequency_reason", sa.Text(), nullable=False),
        sa.Column("consequence", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["engineer_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["hr_person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pip") as batch_op:
        batch_op.create_index(batch_op.f("ix_pip_engineer_id"), ["engineer_id"], unique=False)
        batch_op.create_index("ix_pip_manager_status", ["manager_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_pip_team_id"), ["team_id"], unique=False)
        batch_op.create_index(
            "uq_pip_open_per_engineer",
            ["engineer_id"],
            unique=True,
            postgresql_where=sa.text(OPEN),
            sqlite_where=sa.text(OPEN),
        )

    op.create_table(
        "pip_checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("pip_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("overdue_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        sa.Column("working", sa.Text(), nullable=False),
        sa.Column("needs_work", sa.Text(), nullable=False),
        sa.Column("adjustments", sa.Text(), nullable=False),
        sa.Column("next_focus", sa.Text(), nullable=False),
        sa.Column("assessments", sa.JSON(), nullable=False),
        sa.Column("deliveries", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["pip_id"], ["pip.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pip_id", "number"),
    )
    with op.batch_alter_table("pip_checkpoint") as batch_op:
        batch_op.create_index("ix_pip_checkpoint_due", ["due_on", "recorded_at"], unique=False)

    op.create_table(
        "pip_concern",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("pip_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("concern", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["pip_id"], ["pip.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pip_concern") as batch_op:
        batch_op.create_index(batch_op.f("ix_pip_concern_pip_id"), ["pip_id"], unique=False)

    op.create_table(
        "pip_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("pip_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("answered_revision", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["pip_id"], ["pip.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pip_criterion") as batch_op:
        batch_op.create_index(batch_op.f("ix_pip_criterion_pip_id"), ["pip_id"], unique=False)

    op.create_table(
        "pip_support",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("pip_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("how_often", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["pip_id"], ["pip.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pip_support") as batch_op:
        batch_op.create_index(batch_op.f("ix_pip_support_pip_id"), ["pip_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pip_support") as batch_op:
        batch_op.drop_index(batch_op.f("ix_pip_support_pip_id"))

    op.drop_table("pip_support")
    with op.batch_alter_table("pip_criterion") as batch_op:
        batch_op.drop_index(batch_op.f("ix_pip_criterion_pip_id"))

    op.drop_table("pip_criterion")
    with op.batch_alter_table("pip_concern") as batch_op:
        batch_op.drop_index(batch_op.f("ix_pip_concern_pip_id"))

    op.drop_table("pip_concern")
    with op.batch_alter_table("pip_checkpoint") as batch_op:
        batch_op.drop_index("ix_pip_checkpoint_due")

    op.drop_table("pip_checkpoint")
    with op.batch_alter_table("pip") as batch_op:
        batch_op.drop_index(
            "uq_pip_open_per_engineer", postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN)
        )
        batch_op.drop_index(batch_op.f("ix_pip_team_id"))
        batch_op.drop_index("ix_pip_manager_status")
        batch_op.drop_index(batch_op.f("ix_pip_engineer_id"))

    op.drop_table("pip")
