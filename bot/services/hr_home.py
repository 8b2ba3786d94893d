"""The HR section of App Home, for members of the private HR channel only: the digest as it
would be composed now (bot/services/hr_digest.py), the nudges recorded for its items, the
PIPs under way and those closed in the last RECENTLY_CLOSED days (names, dates, status,
outcome and integrity signals; their record only through the *Formal record* export) and the
exports on offer. Everyone else gets None, and their App Home shows nothing of it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from bot.domain.cadence import local_date
from bot.services import hr_channel, hr_digest, hr_exports, pip_record
from bot.services.common import Ctx
from bot.slack.views.hr_home import HrHome, PipLine
from storage.models import Person
from storage.pip_models import Pip

RECENTLY_CLOSED = timedelta(days=90)


def hr_home(ctx: Ctx, person: Person) -> HrHome | None:
    channel = hr_channel.look(ctx.gateway, ctx.settings, ctx.now)
    if not channel.usable or person.slack_user_id not in channel.members:
        return None
    digest = hr_digest.compose(ctx.uow, ctx.team_id, ctx.now, ctx.settings)
    keys = [item.key for item in digest.items()]
    return HrHome(
        digest=digest,
        channel=channel.channel_id or "",
        nudges=hr_digest.nudges(ctx.uow, ctx.team_id, keys),
        periods=hr_exports.periods_offered(ctx),
        pips=[_pip_line(ctx, pip) for pip in _pips(ctx)],
        with_pips=True,
    )


def _pips(ctx: Ctx) -> list[Pip]:
    """Under way first (oldest first), then the recently closed (latest first)."""
    since = ctx.now - RECENTLY_CLOSED
    return list(
        ctx.uow.session.scalars(
            select(Pip)
            .where(
                Pip.team_id == ctx.team_id,
                or_(
                    Pip.status.not_in(("closed", "referred")),
                    and_(Pip.status == "closed", Pip.closed_at >= since),
                ),
            )
            .order_by(Pip.closed_at.is_not(None), Pip.closed_at.desc(), Pip.id)
            .options(
                selectinload(Pip.engineer),
                selectinload(Pip.manager),
                selectinload(Pip.criteria),
                selectinload(Pip.checkpoints),
            )
        )
    )


def _pip_line(ctx: Ctx, pip: Pip) -> PipLine:
    today = local_date(ctx.now, ctx.settings.hr_zone)
    return PipLine(
        pip_id=pip.id,
        engineer=pip.engineer.name or pip.engineer.slack_user_id,
        manager=pip.manager.name or pip.manager.slack_user_id,
        status=pip.status,
        started_on=pip.start_on or local_date(pip.created_at, ctx.settings.hr_zone),
        ends_on=pip.end_on,
        outcome=pip.outcome if pip.status == "closed" else None,
        closed_on=local_date(pip.closed_at, ctx.settings.hr_zone) if pip.closed_at else None,
        signals=tuple(pip_record.signal_texts(pip, today)),
    )
