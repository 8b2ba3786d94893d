"""reflection end states per goal, the manager's perspective on the quarter, and the reason
given when a commitment is not yet delivered or no longer needed

Revision ID: reflection_and_reasons
Revises: slack_events
Create Date: 2026-11-30 17:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "reflection_and_reasons"
down_revision: str | Sequence[str] | None = "slack_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("goal") as batch_op:
        batch_op.add_column(sa.Column("end_state", sa.String(length=16), nullable=True))
    with op.batch_alter_table("plan") as batch_op:
        batch_op.add_column(
            sa.Column("reflection_manager", sa.Text(), nullable=False, server_default="")
        )
    with op.batch_alter_table("commitment") as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("reason_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("commitment") as batch_op:
        batch_op.drop_column("reason_on")
        batch_op.drop_column("reason")
    with op.batch_alter_table("plan") as batch_op:
        batch_op.drop_column("reflection_manager")
    with op.batch_alter_table("goal") as batch_op:
        batch_op.drop_column("end_state")
