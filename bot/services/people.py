"""People as Slack describes them: created on first sight, refreshed from users.info or a
`user_change` event, whichever is newer."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from bot.config import Settings
from bot.domain.errors import NotFound
from bot.services import cadence
from bot.slack.gateway import SlackFailure, SlackGateway
from storage.models import Person
from storage.unit_of_work import UnitOfWork

PROFILE_MAX_AGE = timedelta(days=7)


def ensure_person(
    uow: UnitOfWork,
    gateway: SlackGateway,
    team_id: str,
    user_id: str,
    now: datetime,
    settings: Settings,
) -> Person:
    """The person for a Slack user id, created or refreshed from users.info when needed."""
    person = uow.people.get(team_id, user_id)
    fresh = person is not None and person.profile_refreshed_at is not None
    if fresh and person is not None and now - person.profile_refreshed_at < PROFILE_MAX_AGE:  # type: ignore[operator]
        return person
    try:
        info = gateway.user_info(user_id)
    except SlackFailure as exc:
        if person is not None:
            return person
        if exc.rate_limited:  # Slack is busy: say so, rather than that they do not exist
            raise
        raise NotFound(what="user") from exc
    if person is None:
        person = _add(uow, team_id, user_id)
    refresh_profile(uow, person, info, settings, now)
    return person


def _add(uow: UnitOfWork, team_id: str, user_id: str) -> Person:
    """A new person, or the one a concurrent request has just added."""
    try:
        with uow.session.begin_nested():
            return uow.people.add(Person(team_id=team_id, slack_user_id=user_id))
    except IntegrityError:
        existing = uow.people.get(team_id, user_id)
        assert existing is not None
        return existing


def refresh_profile(
    uow: UnitOfWork,
    person: Person,
    info: Mapping[str, object],
    settings: Settings,
    now: datetime,
) -> bool:
    """Apply a profile from users.info or `user_change`, and what follows from it: plans
    paused when the account is deactivated, resumed whenever a refresh finds it active,
    pending prompts moved when the time zone changed. False when the profile was older
    than the one applied before (a late retry of an old event), and nothing changed."""
    tz, was_deleted = person.tz, person.deleted
    if not apply_profile(person, info, now):
        return False
    if person.deleted:
        if not was_deleted:
            cadence.pause_plans_of(uow, person)
        return True
    cadence.resume_plans_of(uow, person, settings, now)
    if person.tz != tz:
        cadence.reslot_person(uow, person, settings, now)
    return True


def apply_profile(person: Person, info: Mapping[str, object], now: datetime) -> bool:
    """Copy what Slack says about a person; False (nothing copied) for a profile older
    than the one already applied."""
    updated = info.get("updated")
    stamp = int(updated) if isinstance(updated, int | float) and updated > 0 else None
    if stamp is not None and person.profile_updated is not None and stamp < person.profile_updated:
        return False
    profile = info.get("profile") or {}
    assert isinstance(profile, dict)
    person.name = str(
        info.get("real_name") or profile.get("display_name") or info.get("name") or person.name
    )
    person.tz = str(info["tz"]) if info.get("tz") else person.tz
    person.is_bot = bool(info.get("is_bot")) or info.get("id") == "USLACKBOT"
    person.deleted = bool(info.get("deleted"))
    person.profile_refreshed_at = now
    person.profile_updated = stamp if stamp is not None else person.profile_updated
    return True
