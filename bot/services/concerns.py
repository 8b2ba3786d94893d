"""Early-intervention conversations: /pdp-concern, recording a conversation, continuing a
thread. A concern is the recording manager's private record; every refusal about one reads
the same whether or not it exists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.domain.concerns import (
    ConcernStart,
    ConversationForm,
    check_conversation,
    default_follow_up,
)
from bot.domain.errors import Conflict, DomainError, PermissionDenied
from bot.domain.goals import Finding
from bot.domain.plans import errors_of, fingerprint, warnings_of
from bot.domain.policy import Act, Actor, Subject, allows
from bot.services import concern_outbox
from bot.services.cadence import calendar_of
from bot.services.common import Ctx, today_for
from bot.services.people import ensure_person
from storage.models import Concern, ConcernConversation, Person

SUBJECT_TYPE = "concern"


class ConcernRefused(PermissionDenied):
    """The one answer to anyone who may not see or touch a concern, or names one that does
    not exist: it never says which."""

    template = "concerns/errors/refused"


@dataclass
class Recorded:
    """What became of a submission: refused with findings, or saved."""

    findings: list[Finding] = field(default_factory=list)
    warned: str | None = None
    conversation: ConcernConversation | None = None


# --- the policy, for concerns ---------------------------------------------------------


def actor_of(person: Person) -> Actor:
    return Actor(person.team_id, person.id, person.is_bot, person.deleted)


def thread_subject(concern: Concern) -> Subject:
    return Subject(concern.team_id, concern.engineer_id, concern.manager_id, confidential=True)


def engineer_subject(engineer: Person) -> Subject:
    """A new concern about `engineer`: theirs, held by their current manager."""
    manager_id = engineer.manager_id if engineer.manager_id is not None else -1
    return Subject(engineer.team_id, engineer.id, manager_id, confidential=True)


def load_concern(ctx: Ctx, person: Person, concern_id: int, act: Act) -> Concern:
    """The concern, if `person` may do `act` to it; the same refusal otherwise, whether it
    exists, belongs to another team or to another manager."""
    concern = ctx.uow.concerns.get(concern_id)
    if concern is None or concern.team_id != ctx.team_id:
        raise ConcernRefused()
    if not allows(actor_of(person), act, thread_subject(concern)):
        raise ConcernRefused()
    return concern


# --- /pdp-concern ------------------------------------------------------------------------


def engineer_named(ctx: Ctx, manager: Person, user_id: str | None) -> Person:
    """The person a manager may record a concern about, or a clear refusal: nobody named,
    yourself, an app or a deactivated account, or someone who does not report to you."""
    if not user_id:
        raise DomainError("concerns/errors/usage")
    if user_id == manager.slack_user_id:
        raise DomainError("concerns/errors/yourself")
    engineer = ensure_person(ctx.uow, ctx.gateway, ctx.team_id, user_id, ctx.now, ctx.settings)
    if engineer.is_bot:
        raise DomainError("concerns/errors/not_a_person", who=user_id)
    if engineer.deleted:
        raise DomainError("concerns/errors/inactive", who=user_id)
    if not allows(actor_of(manager), Act.RECORD_CONCERN, engineer_subject(engineer)):
        raise PermissionDenied("concerns/errors/not_your_report", who=user_id)
    return engineer


def start(ctx: Ctx, manager: Person, engineer: Person) -> ConcernStart:
    """A new thread, or the next conversation of the manager's open one about `engineer`."""
    thread = ctx.uow.concerns.open_thread(manager, engineer)
    if thread is None:
        return _start(ctx, manager, engineer, None, 1, None)
    last = thread.conversations[-1]
    opened = thread.conversations[0].held_on
    return _start(ctx, manager, engineer, thread.id, last.number + 1, opened, last)


def continue_thread(ctx: Ctx, manager: Person, concern_id: int, number: int) -> ConcernStart:
    """'Another conversation' at a follow-up: the thread's next conversation, once."""
    concern = load_concern(ctx, manager, concern_id, Act.FOLLOW_UP_CONCERN)
    refuse_answered(concern, number)
    first, last = concern.conversations[0], concern.conversations[-1]
    return _start(ctx, manager, concern.engineer, concern.id, number + 1, first.held_on, last)


def refuse_answered(concern: Concern, number: int) -> None:
    """A follow-up button of conversation `number` that can no longer be answered: the
    concern was closed without a follow-up, or this follow-up was already answered."""
    last = concern.conversations[-1]
    if concern.status == "closed":
        raise Conflict("concerns/errors/already_closed")
    if concern.status != "open" or last.number != number or last.outcome is not None:
        raise Conflict("concerns/errors/already_followed_up")


def _start(
    ctx: Ctx,
    manager: Person,
    engineer: Person,
    thread_id: int | None,
    number: int,
    opened_on: date | None,
    last: ConcernConversation | None = None,
) -> ConcernStart:
    today = today_for(manager, ctx)
    working_day = calendar_of(manager, ctx.settings, today).is_working_day
    form = ConversationForm(
        held_on=today,
        concern=last.concern if last else "",
        context_kind=None,
        context_notes="",
        expectation="",
        support=last.support if last else "",
        follow_up_on=default_follow_up(today, today, working_day),
    )
    return ConcernStart(
        engineer.id, engineer.name, engineer.slack_user_id, thread_id, number, opened_on, form
    )


# --- recording a conversation ----------------------------------------------------------


def record(
    ctx: Ctx,
    manager: Person,
    *,
    engineer_id: int,
    thread_id: int | None,
    number: int,
    form: ConversationForm,
    warned: str | None,
) -> Recorded:
    thread = _thread_to_write(ctx, manager, engineer_id, thread_id, number)
    today = today_for(manager, ctx)
    findings = check_conversation(
        form, today, calendar_of(manager, ctx.settings, today).is_working_day
    )
    if errors_of(findings):
        return Recorded(errors_of(findings))
    seen = fingerprint(form)
    if warnings_of(findings) and warned != seen:
        return Recorded(warnings_of(findings), warned=seen)
    assert form.held_on is not None and form.follow_up_on is not None
    conversation = ConcernConversation(
        team_id=ctx.team_id,
        number=number,
        held_on=form.held_on,
        concern=form.concern.strip(),
        context_kind=form.context_kind,
        context_notes=form.context_notes.strip(),
        expectation=form.expectation.strip(),
        support=form.support.strip(),
        follow_up_on=form.follow_up_on,
        recap_requested=form.recap,
        created_at=ctx.now,
    )
    try:
        if thread is None:
            thread = _open_thread(ctx, manager, engineer_id, conversation)
        else:
            _add_conversation(ctx, manager, thread, conversation)
        concern_outbox.owe(ctx, manager, thread, conversation)
        ctx.uow.commit()
    except IntegrityError:  # another window opened a thread or saved this conversation
        ctx.uow.rollback()
        raise Conflict("concerns/errors/moved_on") from None
    return Recorded(conversation=conversation)


def _thread_to_write(
    ctx: Ctx, manager: Person, engineer_id: int, thread_id: int | None, number: int
) -> Concern | None:
    """The thread a submission continues (still open, still at the conversation the modal
    was opened for), or None for a new one about an engineer the manager may record about."""
    if thread_id is not None:
        thread = load_concern(ctx, manager, thread_id, Act.FOLLOW_UP_CONCERN)
        if thread.engineer_id != engineer_id:
            raise ConcernRefused()
        if thread.status != "open" or thread.conversations[-1].number != number - 1:
            raise Conflict("concerns/errors/moved_on")
        return thread
    engineer = ctx.uow.people.get_by_id(engineer_id)
    if engineer is None or engineer.team_id != ctx.team_id:
        raise ConcernRefused()
    if not allows(actor_of(manager), Act.RECORD_CONCERN, engineer_subject(engineer)):
        raise ConcernRefused()
    if number != 1 or ctx.uow.concerns.open_thread(manager, engineer) is not None:
        raise Conflict("concerns/errors/moved_on")
    return None


def _open_thread(
    ctx: Ctx, manager: Person, engineer_id: int, conversation: ConcernConversation
) -> Concern:
    thread = Concern(
        team_id=ctx.team_id, engineer_id=engineer_id, manager=manager, opened_at=ctx.now
    )
    thread.conversations.append(conversation)
    ctx.uow.concerns.add(thread)
    audit(ctx, manager, thread, "concern.opened", None, snapshot(thread, conversation))
    return thread


def _add_conversation(
    ctx: Ctx, manager: Person, thread: Concern, conversation: ConcernConversation
) -> None:
    last = thread.conversations[-1]
    before = snapshot(thread, last)
    if last.outcome is None:  # talking again is the follow-up's answer: another iteration
        last.outcome, last.followed_up_at = "another", ctx.now
    thread.conversations.append(conversation)
    ctx.uow.session.flush()
    audit(ctx, manager, thread, "concern.continued", before, snapshot(thread, conversation))


# --- the audit log ------------------------------------------------------------------------


def snapshot(thread: Concern, conversation: ConcernConversation | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {"status": thread.status}
    if conversation is not None:
        values["conversation"] = {
            "number": conversation.number,
            "held_on": conversation.held_on.isoformat(),
            "concern": conversation.concern,
            "context_kind": conversation.context_kind,
            "context_notes": conversation.context_notes,
            "expectation": conversation.expectation,
            "support": conversation.support,
            "follow_up_on": conversation.follow_up_on.isoformat(),
            "recap_requested": conversation.recap_requested,
            "outcome": conversation.outcome,
        }
    return values


def audit(
    ctx: Ctx,
    actor: Person | None,
    thread: Concern,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    ctx.uow.audit.append(
        team_id=thread.team_id,
        at=ctx.now,
        actor_id=actor.id if actor else None,
        action=action,
        subject_type=SUBJECT_TYPE,
        subject_id=thread.id,
        engineer_id=thread.engineer_id,
        before=before,
        after=after,
    )
