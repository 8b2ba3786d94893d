"""*My manager is…*: someone not on the roster names their manager from App Home; the line
counts once that manager confirms with one button (a manager change, bot/services/
manager_change.py). A decline changes nothing; the person is told either way."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.errors import Conflict, DomainError, PermissionDenied
from bot.domain.policy import Act, Actor, Subject, allows
from bot.services import manager_change
from bot.services.common import Ctx
from bot.services.outbox.queue import enqueue
from bot.services.people import ensure_person
from storage.models import Person
from storage.roster_models import ManagerClaim

ASK = "manager_claim"
DECIDED = "manager_claim_decided"


def pending_of(ctx: Ctx, engineer: Person) -> ManagerClaim | None:
    return ctx.uow.session.scalar(
        select(ManagerClaim).where(
            ManagerClaim.engineer_id == engineer.id, ManagerClaim.status == "pending"
        )
    )


def claim(ctx: Ctx, engineer: Person, manager_user_id: str) -> ManagerClaim:
    """Ask `manager_user_id` to confirm they manage `engineer`. DomainError (a sentence for
    the modal) for oneself, an app, a deactivated account or the manager they already have;
    a person on the roster takes their manager from it."""
    if engineer.on_roster:
        raise DomainError("roster/errors/on_roster")
    if manager_user_id == engineer.slack_user_id:
        raise DomainError("roster/errors/yourself")
    manager = ensure_person(
        ctx.uow, ctx.gateway, ctx.team_id, manager_user_id, ctx.now, ctx.settings
    )
    if manager.is_bot or manager.deleted:
        raise DomainError("roster/errors/not_a_person")
    if engineer.manager_id == manager.id:
        raise DomainError("roster/errors/already", manager=manager.name)
    return ask(ctx, engineer, manager)


def draft_names(ctx: Ctx, engineer: Person, manager: Person) -> None:
    """A draft names `manager`. Without a roster, or for someone on it, the draft says nothing
    about the reporting line (the roster is the truth; before one exists the draft's manager
    is the manager, as always). For someone missing from the roster it works as *My manager
    is…*: the named manager is asked to confirm, and the line counts once they do."""
    if engineer.on_roster or engineer.manager_id == manager.id:
        return
    if not _roster_exists(ctx):
        engineer.manager = manager
        return
    pending = pending_of(ctx, engineer)
    if pending is None or pending.manager_id != manager.id:
        ask(ctx, engineer, manager)


def _roster_exists(ctx: Ctx) -> bool:
    found = ctx.uow.session.scalar(
        select(Person.id).where(Person.team_id == ctx.team_id, Person.on_roster.is_(True)).limit(1)
    )
    return found is not None


def ask(ctx: Ctx, engineer: Person, manager: Person) -> ManagerClaim:
    """The claim, and the named manager's DM with its two buttons; an earlier claim still
    waiting is withdrawn."""
    earlier = pending_of(ctx, engineer)
    if earlier is not None:
        earlier.status, earlier.decided_at = "withdrawn", ctx.now
    found = ManagerClaim(
        team_id=ctx.team_id,
        engineer=engineer,
        manager=manager,
        status="pending",
        created_at=ctx.now,
    )
    ctx.uow.session.add(found)
    ctx.uow.session.flush()
    enqueue(
        ctx.uow,
        ASK,
        key=f"claim:{found.id}:ask",
        team_id=ctx.team_id,
        now=ctx.now,
        settings=ctx.settings,
        recipient=manager,
        subject=("manager_claim", found.id),
    )
    return found


def decide(ctx: Ctx, manager: Person, claim_id: int, *, confirm: bool) -> ManagerClaim:
    """The named manager's answer. PermissionDenied for anyone else, and for a claim that
    does not exist (the same refusal); Conflict once it was answered or withdrawn."""
    found = ctx.uow.session.get(ManagerClaim, claim_id)
    actor = Actor(manager.team_id, manager.id, manager.is_bot, manager.deleted)
    if found is None or found.team_id != ctx.team_id:
        raise PermissionDenied()
    subject = Subject(found.team_id, found.engineer_id, found.manager_id)
    if not allows(actor, Act.CONFIRM_MANAGER, subject):
        raise PermissionDenied()
    if found.status != "pending":
        raise Conflict("roster/errors/answered", status=found.status)
    found.status, found.decided_at = ("confirmed" if confirm else "declined"), ctx.now
    if confirm:
        manager_change.change_manager(
            ctx.uow, found.engineer, manager, ctx.now, ctx.settings, source="slack"
        )
    enqueue(
        ctx.uow,
        DECIDED,
        key=f"claim:{found.id}:decided",
        team_id=ctx.team_id,
        now=ctx.now,
        settings=ctx.settings,
        recipient=found.engineer,
        subject=("manager_claim", found.id),
    )
    return found
