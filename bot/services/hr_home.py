"""The HR section of App Home, for members of the private HR channel only: the digest as it
would be composed now (bot/services/hr_digest.py), the nudges recorded for its items, the
PIPs (issue 12) and the exports on offer. Everyone else gets None, and their App Home shows
nothing of it."""

from __future__ import annotations

from bot.services import hr_channel, hr_digest, hr_exports
from bot.services.common import Ctx
from bot.slack.views.hr_home import HrHome
from storage.models import Person


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
    )
