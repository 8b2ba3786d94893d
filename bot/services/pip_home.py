"""The PIP lines of someone's App Home: their own PIP as the engineer, the ones they hold as
the manager, and, for a member of the private HR channel, the ones they were named for.
Each line is asked of the policy: nobody else's App Home shows anything of a PIP."""

from __future__ import annotations

from bot.domain.policy import Act, allows
from bot.services import hr_channel
from bot.services.common import Ctx
from bot.services.pips import actor_of, subject_of
from bot.slack.views.pip_home import PipLine
from storage.models import Person
from storage.pip_models import Pip


def pip_lines(ctx: Ctx, person: Person) -> list[PipLine]:
    found: dict[int, tuple[str, Pip]] = {}
    own = ctx.uow.pips.under_way(ctx.team_id, person.id)
    if own is not None and own.status == "open":  # the engineer sees it once it is opened
        found[own.id] = ("engineer", own)
    for pip in ctx.uow.pips.held_by(person.id):
        found[pip.id] = ("manager", pip)
    if _in_hr(ctx, person):
        for pip in ctx.uow.pips.of_team(ctx.team_id):
            if pip.hr_person_id == person.id and pip.id not in found:
                found[pip.id] = ("hr", pip)
    if not found:
        return []
    actor = actor_of(ctx, person)
    return [
        _line(role, pip)
        for role, pip in found.values()
        if allows(actor, Act.VIEW_PIP, subject_of(pip))
    ]


def _in_hr(ctx: Ctx, person: Person) -> bool:
    if not ctx.settings.hr_channel_id:
        return False
    return hr_channel.is_member(ctx.gateway, ctx.settings, ctx.now, person.slack_user_id)


def _line(role: str, pip: Pip) -> PipLine:
    upcoming = next((c for c in pip.checkpoints if c.recorded_at is None), None)
    return PipLine(
        pip_id=pip.id,
        role=role,
        engineer_name=pip.engineer.name,
        manager_name=pip.manager.name,
        status=pip.status,
        end_on=pip.end_on,
        next_number=upcoming.number if upcoming else None,
        next_on=upcoming.due_on if upcoming else None,
        criteria=len(pip.criteria),
        agreed=sum(1 for c in pip.criteria if c.agreed),
    )
