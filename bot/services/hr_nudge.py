"""*Nudge the manager*: an HR member asks the manager named by a digest item to look at it.
The nudge is recorded (who, when), the manager gets a templated DM through the outbox, and
the item then shows "Nudged on …". Only HR members may; everyone else, and every id that
does not name an item of a digest of this team, gets the same refusal."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.domain.errors import PermissionDenied
from bot.domain.hr_digest import Item
from bot.domain.policy import Act, Actor, Subject, allows
from bot.services import hr_channel, hr_digest
from bot.services.common import Ctx
from bot.services.outbox.kinds.hr import NUDGE, PART, render_part
from bot.services.outbox.queue import enqueue
from bot.slack.views.hr_digest import DigestMessage
from storage.hr_models import HrDigest, HrNudge
from storage.models import Person, Prompt


@dataclass(frozen=True)
class Nudged:
    item: Item
    sent: bool  # False: someone nudged for it moments ago, so no second DM


def nudge(ctx: Ctx, person: Person, digest_id: int, key: str) -> Nudged:
    is_hr = hr_channel.is_member(ctx.gateway, ctx.settings, ctx.now, person.slack_user_id)
    if not is_hr:  # permission first: nobody else learns whether the digest exists
        raise PermissionDenied()
    row = ctx.uow.session.get(HrDigest, digest_id)
    if row is None or row.team_id != ctx.team_id:
        raise PermissionDenied()
    item = next((i for i in hr_digest.restore(row).items() if i.key == key), None)
    if item is None or item.manager is None:
        raise PermissionDenied()
    engineer_id = item.engineer.id if item.engineer else -1
    actor = Actor(person.team_id, person.id, person.is_bot, person.deleted, is_hr=is_hr)
    if not allows(actor, Act.NUDGE_MANAGER, Subject(row.team_id, engineer_id, item.manager.id)):
        raise PermissionDenied()
    manager = ctx.uow.session.get(Person, item.manager.id)
    if manager is None:
        raise PermissionDenied()
    recent = hr_digest.nudged_since(ctx.uow, ctx.team_id, key, ctx.now - hr_digest.RECENT)
    record = HrNudge(
        team_id=ctx.team_id,
        item_key=key,
        digest_id=row.id,
        manager_id=manager.id,
        nudged_by_id=person.id,
        nudged_at=ctx.now,
    )
    ctx.uow.session.add(record)
    ctx.uow.session.flush()
    if not recent:
        enqueue(
            ctx.uow,
            NUDGE,
            key=f"hr_nudge:{record.id}",
            team_id=ctx.team_id,
            now=ctx.now,
            settings=ctx.settings,
            recipient=manager,
            subject=("hr_digest", row.id),
            args={"key": key, "by_name": person.name or person.slack_user_id},
        )
    return Nudged(item, sent=not recent)


def redrawn_part(ctx: Ctx, channel: str, ts: str) -> DigestMessage | None:
    """The digest's thread message at (channel, ts) as it reads now, nudges included."""
    prompt = ctx.uow.session.scalar(
        select(Prompt).where(Prompt.kind == PART, Prompt.channel == channel, Prompt.ts == ts)
    )
    if prompt is None or prompt.subject_id is None:
        return None
    row = ctx.uow.session.get(HrDigest, prompt.subject_id)
    if row is None:
        return None
    return render_part(ctx.uow, row, int((prompt.args or {}).get("part", 1)))
