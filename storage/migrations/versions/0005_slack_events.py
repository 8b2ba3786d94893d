"""slack events handled once; the profile's Slack `updated` stamp

Revision ID: slack_events
Revises: 0004
Create Date: 2026-11-27 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "slack_events"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_event",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index("ix_slack_event_received_at", "slack_event", ["received_at"])
    with op.batch_alter_table("person") as batch_op:
        batch_op.add_column(sa.Column("profile_updated", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_column("profile_updated")
    op.drop_index("ix_slack_event_received_at", table_name="slack_event")
    op.drop_table("slack_event")
