"""What happens to a concern after a conversation: the manager reads it, answers its
follow-up (resolved, another conversation, a formal process), or closes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.domain.concerns import (
    Advice,
    Outcome,
    advice_at_follow_up,
    formal_process_may_be_warranted,
)
from bot.domain.errors import Conflict
from bot.domain.policy import Act
from bot.services.common import Ctx, today_for
from bot.services.concern_outbox import withdraw_follow_ups
from bot.services.concerns import (
    SUBJECT_TYPE,
    audit,
    load_concern,
    refuse_answered,
    snapshot,
)
from bot.services.outbox.kinds.concerns import RECAP
from storage.models import Concern, Person, Prompt


@dataclass(frozen=True)
class FollowedUp:
    concern: Concern
    outcome: Outcome
    number: int  # the conversation that was followed up
    advice: Advice


def view(ctx: Ctx, person: Person, concern_id: int) -> Concern:
    return load_concern(ctx, person, concern_id, Act.VIEW_CONCERN)


def may_consider_formal(ctx: Ctx, manager: Person, concern: Concern) -> bool:
    last = concern.conversations[-1]
    today = today_for(manager, ctx)
    return formal_process_may_be_warranted(last.number, last.follow_up_on, today)


def follow_up(
    ctx: Ctx, manager: Person, concern_id: int, number: int, outcome: Outcome
) -> FollowedUp:
    """Resolved closes the thread; a formal process ends it too (from the second
    conversation: the guide expects two or three first). 'Another conversation' is recorded
    when that conversation is saved (services.concerns.record)."""
    concern = load_concern(ctx, manager, concern_id, Act.FOLLOW_UP_CONCERN)
    refuse_answered(concern, number)
    last = concern.conversations[-1]
    today = today_for(manager, ctx)
    if outcome == "formal" and not formal_process_may_be_warranted(
        number, last.follow_up_on, today
    ):
        raise Conflict("concerns/errors/formal_too_early")
    if outcome == "another":
        raise Conflict("concerns/errors/already_followed_up")
    before = snapshot(concern, last)
    last.outcome, last.followed_up_at = outcome, ctx.now
    concern.status = "resolved" if outcome == "resolved" else "formal"
    concern.closed_at = ctx.now
    withdraw_follow_ups(ctx, concern, f"the concern is {concern.status}")
    ctx.uow.session.flush()
    audit(ctx, manager, concern, f"concern.{concern.status}", before, snapshot(concern, last))
    ctx.uow.commit()
    return FollowedUp(concern, outcome, number, advice_at_follow_up(number))


def close(ctx: Ctx, manager: Person, concern_id: int) -> Concern:
    """Close a thread without a follow-up (recorded by mistake, or the engineer left)."""
    concern = load_concern(ctx, manager, concern_id, Act.CLOSE_CONCERN)
    if concern.status != "open":
        raise Conflict("concerns/errors/already_closed")
    before = snapshot(concern)
    concern.status, concern.closed_at = "closed", ctx.now
    withdraw_follow_ups(ctx, concern, "the concern is closed")
    ctx.uow.session.flush()
    audit(ctx, manager, concern, "concern.closed", before, snapshot(concern))
    ctx.uow.commit()
    return concern


def recaps(ctx: Ctx, concern: Concern) -> dict[int, tuple[str, datetime | None]]:
    """Per conversation, what became of its recap: the outbox row's status and when it was
    sent ("sent", "pending", "undeliverable", ...); conversations without one are absent."""
    rows = ctx.uow.session.scalars(
        select(Prompt).where(
            Prompt.kind == RECAP,
            Prompt.subject_type == SUBJECT_TYPE,
            Prompt.subject_id == concern.id,
        )
    )
    found: dict[int, tuple[str, datetime | None]] = {}
    for row in rows:
        number = (row.args or {}).get("number")
        if isinstance(number, int):
            found[number] = (row.status, row.sent_at)
    return found


def open_concerns(ctx: Ctx, manager: Person) -> list[Concern]:
    return list(ctx.uow.concerns.open_of(manager))
