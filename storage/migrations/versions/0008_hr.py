"""hr: each HR digest as posted, who nudged a manager about which item, and when retention
anonymised a plan or a person

Revision ID: hr_digests
Revises: outbox
Create Date: 2026-11-30 18:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "hr_digests"
down_revision: str | Sequence[str] | None = "outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plan") as batch_op:
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("person") as batch_op:
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "hr_digest",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("form", sa.String(length=16), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("team_id", "on"),
    )
    op.create_table(
        "hr_nudge",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("item_key", sa.String(length=120), nullable=False),
        sa.Column(
            "digest_id",
            sa.Integer(),
            sa.ForeignKey("hr_digest.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("manager_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("nudged_by_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("nudged_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_hr_nudge_item", "hr_nudge", ["team_id", "item_key"])


def downgrade() -> None:
    op.drop_index("ix_hr_nudge_item", table_name="hr_nudge")
    op.drop_table("hr_nudge")
    op.drop_table("hr_digest")
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_column("purged_at")
    with op.batch_alter_table("plan") as batch_op:
        batch_op.drop_column("purged_at")
