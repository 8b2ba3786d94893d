"""The tick: find due work in the database, claim it, send it, record the result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update

from bot.config import Settings
from bot.domain.cadence import is_window_passed, local_date, weekly_reminders
from bot.domain.slots import is_good_time, is_late, next_good_time, prompt_week
from bot.services import cadence
from bot.services.people import PROFILE_MAX_AGE, apply_profile
from bot.slack.gateway import SlackFailure, SlackGateway
from bot.slack.views import prompts as views
from storage.models import Person, Prompt
from storage.unit_of_work import UnitOfWork

LEASE = timedelta(minutes=10)
BATCH = 50
MAX_BATCHES = 20
MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=5)


@dataclass
class TickReport:
    sent: int = 0
    missed: int = 0
    undeliverable: int = 0
    failed: int = 0
    deferred: int = 0
    retrying: int = 0
    cancelled: int = 0
    paused: int = 0

    def count(self, outcome: str) -> None:
        if outcome in {f.name for f in fields(self)}:
            setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self) -> str:
        main = (
            f"sent {self.sent}, missed {self.missed}, "
            f"undeliverable {self.undeliverable}, failed {self.failed}"
        )
        extra = [
            f"{name} {n}"
            for name in ("deferred", "retrying", "cancelled", "paused")
            if (n := getattr(self, name))
        ]
        return ", ".join([main, *extra])


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(Prompt.status == "pending", Prompt.due_at <= now),
        and_(Prompt.status == "sending", Prompt.lease_until <= now),
    )


def anything_due(uow_factory: Callable[[], UnitOfWork], now: datetime) -> bool:
    with uow_factory() as uow:
        return uow.session.scalar(select(Prompt.id).where(_due(now)).limit(1)) is not None


def _write_first(uow: UnitOfWork) -> bool:
    """Take SQLite's write lock up front; True on SQLite, where there is one writer."""
    uow.write_first()
    return uow.session.get_bind().dialect.name == "sqlite"


def claim(uow_factory: Callable[[], UnitOfWork], now: datetime) -> list[int]:
    """Mark a batch of due rows as ours for LEASE. Two ticks never claim the same row:
    PostgreSQL skips rows another tick has locked; SQLite has one writer (BEGIN IMMEDIATE)."""
    with uow_factory() as uow:
        session = uow.session
        sqlite = _write_first(uow)
        query = select(Prompt.id).where(_due(now)).order_by(Prompt.due_at).limit(BATCH)
        if not sqlite:
            query = query.with_for_update(skip_locked=True)
        candidates = list(session.scalars(query))
        if not candidates:
            return []
        claimed = session.scalars(
            update(Prompt)
            .where(Prompt.id.in_(candidates), _due(now))
            .values(status="sending", lease_until=now + LEASE, attempts=Prompt.attempts + 1)
            .returning(Prompt.id)
        ).all()
        uow.commit()
        return sorted(claimed)


def run_tick(
    uow_factory: Callable[[], UnitOfWork],
    gateway: SlackGateway,
    now: datetime,
    settings: Settings,
) -> TickReport:
    report = TickReport()
    for _ in range(MAX_BATCHES):
        if not anything_due(uow_factory, now):
            break
        ids = claim(uow_factory, now)
        for prompt_id in ids:
            report.count(deliver(uow_factory, gateway, prompt_id, now, settings))
        if len(ids) < BATCH:
            break
    return report


def deliver(
    uow_factory: Callable[[], UnitOfWork],
    gateway: SlackGateway,
    prompt_id: int,
    now: datetime,
    settings: Settings,
) -> str:
    with uow_factory() as uow:
        _write_first(uow)
        prompt = uow.session.get(Prompt, prompt_id)
        if prompt is None or prompt.status != "sending":
            return "skipped"
        outcome = _deliver(uow, gateway, prompt, now, settings)
        prompt.lease_until = None
        uow.commit()
        return outcome


def _finish(prompt: Prompt, status: str, reason: str) -> str:
    prompt.status, prompt.error = status, reason[:200]
    return status


def _deliver(
    uow: UnitOfWork, gateway: SlackGateway, prompt: Prompt, now: datetime, settings: Settings
) -> str:
    plan = prompt.plan
    if plan is None or plan.status != "active":
        return _finish(prompt, "cancelled", f"the plan is {plan.status if plan else 'gone'}")
    if plan.paused_reason:
        return _finish(prompt, "paused", plan.paused_reason)
    skip = _reason_to_skip(uow, prompt, now, settings)
    if skip:
        return _finish(prompt, *skip)
    audience = cadence.recipients(prompt, settings)
    if is_late(prompt.due_at, now) and not is_good_time(now, audience):
        prompt.deferred_from = prompt.deferred_from or prompt.due_at
        prompt.due_at = next_good_time(now, audience, settings.prompt_hour)
        _finish(prompt, "pending", "late: held until working hours")
        return "deferred"
    late = prompt.deferred_from is not None or is_late(prompt.due_at, now)
    try:
        gone = _refresh_people(uow, gateway, prompt, now, settings)
        if gone is not None:
            return _finish(prompt, "paused", cadence.pause_plans_of(uow, gone))
        channel, thread = _channel(gateway, prompt)
        message = _message(prompt, late)
        ts = gateway.post(channel, message.text, message.blocks, thread_ts=thread)
    except SlackFailure as exc:
        if exc.permanent:
            return _finish(prompt, "undeliverable", f"{exc.method}: {exc.error}")
        if prompt.attempts >= MAX_ATTEMPTS:
            return _finish(prompt, "failed", f"{exc.method}: {exc.error}")
        prompt.due_at = now + RETRY_AFTER * prompt.attempts
        _finish(prompt, "pending", f"{exc.method}: {exc.error}")
        return "retrying"
    prompt.status, prompt.error = "sent", None
    prompt.channel, prompt.ts, prompt.sent_at = channel, ts, now
    _after_sent(uow, prompt, now, settings)
    return "sent"


def _reason_to_skip(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> tuple[str, str] | None:
    if prompt.kind == cadence.REMINDER:
        commitment = prompt.commitment
        if commitment is None or commitment.status != "pending":
            return "cancelled", f"the commitment is {commitment.status if commitment else 'gone'}"
        return None
    if prompt.kind == cadence.NUDGE:
        parent = prompt.parent
        if parent is None or parent.status != "sent":
            return "cancelled", "the check-in is no longer open"
        if parent.engineer_answered_at and parent.manager_answered_at:
            return "cancelled", "both have answered"
        return None
    others = [
        r
        for r in cadence.prompts_of(uow, prompt.plan)  # type: ignore[arg-type]
        if r.kind in cadence.REVIEW_KINDS and r.id != prompt.id
    ]
    later = sorted(
        (
            r
            for r in others
            if r.planned_on > prompt.planned_on and r.status in (*cadence.OPEN, "sent")
        ),
        key=lambda r: r.due_at,
    )
    if later and is_window_passed(prompt.due_at, later[0].due_at, now):
        return "missed", f"the {later[0].kind.replace('_', ' ')} was already due"
    tz = cadence.zone_of(cadence.audience(prompt)[0], settings)
    this_week = prompt_week(now, tz)
    for other in others:
        if other.status == "sent" and other.sent_at and prompt_week(other.sent_at, tz) == this_week:
            return "missed", "the pair already had a prompt for this plan this week"
    return None


def _refresh_people(
    uow: UnitOfWork, gateway: SlackGateway, prompt: Prompt, now: datetime, settings: Settings
) -> Person | None:
    """users.info for anyone not looked up for a while; the first deactivated person, if any."""
    for person in cadence.audience(prompt):
        refreshed = person.profile_refreshed_at
        if refreshed is None or now - refreshed >= PROFILE_MAX_AGE:
            tz = person.tz
            apply_profile(person, gateway.user_info(person.slack_user_id), now)
            if person.tz != tz and not person.deleted:
                cadence.reslot_person(uow, person, settings, now)
        if person.deleted:
            return person
    return None


def _channel(gateway: SlackGateway, prompt: Prompt) -> tuple[str, str | None]:
    plan = prompt.plan
    assert plan is not None
    if prompt.kind == cadence.NUDGE:
        parent = prompt.parent
        assert parent is not None and parent.channel is not None
        return parent.channel, parent.ts
    if prompt.kind == cadence.REMINDER:
        if prompt.channel is None:
            prompt.channel = gateway.open_conversation([plan.manager.slack_user_id])
        return prompt.channel, None
    if plan.dm_channel_id is None:
        users = [plan.manager.slack_user_id, plan.engineer.slack_user_id]
        plan.dm_channel_id = gateway.open_conversation(users)
    return plan.dm_channel_id, None


def _message(prompt: Prompt, late: bool) -> views.Message:
    plan = prompt.plan
    assert plan is not None
    if prompt.kind == cadence.REMINDER:
        assert prompt.commitment is not None
        return views.reminder(prompt, prompt.commitment, plan, late=late)
    if prompt.kind == cadence.NUDGE:
        parent = prompt.parent
        assert parent is not None
        waiting = [
            person.name
            for person, at in (
                (plan.engineer, parent.engineer_answered_at),
                (plan.manager, parent.manager_answered_at),
            )
            if at is None
        ]
        return views.nudge(parent, plan, waiting)
    return views.plan_prompt(prompt, plan, late=late)


def _after_sent(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> None:
    plan = prompt.plan
    assert plan is not None
    if prompt.kind in cadence.CHECKIN_KINDS:
        cadence.add_nudge(uow, prompt, settings, now)
    elif prompt.kind == cadence.NUDGE and prompt.parent is not None:
        prompt.parent.nudged_at = now
    elif prompt.kind == cadence.REMINDER and prompt.commitment is not None:
        commitment = prompt.commitment
        assert commitment.due_date is not None
        today = local_date(now, cadence.zone_of(plan.manager, settings))
        following = weekly_reminders(commitment.due_date, today + timedelta(days=1))
        cadence.add_reminder(uow, plan, commitment, prompt.occurrence + 1, following, settings, now)
