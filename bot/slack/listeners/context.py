from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.services.common import Ctx
from bot.services.people import ensure_person
from storage.models import Person


def ctx_of(context: BoltContext) -> Ctx:
    return Ctx(
        uow=context["uow"],
        gateway=context["gateway"],
        team_id=str(context.team_id),
        now=context["now"],
        settings=context["settings"],
        later=context.get("later"),
    )


def actor(ctx: Ctx, body: dict[str, Any]) -> Person:
    """The person behind this request, known to the database from now on."""
    user = (
        body.get("user_id")
        or (body.get("user") or {}).get("id")
        or body.get("event", {}).get("user")
    )
    return ensure_person(ctx.uow, ctx.gateway, ctx.team_id, str(user), ctx.now, ctx.settings)
