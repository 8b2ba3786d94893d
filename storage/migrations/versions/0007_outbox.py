"""outbox: a prompt row for any message the bot owes, to a person, the pair or a channel

Revision ID: outbox
Revises: reflection_and_reasons
Create Date: 2026-11-30 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "outbox"
down_revision: str | Sequence[str] | None = "reflection_and_reasons"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("prompt") as batch_op:
        batch_op.add_column(sa.Column("recipient_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("subject_type", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("subject_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("args", sa.JSON(), nullable=True))
        batch_op.create_foreign_key(
            "fk_prompt_recipient_id_person", "person", ["recipient_id"], ["id"]
        )
        batch_op.create_index("ix_prompt_subject", ["subject_type", "subject_id"])
    with op.batch_alter_table("person") as batch_op:
        batch_op.add_column(sa.Column("dm_channel_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_column("dm_channel_id")
    with op.batch_alter_table("prompt") as batch_op:
        batch_op.drop_index("ix_prompt_subject")
        batch_op.drop_constraint("fk_prompt_recipient_id_person", type_="foreignkey")
        batch_op.drop_column("args")
        batch_op.drop_column("subject_id")
        batch_op.drop_column("subject_type")
        batch_op.drop_column("recipient_id")
