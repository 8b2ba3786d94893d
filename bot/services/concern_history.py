"""How many early-intervention conversations an engineer had, and when: what a PIP needs to
show that earlier conversations happened (the guide's "PIPs That Surprise the Recipient"),
never what was said. The manager opening a PIP (their current manager, perhaps not the one
who recorded them) may ask; HR may ask once a formal process is open for the engineer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from bot.domain.policy import Act, Actor, Subject, allows
from bot.services.concerns import SUBJECT_TYPE, ConcernRefused
from bot.services.outbox.kinds.concerns import RECAP
from storage.models import Person, Prompt
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class EarlierConversation:
    held_on: date
    number: int  # which conversation of its concern (1 for the first)
    recap_sent: bool  # the engineer got a written recap: the expectation was made explicit


@dataclass(frozen=True)
class EarlierConversations:
    conversations: tuple[EarlierConversation, ...]  # oldest first

    @property
    def count(self) -> int:
        return len(self.conversations)

    @property
    def dates(self) -> tuple[date, ...]:
        return tuple(c.held_on for c in self.conversations)

    @property
    def recaps_sent(self) -> int:
        return sum(1 for c in self.conversations if c.recap_sent)


def earlier_conversations(
    uow: UnitOfWork, actor: Actor, engineer: Person, *, escalated: bool
) -> EarlierConversations:
    """The engineer's early-intervention conversations by any manager, as dates, numbers and
    whether a recap was sent. `actor` carries `is_hr` (a member of the private HR channel);
    `escalated`: a formal process is open for the engineer. Raises ConcernRefused (the one
    refusal about concerns) unless the policy allows Act.COUNT_CONCERNS."""
    manager_id = engineer.manager_id if engineer.manager_id is not None else -1
    subject = Subject(engineer.team_id, engineer.id, manager_id, True, escalated)
    if not allows(actor, Act.COUNT_CONCERNS, subject):
        raise ConcernRefused()
    rows = uow.concerns.dates_about(engineer.team_id, engineer.id)
    sent = _recaps_sent(uow, {concern_id for concern_id, _, _ in rows})
    return EarlierConversations(
        tuple(
            EarlierConversation(held, number, (cid, number) in sent) for cid, number, held in rows
        )
    )


def _recaps_sent(uow: UnitOfWork, concern_ids: set[int]) -> set[tuple[int, int]]:
    if not concern_ids:
        return set()
    prompts = uow.session.scalars(
        select(Prompt).where(
            Prompt.kind == RECAP,
            Prompt.subject_type == SUBJECT_TYPE,
            Prompt.subject_id.in_(concern_ids),
            Prompt.status == "sent",
        )
    )
    found: set[tuple[int, int]] = set()
    for prompt in prompts:
        number = (prompt.args or {}).get("number")
        if isinstance(number, int) and prompt.subject_id is not None:
            found.add((prompt.subject_id, number))
    return found
