"""one open plan per engineer, enforced by the database

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 13:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "status IN ('draft', 'awaiting_manager', 'awaiting_engineer', 'active')"


def upgrade() -> None:
    op.create_index(
        "uq_plan_open_per_engineer",
        "plan",
        ["engineer_id"],
        unique=True,
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("uq_plan_open_per_engineer", table_name="plan")
