"""Retention: a purge keeps counts and dates and removes names and free text."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, func, select

from bot.fakeslack import FakeSlack
from bot.runtime import build_runtime
from bot.services.purge import REMOVED, purge
from storage.audit import REDACTED, AuditLogIsAppendOnly
from storage.models import (
    Commitment,
    Concern,
    ConcernConversation,
    Goal,
    Person,
    Plan,
    ReviewEntry,
)
from storage.unit_of_work import UnitOfWork
from tests.conftest import Clock, settings_for
from tests.hr_support import MARK, seed

CLOSED = datetime(2027, 3, 31, 17, tzinfo=timezone.utc)


def close(uow: UnitOfWork, slack_id: str) -> None:
    plan = uow.session.scalars(
        select(Plan)
        .join(Person, Person.id == Plan.engineer_id)
        .where(Person.slack_user_id == slack_id)
    ).one()
    plan.status, plan.closed_at = "closed", CLOSED


def counts(uow: UnitOfWork) -> dict[str, int]:
    return {
        model.__tablename__: uow.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Person, Plan, Goal, Commitment, ReviewEntry)
    }


def texts_of(uow: UnitOfWork, slack_id: str) -> str:
    person = uow.session.scalars(select(Person).where(Person.slack_user_id == slack_id)).one()
    plan = uow.session.scalars(select(Plan).where(Plan.engineer_id == person.id)).one()
    parts = [person.name, plan.strengths, plan.difficulties, plan.aspiration]
    parts += [g.outcome + g.success for g in plan.goals]
    parts += [c.text for c in plan.commitments]
    parts += [r.progress + r.blockers + repr(r.answers) for r in plan.reviews]
    return " ".join(parts)


def test_a_purge_keeps_counts_and_dates_and_removes_names_and_free_text(uow: UnitOfWork) -> None:
    with uow:
        seed(uow.session)
        close(uow, "UCHIDI")
        close(uow, "UOTTO")
        uow.commit()
        before = counts(uow)
        report = purge(uow, date(2027, 4, 1), CLOSED + timedelta(days=2))
    assert (report.plans, report.people) == (2, 1)  # Otto is deactivated; Chidi is not
    with uow:
        assert counts(uow) == before
        chidi = texts_of(uow, "UCHIDI")
        otto = texts_of(uow, "UOTTO")
        assert MARK not in chidi and MARK not in otto
        assert REMOVED in chidi
        assert "Otto" not in otto  # gone from Slack and from pdpbot
        assert "Chidi Eze" in chidi  # still works here: their name stays
        plan = uow.session.scalars(
            select(Plan)
            .join(Person, Person.id == Plan.engineer_id)
            .where(Person.slack_user_id == "UCHIDI")
        ).one()
        assert plan.closed_at == CLOSED and plan.period_start == date(2027, 1, 4)
        assert [c.status for c in plan.commitments] == ["pending", "pending", "delivered"]
        assert [(g.carried_count, g.progress) for g in plan.goals] == [
            (2, "not_started"),
            (3, "on_track"),
            (1, "not_started"),
        ]
        open_plan = texts_of(uow, "UANA")
        assert MARK in open_plan  # open plans are not touched


def test_a_dry_run_changes_nothing(uow: UnitOfWork) -> None:
    with uow:
        seed(uow.session)
        close(uow, "UCHIDI")
        uow.commit()
        report = purge(uow, date(2027, 4, 1), CLOSED, dry_run=True)
    assert report.plans == 1
    with uow:
        assert MARK in texts_of(uow, "UCHIDI")


def test_a_plan_closed_on_the_day_is_kept(uow: UnitOfWork) -> None:
    with uow:
        seed(uow.session)
        close(uow, "UCHIDI")
        uow.commit()
        assert purge(uow, date(2027, 3, 31), CLOSED).plans == 0


def test_the_tick_applies_the_retention_period_once_a_day(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    settings = settings_for(fake_slack).model_copy(update={"retention_days": 90})
    clock = Clock(CLOSED + timedelta(days=89))
    runtime = build_runtime(settings, clock=clock, engine=engine)
    with runtime.uow() as uow:
        seed(uow.session)
        close(uow, "UCHIDI")
        uow.commit()
    runtime.tick()
    with runtime.uow() as uow:
        assert MARK in texts_of(uow, "UCHIDI")  # 89 days: kept
    clock.now = CLOSED + timedelta(days=91)
    runtime.tick()
    with runtime.uow() as uow:
        assert MARK not in texts_of(uow, "UCHIDI")


def _closed_concern(uow: UnitOfWork) -> Concern:
    maya = uow.session.scalars(select(Person).where(Person.slack_user_id == "UMAYA")).one()
    ana = uow.session.scalars(select(Person).where(Person.slack_user_id == "UANA")).one()
    concern = Concern(
        team_id="T0001",
        engineer=ana,
        manager=maya,
        status="resolved",
        opened_at=CLOSED - timedelta(days=60),
        closed_at=CLOSED,
    )
    concern.conversations.append(
        ConcernConversation(
            team_id="T0001",
            number=1,
            held_on=date(2027, 1, 20),
            concern=f"{MARK} PRs came back with issues",
            context_kind="personal",
            context_notes=f"{MARK} a personal circumstance",
            expectation=f"{MARK} tests in every PR",
            support=f"{MARK} pairing",
            follow_up_on=date(2027, 2, 17),
            created_at=CLOSED - timedelta(days=60),
        )
    )
    uow.session.add(concern)
    uow.session.flush()
    for action in ("concern.opened", "concern.resolved"):
        uow.audit.append(
            team_id="T0001",
            at=CLOSED,
            actor_id=maya.id,
            action=action,
            subject_type="concern",
            subject_id=concern.id,
            engineer_id=ana.id,
            before=None if action == "concern.opened" else {"status": "open"},
            after={"conversation": {"context_notes": f"{MARK} a personal circumstance"}},
        )
    return concern


def test_a_purged_concern_keeps_its_dates_loses_its_texts_and_its_audit_snapshots(
    uow: UnitOfWork,
) -> None:
    with uow:
        seed(uow.session)
        concern_id = _closed_concern(uow).id
        uow.commit()
        report = purge(uow, date(2027, 4, 1), CLOSED + timedelta(days=2))
    assert report.concerns == 1
    with uow:
        concern = uow.session.get(Concern, concern_id)
        assert concern is not None
        [conversation] = concern.conversations
        assert (conversation.held_on, conversation.follow_up_on) == (
            date(2027, 1, 20),
            date(2027, 2, 17),
        )
        assert MARK not in repr(
            [conversation.concern, conversation.context_notes, conversation.expectation]
        )
        events = uow.audit.for_subject("concern", concern_id)
        assert [e.action for e in events] == [
            "concern.opened",
            "concern.resolved",
            "concern.purged",
        ]
        assert MARK not in repr([(e.before, e.after) for e in events])
        assert events[1].before == REDACTED and events[0].before is None
        assert events[2].after == {"closed_before": "2027-04-01", "texts": "removed"}
        assert events[2].actor_id is None


def test_redaction_is_refused_outside_a_purge(uow: UnitOfWork) -> None:
    with uow:
        seed(uow.session)
        concern_id = _closed_concern(uow).id
        uow.commit()
        event = uow.audit.for_subject("concern", concern_id)[0]
        event.after = REDACTED
        with pytest.raises(AuditLogIsAppendOnly):
            uow.session.flush()


def test_postgresql_lets_a_redaction_change_the_snapshots_only(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with UnitOfWork.for_engine(engine) as uow:
        seed(uow.session)
        concern_id = _closed_concern(uow).id
        uow.commit()
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL pdpbot.redact = 'on'"))
        conn.execute(
            text("UPDATE audit_event SET after = CAST(:r AS json) WHERE subject_id = :i"),
            {"r": '{"redacted": "retention"}', "i": concern_id},
        )
    for statement in (
        "UPDATE audit_event SET action = 'concern.rewritten'",
        "UPDATE audit_event SET after = NULL",
        "DELETE FROM audit_event",
    ):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("SET LOCAL pdpbot.redact = 'on'"))
            conn.execute(text(statement))
