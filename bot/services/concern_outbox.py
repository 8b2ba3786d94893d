"""The messages a concern's conversation owes, through the outbox in the same transaction:
its follow-up in the recording manager's DM, and the recap in the engineer's when chosen."""

from __future__ import annotations

from bot.services.common import Ctx
from bot.services.outbox.kinds.concerns import FOLLOW_UP, RECAP
from bot.services.outbox.queue import cancel_pending, enqueue
from storage.models import Concern, ConcernConversation, Person

SUBJECT_TYPE = "concern"


def owe(ctx: Ctx, manager: Person, thread: Concern, conversation: ConcernConversation) -> None:
    """Its follow-up, in the manager's DM on its date and in their working hours (an earlier
    conversation's follow-up not yet sent is withdrawn: this one replaces it); and, when
    chosen, the recap in the engineer's DM now. Both commit with the conversation."""
    about = (SUBJECT_TYPE, thread.id)
    withdraw_follow_ups(ctx, thread, "a later conversation replaced this follow-up")
    number = {"number": conversation.number}
    enqueue(
        ctx.uow,
        FOLLOW_UP,
        key=f"concern:{thread.id}:follow_up:{conversation.number}",
        team_id=ctx.team_id,
        now=ctx.now,
        settings=ctx.settings,
        on=conversation.follow_up_on,
        recipient=manager,
        subject=about,
        args=number,
    )
    if conversation.recap_requested:
        engineer = ctx.uow.people.get_by_id(thread.engineer_id)
        enqueue(
            ctx.uow,
            RECAP,
            key=f"concern:{thread.id}:recap:{conversation.number}",
            team_id=ctx.team_id,
            now=ctx.now,
            settings=ctx.settings,
            recipient=engineer,
            subject=about,
            args=number,
        )


def withdraw_follow_ups(ctx: Ctx, thread: Concern, reason: str) -> None:
    cancel_pending(ctx.uow, reason, subject=(SUBJECT_TYPE, thread.id), kinds=(FOLLOW_UP,))
