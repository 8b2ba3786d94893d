"""The tick: find due work in the database, claim it, send it, record the result.

A claim is a token written on the rows it takes, with a lease. Each row then goes through
short transactions with Slack calls between them, never inside one (SQLite has one writer,
and a button press must not wait for Slack): check the row is still ours and decide; look
people up and open the conversation; mark that a post is starting; post; record the result.
Every write checks the row is still ours (same token, still `sending`) under a row lock
(PostgreSQL) or the write lock (SQLite), so a claim that outlived its lease changes nothing.
A row claimed again after a post may have begun is first looked for in Slack, by the key in
its message metadata, so a crash between posting and recording never posts it twice."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update

from bot.config import Settings
from bot.domain.cadence import is_window_passed, local_date
from bot.domain.slots import is_good_time, is_late, next_good_time, prompt_week, slot
from bot.services import cadence
from bot.services.people import PROFILE_MAX_AGE, apply_profile
from bot.slack.gateway import SlackFailure, SlackGateway
from bot.slack.views import prompts as views
from storage.models import Person, Prompt
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
BATCH = 50
MAX_BATCHES = 20
MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=5)
# Our clock and Slack's may disagree a little: look back this much further for an earlier post.
CLOCK_SKEW = timedelta(minutes=2)

Clock = Callable[[], datetime]
UowFactory = Callable[[], UnitOfWork]


def running_clock(start: datetime) -> Clock:
    """`start`, moving on with real time: leases and attempt marks are taken from it, so a
    slow tick does not hand out leases that ran out while it was still working."""
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


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


def _due(at: datetime) -> ColumnElement[bool]:
    return or_(
        and_(Prompt.status == "pending", Prompt.due_at <= at),
        and_(Prompt.status == "sending", Prompt.lease_until <= at),
    )


def anything_due(uow_factory: UowFactory, at: datetime) -> bool:
    """Two index probes rather than one OR: under LIMIT 1 PostgreSQL planned the OR as a
    scan of the whole prompt table, which grows with every prompt ever sent (bench/tick.py)."""
    probes = (
        select(Prompt.id)
        .where(Prompt.status == "pending", Prompt.due_at <= at)
        .order_by(Prompt.due_at)
        .limit(1),
        select(Prompt.id).where(Prompt.status == "sending", Prompt.lease_until <= at).limit(1),
    )
    with uow_factory() as uow:
        return any(uow.session.scalar(probe) is not None for probe in probes)


def _write_first(uow: UnitOfWork) -> bool:
    """Take SQLite's write lock up front; True on SQLite, where there is one writer."""
    uow.write_first()
    return uow.session.get_bind().dialect.name == "sqlite"


@dataclass(frozen=True)
class Claim:
    token: str
    ids: list[int]


def claim(uow_factory: UowFactory, clock: Clock) -> Claim:
    """Mark a batch of due rows as ours (a fresh token) for LEASE from now. Two ticks never
    claim the same row: PostgreSQL skips rows another tick has locked; SQLite has one writer."""
    token = str(uuid.uuid4())
    with uow_factory() as uow:
        session = uow.session
        sqlite = _write_first(uow)
        at = clock()
        query = select(Prompt.id).where(_due(at)).order_by(Prompt.due_at).limit(BATCH)
        if not sqlite:
            query = query.with_for_update(skip_locked=True)
        candidates = list(session.scalars(query))
        if not candidates:
            return Claim(token, [])
        claimed = session.scalars(
            update(Prompt)
            .where(Prompt.id.in_(candidates), _due(at))
            .values(
                status="sending",
                claimed_by=token,
                lease_until=clock() + LEASE,
                attempts=Prompt.attempts + 1,
            )
            .returning(Prompt.id)
        ).all()
        uow.commit()
        return Claim(token, sorted(claimed))


def run_tick(
    uow_factory: UowFactory,
    gateway: SlackGateway,
    now: datetime,
    settings: Settings,
    clock: Clock | None = None,
) -> TickReport:
    """Send what is due at `now`. One row going wrong never stops the others."""
    clock = clock or running_clock(now)
    report = TickReport()
    for _ in range(MAX_BATCHES):
        if not anything_due(uow_factory, clock()):
            break
        batch = claim(uow_factory, clock)
        for prompt_id in batch.ids:
            report.count(
                _deliver_guarded(uow_factory, gateway, prompt_id, batch.token, now, settings, clock)
            )
        if len(batch.ids) < BATCH:
            break
    return report


def _deliver_guarded(
    uow_factory: UowFactory,
    gateway: SlackGateway,
    prompt_id: int,
    token: str,
    now: datetime,
    settings: Settings,
    clock: Clock,
) -> str:
    try:
        return deliver(uow_factory, gateway, prompt_id, token, now, settings, clock)
    except Exception as exc:  # a bug or an outage for this row: retry it, then give up
        log.exception("delivering prompt %s failed", _key_of(uow_factory, prompt_id))
        try:
            reason = f"{type(exc).__name__}: {exc}"
            return _record_failure(
                uow_factory, prompt_id, token, reason, False, now, settings, clock
            )
        except Exception:
            log.exception("could not record the failure of prompt %s", prompt_id)
            return "retrying"  # its lease runs out and a later tick takes it again


def _key_of(uow_factory: UowFactory, prompt_id: int) -> str:
    try:
        with uow_factory() as uow:
            return uow.session.scalar(select(Prompt.key).where(Prompt.id == prompt_id)) or "?"
    except Exception:
        return f"id {prompt_id}"


CANNOT_LOOK = frozenset({"missing_scope", "not_allowed_token_type", "not_in_channel"})


def _already_posted(gateway: SlackGateway, todo: _Todo) -> str | None:
    """The earlier attempt's message, if it reached Slack. An install without the history
    scopes cannot look: then the prompt is posted (perhaps twice) rather than never."""
    assert todo.earlier is not None and todo.channel is not None
    try:
        return gateway.find_posted(todo.channel, todo.key, todo.earlier - CLOCK_SKEW, todo.thread)
    except SlackFailure as exc:
        if exc.error not in CANNOT_LOOK:
            raise
        log.warning("cannot check whether %s was posted (%s); posting it", todo.key, exc.error)
        return None


def _own(uow: UnitOfWork, prompt_id: int, token: str, clock: Clock) -> Prompt | None:
    """The row, locked, if this claim still owns it; its lease runs LEASE from now again."""
    sqlite = _write_first(uow)
    query = select(Prompt).where(Prompt.id == prompt_id)
    if not sqlite:
        query = query.with_for_update()
    prompt = uow.session.scalars(query).one_or_none()
    if prompt is None or prompt.status != "sending" or prompt.claimed_by != token:
        return None
    prompt.lease_until = clock() + LEASE
    return prompt


def _close(prompt: Prompt, status: str, reason: str | None) -> str:
    """Give the row up: it is no longer being sent by anyone."""
    prompt.status, prompt.error = status, reason[:200] if reason else None
    prompt.lease_until = prompt.claimed_by = None
    if status != "pending":  # a retry keeps the mark: its earlier post may be in Slack
        prompt.attempt_started_at = None
    return status


@dataclass(frozen=True)
class _Todo:
    """What the Slack calls between transactions need to know, read while the row was ours."""

    key: str
    earlier: datetime | None  # when an earlier post of this row began, if one may have landed
    channel: str | None
    thread: str | None
    stale: list[tuple[int, str]]  # people to look up again: (person id, Slack user id)
    open_with: list[str] | None  # whom to open a conversation with, if it is not open yet


def deliver(
    uow_factory: UowFactory,
    gateway: SlackGateway,
    prompt_id: int,
    token: str,
    now: datetime,
    settings: Settings,
    clock: Clock,
) -> str:
    with uow_factory() as uow:
        prompt = _own(uow, prompt_id, token, clock)
        if prompt is None:
            return "skipped"
        decided = _decide(uow, prompt, now, settings)
        if decided is not None:
            uow.commit()
            return decided
        todo = _todo(prompt, now)
        uow.commit()
    try:
        if todo.earlier is not None and todo.channel is not None:
            ts = _already_posted(gateway, todo)
            if ts is not None:
                log.info("prompt %s was already posted (%s); recording it", todo.key, ts)
                return _record_sent(
                    uow_factory, prompt_id, token, todo.channel, ts, now, settings, clock
                )
        profiles = {pid: gateway.user_info(user) for pid, user in todo.stale}
        leaving = any(profile.get("deleted") for profile in profiles.values())
        opened = None
        if todo.open_with and not leaving:  # a deactivated person pauses the plan instead
            opened = gateway.open_conversation(todo.open_with)
    except SlackFailure as exc:
        return _record_failure(uow_factory, prompt_id, token, *_why(exc), now, settings, clock)
    with uow_factory() as uow:
        prompt = _own(uow, prompt_id, token, clock)
        if prompt is None:
            return "skipped"
        outcome = _ready(uow, prompt, profiles, opened, now, settings)
        if outcome is not None:
            uow.commit()
            return outcome
        assert prompt.channel is not None
        channel, thread = prompt.channel, _thread(prompt)
        message = _message(prompt, cadence.late_on(prompt, settings, now))
        prompt.attempt_started_at = prompt.attempt_started_at or clock()
        uow.commit()
    try:
        ts = gateway.post(channel, message.text, message.blocks, thread_ts=thread, key=todo.key)
    except SlackFailure as exc:
        return _record_failure(uow_factory, prompt_id, token, *_why(exc), now, settings, clock)
    return _record_sent(uow_factory, prompt_id, token, channel, ts, now, settings, clock)


def _why(exc: SlackFailure) -> tuple[str, bool]:
    return f"{exc.method}: {exc.error}", exc.permanent


def _record_sent(
    uow_factory: UowFactory,
    prompt_id: int,
    token: str,
    channel: str,
    ts: str,
    now: datetime,
    settings: Settings,
    clock: Clock,
) -> str:
    with uow_factory() as uow:
        prompt = _own(uow, prompt_id, token, clock)
        if prompt is None:  # the lease ran out and another claim took it: it will find this post
            log.warning("prompt %d posted as %s after its claim was lost", prompt_id, ts)
            return "skipped"
        _close(prompt, "sent", None)
        prompt.channel, prompt.ts, prompt.sent_at = channel, ts, now
        _after_sent(uow, prompt, now, settings)
        uow.commit()
        return "sent"


def _record_failure(
    uow_factory: UowFactory,
    prompt_id: int,
    token: str,
    reason: str,
    permanent: bool,
    now: datetime,
    settings: Settings,
    clock: Clock,
) -> str:
    with uow_factory() as uow:
        prompt = _own(uow, prompt_id, token, clock)
        if prompt is None:
            return "skipped"
        if permanent or prompt.attempts >= MAX_ATTEMPTS:
            outcome = _close(prompt, "undeliverable" if permanent else "failed", reason)
            if prompt.kind == cadence.REMINDER:
                _next_reminder(uow, prompt, now, settings)
        else:
            prompt.due_at = now + RETRY_AFTER * prompt.attempts
            _close(prompt, "pending", reason)
            outcome = "retrying"
        uow.commit()
        return outcome


def _decide(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> str | None:
    """The outcome when the row is not to be posted now; None when it is."""
    plan = prompt.plan
    if plan is None or plan.status != "active":
        return _close(prompt, "cancelled", f"the plan is {plan.status if plan else 'gone'}")
    if plan.paused_reason:
        return _close(prompt, "paused", plan.paused_reason)
    skip = _reason_to_skip(uow, prompt, now, settings)
    if skip:
        return _close(prompt, *skip)
    if prompt.kind in cadence.REVIEW_KINDS and _week_taken(uow, prompt, now, settings):
        prompt.deferred_from = prompt.deferred_from or prompt.due_at
        prompt.due_at = _next_week(prompt, now, settings)
        _close(prompt, "pending", "one prompt a week: moved to the next week")
        return "deferred"
    audience = cadence.recipients(prompt, settings)
    if is_late(prompt.due_at, now) and not is_good_time(now, audience):
        prompt.deferred_from = prompt.deferred_from or prompt.due_at
        prompt.due_at = next_good_time(now, audience, settings.prompt_hour)
        _close(prompt, "pending", "late: held until working hours")
        return "deferred"
    return None


def _todo(prompt: Prompt, now: datetime) -> _Todo:
    plan = prompt.plan
    assert plan is not None
    stale = [
        (person.id, person.slack_user_id)
        for person in cadence.audience(prompt)
        if person.profile_refreshed_at is None
        or now - person.profile_refreshed_at >= PROFILE_MAX_AGE
    ]
    open_with: list[str] | None = None
    if prompt.kind == cadence.REMINDER and prompt.channel is None:
        open_with = [plan.manager.slack_user_id]
    elif prompt.kind in cadence.REVIEW_KINDS and plan.dm_channel_id is None:
        open_with = [plan.manager.slack_user_id, plan.engineer.slack_user_id]
    return _Todo(
        prompt.key, prompt.attempt_started_at, prompt.channel, _thread(prompt), stale, open_with
    )


def _thread(prompt: Prompt) -> str | None:
    return prompt.parent.ts if prompt.kind == cadence.NUDGE and prompt.parent else None


def _ready(
    uow: UnitOfWork,
    prompt: Prompt,
    profiles: dict[int, dict[str, Any]],
    opened: str | None,
    now: datetime,
    settings: Settings,
) -> str | None:
    """Apply what Slack said about the people and the conversation; an outcome when the row
    is not to be posted after all, else None with `prompt.channel` where it goes."""
    gone = _apply_profiles(uow, prompt, profiles, now, settings)
    if gone is not None:
        return _close(prompt, "paused", cadence.pause_plans_of(uow, gone))
    if prompt.status != "sending":  # moving their other work merged this one away
        return _close(prompt, prompt.status, prompt.error)
    plan = prompt.plan
    assert plan is not None
    if prompt.kind == cadence.NUDGE:
        parent = prompt.parent
        assert parent is not None and parent.channel is not None
        prompt.channel = parent.channel
    elif prompt.kind == cadence.REMINDER:
        prompt.channel = prompt.channel or opened
    else:
        plan.dm_channel_id = plan.dm_channel_id or opened
        prompt.channel = plan.dm_channel_id
    if prompt.channel is None:  # the conversation was closed meanwhile: open it next time
        _close(prompt, "pending", "the conversation is not open yet")
        return "retrying"
    return None


def _apply_profiles(
    uow: UnitOfWork,
    prompt: Prompt,
    profiles: dict[int, dict[str, Any]],
    now: datetime,
    settings: Settings,
) -> Person | None:
    """What users.info said, applied; the first deactivated person, if any."""
    for person in cadence.audience(prompt):
        if person.id in profiles:
            tz = person.tz
            apply_profile(person, profiles[person.id], now)
            if person.tz != tz and not person.deleted:
                cadence.reslot_person(uow, person, settings, now)
        if person.deleted:
            return person
    return None


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
            if r.kind == prompt.kind
            and r.planned_on > prompt.planned_on
            and r.status in (*cadence.OPEN, "sent")
        ),
        key=lambda r: r.due_at,
    )
    if later and is_window_passed(prompt.due_at, later[0].due_at, now):
        return "missed", f"the next {prompt.kind.replace('_', ' ')} was already due"
    return None


def _week_taken(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> bool:
    """The pair already had a review prompt for this plan this week, or another kind that
    ranks ahead of this one is due now (another tick may be sending it)."""
    assert prompt.plan is not None
    tz = cadence.zone_of(cadence.audience(prompt)[0], settings)
    this_week = prompt_week(now, tz)
    mine = (cadence.RANK[prompt.kind], prompt.due_at, prompt.id)
    for other in cadence.prompts_of(uow, prompt.plan):
        if other.id == prompt.id or other.kind not in cadence.REVIEW_KINDS:
            continue
        if other.status == "sent" and other.sent_at and prompt_week(other.sent_at, tz) == this_week:
            return True
        due = other.status in cadence.OPEN and other.due_at <= now and other.kind != prompt.kind
        if due and (cadence.RANK[other.kind], other.due_at, other.id) < mine:
            return True
    return False


def _next_week(prompt: Prompt, now: datetime, settings: Settings) -> datetime:
    """The first good time in the recipients' next working week."""
    audience = cadence.recipients(prompt, settings)
    today = local_date(now, audience[0].tz)
    monday = today + timedelta(days=7 - today.weekday())
    return slot(monday, audience, settings.prompt_hour)


def _message(prompt: Prompt, late_on: date | None) -> views.Message:
    plan = prompt.plan
    assert plan is not None
    if prompt.kind == cadence.REMINDER:
        assert prompt.commitment is not None
        return views.reminder(prompt, prompt.commitment, plan, late_on=late_on)
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
    return views.plan_prompt(prompt, plan, late_on=late_on)


def _after_sent(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> None:
    plan = prompt.plan
    assert plan is not None
    if prompt.kind in cadence.CHECKIN_KINDS:
        cadence.add_nudge(uow, prompt, settings, now)
    elif prompt.kind == cadence.NUDGE and prompt.parent is not None:
        prompt.parent.nudged_at = now
    elif prompt.kind == cadence.REMINDER:
        _next_reminder(uow, prompt, now, settings)


def _next_reminder(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> None:
    """Next week's reminder, however this one ended, while the commitment is still open and
    no later reminder is already waiting (a "not yet" may have set one)."""
    plan, commitment = prompt.plan, prompt.commitment
    if plan is None or commitment is None or commitment.status != "pending":
        return
    rows = cadence.prompts_of(uow, plan)
    waiting = [
        r
        for r in rows
        if r.kind == cadence.REMINDER
        and r.commitment_id == commitment.id
        and r.status in cadence.OPEN
        and r.id != prompt.id
    ]
    if not waiting:
        cadence.schedule_commitment(uow, plan, commitment, settings, now, rows)
