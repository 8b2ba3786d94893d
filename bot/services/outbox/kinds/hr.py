"""HR's messages: the digest in the HR channel (counts), its items as replies in its thread,
and a nudge in a manager's DM. Rendered from the digest as it was composed, with the nudges
recorded since, so the thread and its buttons agree whenever they are sent or redrawn."""

from __future__ import annotations

from datetime import datetime

from bot.config import Settings
from bot.services import hr_digest
from bot.services.outbox.registry import Close, Decision, Kind, Rendered, register, subject
from bot.slack.views import hr_digest as views
from storage.hr_models import HrDigest
from storage.models import Prompt
from storage.unit_of_work import UnitOfWork

DIGEST = "hr_digest"
PART = "hr_digest_part"
NUDGE = "hr_nudge"


def _digest(uow: UnitOfWork, prompt: Prompt) -> HrDigest:
    row = subject(uow, prompt, HrDigest)
    assert row is not None  # _exists closed the row otherwise
    return row


def _exists(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Decision | None:
    if subject(uow, prompt, HrDigest) is None:
        return Close("cancelled", "the digest was purged")
    return None


def _summary(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    row = _digest(uow, prompt)
    if row.form == "not_private":
        return views.not_private(row.channel or "")
    digest = hr_digest.restore(row)
    return views.empty(row.on) if digest.empty else views.summary(digest)


def render_part(uow: UnitOfWork, row: HrDigest, number: int) -> views.DigestMessage:
    digest = hr_digest.restore(row)
    pages = views.pages(digest)
    chunks = pages[number - 1] if 0 < number <= len(pages) else []
    keys = [item.key for chunk in chunks for item in chunk.items]
    nudges = hr_digest.nudges(uow, row.team_id, keys)
    return views.part(row.id, chunks, number, len(pages), nudges)


def _part(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    return render_part(uow, _digest(uow, prompt), int((prompt.args or {}).get("part", 1)))


def _nudge(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    row = _digest(uow, prompt)
    args = prompt.args or {}
    item = next((i for i in hr_digest.restore(row).items() if i.key == args.get("key")), None)
    if item is None:
        return views.DigestMessage("", [])
    return views.nudge_message(item, str(args.get("by_name") or "HR"), row.on)


def _nudge_check(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Decision | None:
    closed = _exists(uow, prompt, now, settings)
    if closed is not None:
        return closed
    keys = {i.key for i in hr_digest.restore(_digest(uow, prompt)).items()}
    if (prompt.args or {}).get("key") not in keys:
        return Close("cancelled", "the item is not in the digest")
    return None


register(Kind(DIGEST, to="channel", render=_summary, check=_exists))
register(Kind(PART, to="thread", render=_part, check=_exists))
register(Kind(NUDGE, to="dm", render=_nudge, check=_nudge_check))
