from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from bot.domain.errors import NotFound
from bot.slack.gateway import SlackFailure, SlackGateway
from storage.models import Person
from storage.unit_of_work import UnitOfWork

PROFILE_MAX_AGE = timedelta(days=7)


def ensure_person(
    uow: UnitOfWork, gateway: SlackGateway, team_id: str, user_id: str, now: datetime
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
        raise NotFound(what="user") from exc
    if person is None:
        person = _add(uow, team_id, user_id)
    apply_profile(person, info, now)
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


def apply_profile(person: Person, info: dict[str, object], now: datetime) -> None:
    profile = info.get("profile") or {}
    assert isinstance(profile, dict)
    person.name = str(
        info.get("real_name") or profile.get("display_name") or info.get("name") or person.name
    )
    person.tz = str(info["tz"]) if info.get("tz") else person.tz
    person.is_bot = bool(info.get("is_bot")) or info.get("id") == "USLACKBOT"
    person.deleted = bool(info.get("deleted"))
    person.profile_refreshed_at = now
