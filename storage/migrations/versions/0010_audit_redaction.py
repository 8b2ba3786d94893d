"""audit redaction and concern.purged_at: retention may replace the snapshots of a purged
record's audit events, nothing else, and only inside AuditLog.redact
(SET LOCAL pdpbot.redact = 'on')

Revision ID: audit_redaction
Revises: concerns_and_audit_log
Create Date: 2026-11-30 18:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "audit_redaction"
down_revision: str | Sequence[str] | None = "concerns_and_audit_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The append-only trigger, letting through one thing: an UPDATE under pdpbot.redact that
# changes the snapshots and nothing else (who, what, when and which record stay).
REDACTABLE = """
CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('pdpbot.redact', true) = 'on'
        AND NEW.id = OLD.id AND NEW.team_id = OLD.team_id AND NEW.at = OLD.at
        AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.action = OLD.action
        AND NEW.subject_type = OLD.subject_type AND NEW.subject_id = OLD.subject_id
        AND NEW.engineer_id = OLD.engineer_id THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$
"""
STRICT = """
CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$
"""


def upgrade() -> None:
    with op.batch_alter_table("concern") as batch_op:
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(REDACTABLE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(STRICT)
    with op.batch_alter_table("concern") as batch_op:
        batch_op.drop_column("purged_at")
