"""`pdpbot import org.csv`: resolve every person and manager in Slack (a user id with
users.info, an email with users.lookupByEmail), check the file as a whole, and apply the
difference. A refused file changes nothing; a re-imported one changes nothing either."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.config import Settings
from bot.domain.roster import Diff, Lookup, Member, check, diff, read_rows, references
from bot.services import cadence, manager_change
from bot.services.people import apply_profile
from bot.slack.gateway import SlackFailure, SlackGateway
from storage.models import Person
from storage.unit_of_work import UnitOfWork

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
SHORT_ID = re.compile(r"^[UW][A-Z0-9]?$")  # U-shaped, too short to be a Slack user id
NOT_FOUND = ("user_not_found", "users_not_found")


@dataclass(frozen=True)
class Outcome:
    diff: Diff
    names: dict[str, str]  # user id → name, for saying what changed
    applied: bool
    plan_moves: frozenset[str] = frozenset()  # user ids whose open plan moves to a new manager
    pip_flagged: frozenset[str] = frozenset()  # user ids whose open PIP HR is told to assign


def supported_countries() -> frozenset[str]:
    import holidays

    return frozenset(holidays.list_supported_countries())


def look_up(gateway: SlackGateway, refs: Iterable[str]) -> dict[str, tuple[Lookup, Any]]:
    """Each reference resolved in Slack: its Lookup, and the user object when found. A Slack
    failure other than "no such user" is raised (the import cannot be judged without it)."""
    found: dict[str, tuple[Lookup, Any]] = {}
    for ref in refs:
        try:
            if USER_ID.match(ref):
                user = gateway.user_info(ref)
            elif "@" in ref:
                user = gateway.user_by_email(ref)
            else:
                problem = "short_id" if SHORT_ID.match(ref) else "not_a_reference"
                found[ref] = (Lookup(None, problem), None)
                continue
        except SlackFailure as exc:
            if exc.error not in NOT_FOUND:
                raise
            found[ref] = (Lookup(None, "unknown"), None)
            continue
        if user.get("deleted"):
            found[ref] = (Lookup(None, "deactivated"), user)
        elif user.get("is_bot") or user.get("id") == "USLACKBOT":
            found[ref] = (Lookup(None, "bot"), user)
        else:
            found[ref] = (Lookup(str(user["id"])), user)
    return found


def current_roster(uow: UnitOfWork, team_id: str) -> dict[str, Member]:
    people = uow.session.scalars(
        select(Person).where(Person.team_id == team_id, Person.on_roster.is_(True))
    ).all()
    return {p.slack_user_id: member_of(p) for p in people}


def member_of(person: Person) -> Member:
    manager = person.manager.slack_user_id if person.manager is not None else None
    return Member(
        person.slack_user_id,
        manager,
        person.team_name or "",
        person.country or "",
        person.working_days or "",
    )


@dataclass(frozen=True)
class Checked:
    """A file checked whole against Slack: the roster it describes, and Slack's user objects
    of everyone it names (names, time zones)."""

    members: dict[str, Member]
    users: dict[str, Any]


def check_file(
    gateway: SlackGateway, data: bytes, countries: Collection[str] | None = None
) -> Checked:
    """Read the file and look everyone up in Slack, with no database transaction open.

    Raises roster.Refused with every problem by line; SlackFailure when Slack cannot answer."""
    rows = read_rows(data)
    found = look_up(gateway, references(rows))
    members = check(
        rows,
        {ref: lookup for ref, (lookup, _) in found.items()},
        countries if countries is not None else supported_countries(),
    )
    users = {str(user["id"]): user for _, user in found.values() if user is not None}
    return Checked(members, users)


def import_roster(
    uow: UnitOfWork,
    team_id: str,
    checked: Checked,
    now: datetime,
    settings: Settings,
    *,
    dry_run: bool = False,
) -> Outcome:
    """The difference the checked file makes and, unless `dry_run`, apply it in `uow` (the
    caller commits)."""
    members, users = checked.members, checked.users
    before = current_roster(uow, team_id)
    change = diff(before, members, _known_managers(uow, team_id, set(members) - set(before)))
    names = {uid: _name(user) for uid, user in users.items()}
    for person in _people(uow, team_id, before):
        names.setdefault(person.slack_user_id, person.name or person.slack_user_id)
    for old, _ in change.managers_changed:
        if old.user_id in change.joining and old.manager_id is not None:
            manager = uow.people.get(team_id, old.manager_id)
            names.setdefault(old.manager_id, (manager.name if manager else "") or old.manager_id)
    plans, pips = _what_moves(uow, team_id, change, tell_hr=settings.hr_channel_id is not None)
    if dry_run or change.is_empty:
        return Outcome(change, names, applied=False, plan_moves=plans, pip_flagged=pips)
    _apply(uow, team_id, members, change, users, now, settings)
    return Outcome(change, names, applied=True, plan_moves=plans, pip_flagged=pips)


def _known_managers(uow: UnitOfWork, team_id: str, user_ids: set[str]) -> dict[str, str]:
    """Of people not on the roster: the manager pdpbot knows from /pdp, by user id."""
    if not user_ids:
        return {}
    people = uow.session.scalars(
        select(Person).where(Person.team_id == team_id, Person.slack_user_id.in_(user_ids))
    ).all()
    return {p.slack_user_id: p.manager.slack_user_id for p in people if p.manager is not None}


def _what_moves(
    uow: UnitOfWork, team_id: str, change: Diff, *, tell_hr: bool
) -> tuple[frozenset[str], frozenset[str]]:
    """Whose open plan moves to the new manager, and whose open PIP HR is told about (when
    there is an HR channel), once `change` is applied (manager_change.change_manager: only
    to another manager, not to none)."""
    plans: set[str] = set()
    pips: set[str] = set()
    for before, after in change.managers_changed:
        if before.manager_id is None or after.manager_id is None:
            continue
        person = uow.people.get(team_id, after.user_id)
        if person is None:
            continue
        plan = uow.plans.current_for(person)
        if plan is not None and plan.manager.slack_user_id != after.manager_id:
            plans.add(after.user_id)
        if tell_hr and manager_change.open_pip_of(uow, person) is not None:
            pips.add(after.user_id)
    return frozenset(plans), frozenset(pips)


def _name(user: Mapping[str, Any]) -> str:
    profile = user.get("profile") or {}
    return str(user.get("real_name") or profile.get("display_name") or user.get("name") or "")


def _people(uow: UnitOfWork, team_id: str, roster: Mapping[str, Member]) -> list[Person]:
    ids = set(roster) | {m.manager_id for m in roster.values() if m.manager_id}
    if not ids:
        return []
    return list(
        uow.session.scalars(
            select(Person).where(Person.team_id == team_id, Person.slack_user_id.in_(ids))
        )
    )


def _person(
    uow: UnitOfWork, team_id: str, user_id: str, users: Mapping[str, Any], now: datetime
) -> Person:
    person = uow.people.get(team_id, user_id)
    if person is None:
        person = uow.people.add(Person(team_id=team_id, slack_user_id=user_id))
    user = users.get(user_id)
    if user is not None:
        apply_profile(person, user, now)
    return person


def _apply(
    uow: UnitOfWork,
    team_id: str,
    members: Mapping[str, Member],
    change: Diff,
    users: Mapping[str, Any],
    now: datetime,
    settings: Settings,
) -> None:
    reslot = {after.user_id for _, after in change.details_changed}
    for member in members.values():
        person = _person(uow, team_id, member.user_id, users, now)
        person.on_roster = True
        person.team_name = member.team
        person.country = member.country
        person.working_days = member.working_days or None
        manager = (
            _person(uow, team_id, member.manager_id, users, now) if member.manager_id else None
        )
        if person.manager is not None and manager is not None and person.manager_id != manager.id:
            manager_change.change_manager(uow, person, manager, now, settings, source="import")
        else:
            person.manager = manager
        if member.user_id in reslot:
            uow.session.flush()
            cadence.reslot_person(uow, person, settings, now)  # their week or holidays changed
    for gone in change.removed:
        left = uow.people.get(team_id, gone.user_id)
        if left is not None:
            left.on_roster = False
    uow.session.flush()
