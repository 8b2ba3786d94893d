"""the audit log append-only in the database on SQLite too, and a redaction that can only
blank the snapshots: under pdpbot.redact PostgreSQL let an UPDATE write any snapshot; now
the only new value it takes is {"redacted": "retention"} (storage.audit.REDACTED)

Revision ID: audit_append_only_everywhere
Revises: pip
Create Date: 2026-11-30 20:10:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "audit_append_only_everywhere"
down_revision: str | Sequence[str] | None = "pip"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REDACTED = '{"redacted": "retention"}'  # storage.audit.REDACTED, as JSON

# PostgreSQL: as 0010, and a redaction may leave a snapshot as it was or blank it, nothing else.
REDACT_ONLY = f"""
CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('pdpbot.redact', true) = 'on'
        AND NEW.id = OLD.id AND NEW.team_id = OLD.team_id AND NEW.at = OLD.at
        AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.action = OLD.action
        AND NEW.subject_type = OLD.subject_type AND NEW.subject_id = OLD.subject_id
        AND NEW.engineer_id = OLD.engineer_id
        AND (NEW.before::jsonb IS NOT DISTINCT FROM OLD.before::jsonb
             OR NEW.before::jsonb = '{REDACTED}'::jsonb)
        AND (NEW.after::jsonb IS NOT DISTINCT FROM OLD.after::jsonb
             OR NEW.after::jsonb = '{REDACTED}'::jsonb) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$
"""
# 0010's function, for the downgrade.
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

# SQLite has no session settings: any DELETE is refused, and an UPDATE only when it blanks
# snapshots (what AuditLog.redact does) and leaves everything else as it was. COALESCE: a
# NULL comparison (a snapshot set to NULL) must refuse, not let the UPDATE through.
SQLITE_APPEND_ONLY = (
    """
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused');
END
""",
    f"""
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
WHEN NOT COALESCE((
    NEW.id = OLD.id AND NEW.team_id = OLD.team_id AND NEW.at IS OLD.at
    AND NEW.actor_id IS OLD.actor_id AND NEW.action = OLD.action
    AND NEW.subject_type = OLD.subject_type AND NEW.subject_id = OLD.subject_id
    AND NEW.engineer_id = OLD.engineer_id
    AND (NEW.before IS OLD.before OR json(NEW.before) = json('{REDACTED}'))
    AND (NEW.after IS OLD.after OR json(NEW.after) = json('{REDACTED}'))
), 0)
BEGIN
    SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused');
END
""",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(REDACT_ONLY)
    elif dialect == "sqlite":
        for statement in SQLITE_APPEND_ONLY:
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(REDACTABLE)
    elif dialect == "sqlite":
        for statement in SQLITE_DROP:
            op.execute(statement)
