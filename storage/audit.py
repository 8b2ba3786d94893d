"""The audit log: append and read, nothing else. The database itself refuses the rest, to
any client: PostgreSQL refuses UPDATE, DELETE and TRUNCATE in a trigger, SQLite UPDATE and
DELETE in triggers (migration 0012). On either, the session also refuses to flush a change to
an event or to run an UPDATE or DELETE statement against the table.

One exception, for retention (`pdpbot purge`, RETENTION_DAYS): `redact` replaces the
snapshots (`before`, `after`) of a purged record's events by REDACTED. Who did what, when and
to which record stay; only the free text goes. The session allows it only inside `redact`
(a session flag here, `SET LOCAL pdpbot.redact = 'on'` for PostgreSQL's trigger); the
triggers allow an UPDATE only when every column but the snapshots is unchanged and each
snapshot is unchanged or REDACTED, so no client can write a snapshot of its own. The purge
appends an event saying it happened."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Delete, Update, event, inspect, select, text
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from storage.models import AuditEvent

REDACTED: dict[str, Any] = {"redacted": "retention"}
_REDACTING = "pdpbot_audit_redacting"


class AuditLogIsAppendOnly(Exception):
    """Something tried to change or remove an audit event."""


class AuditLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def append(
        self,
        *,
        team_id: str,
        at: datetime,
        actor_id: int | None,
        action: str,
        subject_type: str,
        subject_id: int,
        engineer_id: int,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> AuditEvent:
        entry = AuditEvent(
            team_id=team_id,
            at=at,
            actor_id=actor_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            engineer_id=engineer_id,
            before=before,
            after=after,
        )
        self.session.add(entry)
        return entry

    def redact(self, subject_type: str, subject_id: int) -> int:
        """Retention only: the snapshots of this record's events become REDACTED."""
        events = [e for e in self.for_subject(subject_type, subject_id) if e.before or e.after]
        if not events:
            return 0
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SET LOCAL pdpbot.redact = 'on'"))
        self.session.info[_REDACTING] = True
        try:
            for entry in events:
                entry.before = REDACTED if entry.before is not None else None
                entry.after = REDACTED if entry.after is not None else None
            self.session.flush()
        finally:
            self.session.info.pop(_REDACTING, None)
            if self.session.get_bind().dialect.name == "postgresql":
                self.session.execute(text("SET LOCAL pdpbot.redact = 'off'"))
        return len(events)

    def for_subject(self, subject_type: str, subject_id: int) -> Sequence[AuditEvent]:
        return self.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_type == subject_type, AuditEvent.subject_id == subject_id)
            .order_by(AuditEvent.id)
        ).all()

    def about(self, team_id: str, engineer_id: int) -> Sequence[AuditEvent]:
        """Everything recorded about one engineer, oldest first (for HR's exports)."""
        return self.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.team_id == team_id, AuditEvent.engineer_id == engineer_id)
            .order_by(AuditEvent.id)
        ).all()


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    for instance in (*session.dirty, *session.deleted):
        if isinstance(instance, AuditEvent) and (
            instance in session.deleted or session.is_modified(instance)
        ):
            if instance not in session.deleted and _is_redaction(session, instance):
                continue
            raise AuditLogIsAppendOnly(f"audit event {instance.id} cannot be changed")


def _is_redaction(session: Session, instance: AuditEvent) -> bool:
    if not session.info.get(_REDACTING):
        return False
    state = inspect(instance)
    changed = {a.key for a in state.attrs if a.history.has_changes()}
    return changed <= {"before", "after"} and all(
        getattr(instance, key) in (None, REDACTED) for key in changed
    )


@event.listens_for(Session, "do_orm_execute")
def _refuse_statements(state: ORMExecuteState) -> None:
    statement = state.statement
    if not isinstance(statement, Update | Delete):
        return
    target = getattr(statement.table, "name", None)
    if target == AuditEvent.__tablename__:
        raise AuditLogIsAppendOnly("UPDATE and DELETE of audit_event are refused")
