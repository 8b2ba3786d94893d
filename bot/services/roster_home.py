"""What App Home shows of the roster: for someone not on it, who their manager is (or that
pdpbot does not know) and *My manager is…*; for a manager, their plans' cadence figures this
quarter; for a member of the HR channel, once there is a roster, completion and health per
team and whether this quarter's cycle has started."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.cycles import quarter_label
from bot.services import claims, cycles, hr_channel
from bot.services.common import Ctx, today_for
from bot.services.health import manager_figures, quarter_health
from bot.slack.views.roster_home import HrRoster, RosterHome
from storage.models import Person
from storage.roster_models import Cycle


def has_roster(ctx: Ctx) -> bool:
    return (
        ctx.uow.session.scalar(
            select(Person.id)
            .where(Person.team_id == ctx.team_id, Person.on_roster.is_(True))
            .limit(1)
        )
        is not None
    )


def roster_home(ctx: Ctx, person: Person, is_manager: bool) -> RosterHome | None:
    """None without a roster: App Home stays as it was for a workspace that has none."""
    if not has_roster(ctx):
        return None
    pending = claims.pending_of(ctx, person) if not person.on_roster else None
    quarter = quarter_label(today_for(person, ctx))
    own = manager_figures(ctx.uow, person, ctx.now, ctx.settings)[1] if is_manager else None
    hr = _hr(ctx, person)
    if person.on_roster and own is None and hr is None:
        return None
    return RosterHome(
        on_roster=person.on_roster,
        manager_name=person.manager.name if person.manager is not None else None,
        waiting_for=pending.manager.name if pending is not None else None,
        quarter=quarter,
        own_figures=own,
        hr=hr,
    )


def _hr(ctx: Ctx, person: Person) -> HrRoster | None:
    channel = hr_channel.look(ctx.gateway, ctx.settings, ctx.now)
    if not channel.usable or person.slack_user_id not in channel.members:
        return None
    today = today_for(person, ctx)
    quarter, figures = quarter_health(ctx.uow, ctx.team_id, today, ctx.settings)
    started = ctx.uow.session.scalar(
        select(Cycle.id).where(
            Cycle.team_id == ctx.team_id, Cycle.quarter == quarter, Cycle.scope == ""
        )
    )
    return HrRoster(
        quarter=quarter,
        completion=cycles.team_completion(ctx.uow, ctx.team_id, quarter),
        teams=figures.teams,
        started=started is not None,
    )
