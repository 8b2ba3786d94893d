"""cadence: nudges point at their prompt; late work remembers when it was held back

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:28:31.805092

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("prompt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("deferred_from", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            "fk_prompt_parent_id_prompt", "prompt", ["parent_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    with op.batch_alter_table("prompt", schema=None) as batch_op:
        batch_op.drop_constraint("fk_prompt_parent_id_prompt", type_="foreignkey")
        batch_op.drop_column("deferred_from")
        batch_op.drop_column("parent_id")
