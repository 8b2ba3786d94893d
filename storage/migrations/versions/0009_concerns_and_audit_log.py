"""early-intervention concerns, and the append-only audit log

Revision ID: concerns_and_audit_log
Revises: hr_digests
Create Date: 2026-11-30 16:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "concerns_and_audit_log"
down_revision: str | Sequence[str] | None = "hr_digests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "status = 'open'"

# PostgreSQL refuses every UPDATE, DELETE and TRUNCATE of the audit log, whoever asks.
APPEND_ONLY = (
    """
CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
""",
    """
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only()
""",
    """
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only()
""",
)
DROP_APPEND_ONLY = (
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_is_append_only()",
)


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("subject_type", sa.String(length=24), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("engineer_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["engineer_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.create_index("ix_audit_event_engineer", ["team_id", "engineer_id"])
        batch_op.create_index("ix_audit_event_subject", ["subject_type", "subject_id"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in APPEND_ONLY:
            op.execute(statement)

    op.create_table(
        "concern",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("engineer_id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["engineer_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["manager_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("concern") as batch_op:
        batch_op.create_index(batch_op.f("ix_concern_engineer_id"), ["engineer_id"])
        batch_op.create_index("ix_concern_manager_status", ["manager_id", "status"])
        batch_op.create_index(batch_op.f("ix_concern_team_id"), ["team_id"])
        batch_op.create_index(
            "uq_concern_open_per_pair",
            ["engineer_id", "manager_id"],
            unique=True,
            postgresql_where=sa.text(OPEN),
            sqlite_where=sa.text(OPEN),
        )

    op.create_table(
        "concern_conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("concern", sa.Text(), nullable=False),
        sa.Column("context_kind", sa.String(length=16), nullable=True),
        sa.Column("context_notes", sa.Text(), nullable=False),
        sa.Column("expectation", sa.Text(), nullable=False),
        sa.Column("support", sa.Text(), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=False),
        sa.Column("recap_requested", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("followed_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["concern_id"], ["concern.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("concern_id", "number"),
    )


def downgrade() -> None:
    op.drop_table("concern_conversation")
    with op.batch_alter_table("concern") as batch_op:
        batch_op.drop_index(
            "uq_concern_open_per_pair", postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN)
        )
        batch_op.drop_index(batch_op.f("ix_concern_team_id"))
        batch_op.drop_index("ix_concern_manager_status")
        batch_op.drop_index(batch_op.f("ix_concern_engineer_id"))
    op.drop_table("concern")
    if op.get_bind().dialect.name == "postgresql":
        for statement in DROP_APPEND_ONLY:
            op.execute(statement)
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.drop_index("ix_audit_event_subject")
        batch_op.drop_index("ix_audit_event_engineer")
    op.drop_table("audit_event")
