"""HR's digest: when it is due, what it lists (kept as it was posted), and who was nudged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import WEEKDAYS, Settings
from bot.domain import hr_digest as d
from bot.services import hr_facts
from bot.slack.views.hr_digest import Nudge
from storage.hr_models import HrDigest, HrNudge
from storage.models import Person
from storage.unit_of_work import UnitOfWork


def due_on(now: datetime, settings: Settings) -> date | None:
    """The HR channel's local date whose digest is due at `now`: from the configured hour
    on every day (daily) or on the configured weekday (weekly); None before then."""
    if settings.hr_digest == "off":
        return None
    local = now.astimezone(ZoneInfo(settings.hr_zone))
    if local.hour < settings.hr_digest_hour:
        return None
    if settings.hr_digest == "weekly" and WEEKDAYS[local.weekday()] != settings.hr_digest_weekday:
        return None
    return local.date()


def compose(
    uow: UnitOfWork, team_id: str, now: datetime, settings: Settings, *, with_pips: bool = True
) -> d.Digest:
    window = hr_facts.period_days(settings.hr_digest)
    facts = hr_facts.read_facts(uow, team_id, now, settings.hr_zone, window)
    digest = d.build(facts)
    return digest if with_pips else digest.without_pips()


def item_json(item: d.Item) -> dict[str, Any]:
    data = asdict(item)
    data["on"] = item.on.isoformat() if item.on else None
    data["names"] = list(item.names)
    return data


def item_of(data: dict[str, Any]) -> d.Item:
    values = dict(data)
    for role in ("engineer", "manager"):
        values[role] = d.Who(**values[role]) if values.get(role) else None
    values["on"] = date.fromisoformat(values["on"]) if values.get("on") else None
    values["names"] = tuple(values.get("names") or ())
    return d.Item(**values)


def snapshot(digest: d.Digest) -> list[dict[str, Any]]:
    return [item_json(item) for item in digest.items()]


def restore(row: HrDigest) -> d.Digest:
    """The digest as it was posted, grouped again in KINDS order."""
    items = [item_of(data) for data in row.items or []]
    groups = tuple(
        (kind, tuple(i for i in items if i.kind == kind))
        for kind in d.KINDS
        if any(i.kind == kind for i in items)
    )
    return d.Digest(row.on, groups)


def nudges(uow: UnitOfWork, team_id: str, keys: Iterable[str]) -> dict[str, Nudge]:
    """The latest nudge of each item, by its key."""
    wanted = list(set(keys))
    found: dict[str, Nudge] = {}
    for start in range(0, len(wanted), 500):
        rows = uow.session.execute(
            select(HrNudge.item_key, HrNudge.nudged_at, Person.slack_user_id)
            .join(Person, Person.id == HrNudge.nudged_by_id)
            .where(HrNudge.team_id == team_id, HrNudge.item_key.in_(wanted[start : start + 500]))
            .order_by(HrNudge.nudged_at)
        ).all()
        for key, at, by in rows:
            found[key] = Nudge(at.date(), by)
    return found


def nudged_since(uow: UnitOfWork, team_id: str, key: str, since: datetime) -> bool:
    return (
        uow.session.scalar(
            select(HrNudge.id).where(
                HrNudge.team_id == team_id,
                HrNudge.item_key == key,
                HrNudge.nudged_at >= since,
            )
        )
        is not None
    )


RECENT = timedelta(hours=12)
