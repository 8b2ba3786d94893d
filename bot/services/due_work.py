"""The tick: find due rows of the outbox (cadence prompts and messages to people), claim them,
send them, record the result.

A claim is a token written on the rows it takes, with a lease; bot/services/outbox/delivery.py
sends each claimed row with no transaction open during Slack calls. What a row is and where it
goes is its kind's business (bot/services/outbox/registry.py), never this module's."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update

from bot.config import Settings
from bot.services.outbox.delivery import (
    CLOCK_SKEW,
    LEASE,
    MAX_ATTEMPTS,
    RETRY_AFTER,
    Clock,
    UowFactory,
    deliver,
)
from bot.services.outbox.dispatch import Dispatcher
from bot.slack.gateway import SlackGateway
from storage.models import Prompt

__all__ = [
    "CLOCK_SKEW",
    "LEASE",
    "MAX_ATTEMPTS",
    "RETRY_AFTER",
    "Claim",
    "Clock",
    "TickReport",
    "UowFactory",
    "anything_due",
    "claim",
    "deliver",
    "run_tick",
    "send_now",
]

log = logging.getLogger(__name__)

BATCH = 50
MAX_BATCHES = 20
# A claimed row is held this long until its sender starts on it; then (delivery.own) for
# LEASE. A tick that dies holds the rows it was sending for the lease, and the rest of its
# batch only this long: a crash delays one prompt, not fifty (issue 9, fault 5).
CLAIM_LEASE = timedelta(minutes=1)


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


@dataclass(frozen=True)
class Claim:
    """Rows marked as one sender's, with its token; `after` maps a reply to its parent row,
    when both are in this claim (the parent is posted first)."""

    token: str
    ids: list[int]
    after: dict[int, int] = field(default_factory=dict)


def claim(uow_factory: UowFactory, clock: Clock, only: Iterable[int] | None = None) -> Claim:
    """Mark a batch of due rows (of `only`, when given) as ours (a fresh token) for
    CLAIM_LEASE from now, oldest first and, among equals, in the order written. Two ticks
    never claim the same row: PostgreSQL skips rows another tick has locked; SQLite has one
    writer."""
    token = str(uuid.uuid4())
    with uow_factory() as uow:
        session = uow.session
        uow.write_first()
        sqlite = session.get_bind().dialect.name == "sqlite"
        at = clock()
        query = select(Prompt.id).where(_due(at)).order_by(Prompt.due_at, Prompt.id).limit(BATCH)
        if only is not None:
            query = query.where(Prompt.id.in_(list(only)))
        if not sqlite:
            # FOR NO KEY UPDATE: a claim changes no key, so a reply being inserted (which holds
            # its parent FOR KEY SHARE through the foreign key) does not hide the parent.
            query = query.with_for_update(skip_locked=True, key_share=True)
        candidates = list(session.scalars(query))
        if not candidates:
            return Claim(token, [])
        claimed = session.execute(
            update(Prompt)
            .where(Prompt.id.in_(candidates), _due(at))
            .values(
                status="sending",
                claimed_by=token,
                lease_until=clock() + CLAIM_LEASE,
                attempts=Prompt.attempts + 1,
            )
            .returning(Prompt.id, Prompt.parent_id)
        ).all()
        uow.commit()
        ids = {row.id for row in claimed}
        after = {row.id: row.parent_id for row in claimed if row.parent_id in ids}
        return Claim(token, sorted(ids), after)


def run_tick(
    uow_factory: UowFactory,
    gateway: SlackGateway,
    now: datetime,
    settings: Settings,
    clock: Clock | None = None,
    dispatcher: Dispatcher | None = None,
) -> TickReport:
    """Send what is due at `now`, several channels at once, each at its own pace
    (bot/services/outbox/dispatch.py). One row going wrong never stops the others."""
    clock = clock or running_clock(now)
    report = TickReport()
    batches = _batches(uow_factory, clock)
    (dispatcher or Dispatcher()).run(uow_factory, gateway, batches, now, settings, clock, report)
    return report


def _batches(uow_factory: UowFactory, clock: Clock) -> Iterator[Claim]:
    """Claims of due rows, one batch each time the sender asks for more."""
    for _ in range(MAX_BATCHES):
        if not anything_due(uow_factory, clock()):
            return
        batch = claim(uow_factory, clock)
        yield batch
        if len(batch.ids) < BATCH:
            return


def send_now(
    uow_factory: UowFactory,
    gateway: SlackGateway,
    ids: Iterable[int],
    now: datetime,
    settings: Settings,
    dispatcher: Dispatcher | None = None,
) -> TickReport:
    """Send these rows, if they are due, without waiting for the tick: a request has just
    enqueued them. Rows that are not due, or that another tick took, are left alone."""
    clock = running_clock(now)
    report = TickReport()
    batch = claim(uow_factory, clock, only=ids)
    (dispatcher or Dispatcher()).run(uow_factory, gateway, [batch], now, settings, clock, report)
    return report


def _key_of(uow_factory: UowFactory, prompt_id: int) -> str:
    try:
        with uow_factory() as uow:
            return uow.session.scalar(select(Prompt.key).where(Prompt.id == prompt_id)) or "?"
    except Exception:
        return f"id {prompt_id}"
