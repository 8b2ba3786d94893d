"""roster: a person's team, working days and place on the org roster; manager claims
waiting for the manager's confirmation; cycles started per quarter

Revision ID: roster
Revises: audit_append_only_everywhere
Create Date: 2026-11-30 20:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "roster"
down_revision: str | Sequence[str] | None = "audit_append_only_everywhere"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person") as batch_op:
        batch_op.add_column(sa.Column("team_name", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("working_days", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("on_roster", sa.Boolean(), nullable=False, server_default=sa.text("false"))
        )
    op.create_table(
        "manager_claim",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("engineer_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("manager_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_manager_claim_engineer", "manager_claim", ["engineer_id", "status"])
    op.create_table(
        "cycle",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_by_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("reached", sa.Integer(), nullable=False),
        sa.UniqueConstraint("team_id", "quarter", "scope"),
    )


def downgrade() -> None:
    op.drop_table("cycle")
    op.drop_index("ix_manager_claim_engineer", table_name="manager_claim")
    op.drop_table("manager_claim")
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_column("on_roster")
        batch_op.drop_column("working_days")
        batch_op.drop_column("team_name")
