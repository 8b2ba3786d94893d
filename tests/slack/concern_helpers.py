"""Early-intervention conversations driven the way Slack drives them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.fakeslack import Response, input_values
from storage.models import AuditEvent, Concern, Person
from tests.conftest import TEAM, Bot
from tests.slack.helpers import find_element

# Maya manages Ana and Ben; Otto manages Chidi; Hana is in HR.
TEAM_OF = {"UANA": "UMAYA", "UBEN": "UMAYA", "UCHIDI": "UOTTO"}
NAMES = {
    "UMAYA": ("Maya Okafor", "Europe/London"),
    "UANA": ("Ana Ruiz", "America/Los_Angeles"),
    "UBEN": ("Ben Carter", "Europe/London"),
    "UCHIDI": ("Chidi Eze", "Asia/Kolkata"),
    "UHANA": ("Hana Sato", "Europe/London"),
    "UOTTO": ("Otto Berg", "Europe/Berlin"),
}

CONCERN = (
    "Over the last six weeks the last three PRs came back with significant issues after "
    "review, and test coverage was sparse"
)
CONTEXT_NOTES = "Two projects at once since December; unclear requirements on the search work"
EXPECTATION = "Every PR includes tests for the changed code and a testing note in its description"
SUPPORT = "I will pair Ana with Priya on Tuesday afternoons and review her PRs within a day"
GOOD: dict[str, object] = {
    "concern": CONCERN,
    "context_kind": "system",
    "context_notes": CONTEXT_NOTES,
    "expectation": EXPECTATION,
    "support": SUPPORT,
}


def seed_team(bot: Bot) -> None:
    with bot.uow() as uow:
        people: dict[str, Person] = {}
        for user, (name, tz) in NAMES.items():
            people[user] = uow.people.add(
                Person(
                    team_id=TEAM,
                    slack_user_id=user,
                    name=name,
                    tz=tz,
                    profile_refreshed_at=bot.clock.now,
                )
            )
        for engineer, manager in TEAM_OF.items():
            people[engineer].manager = people[manager]
        uow.commit()


def command(bot: Bot, user: str, text: str) -> Response:
    response = bot.slack.command("/pdp-concern", text, user=user)
    assert response.status == 200, response.text
    return response


def open_modal(bot: Bot, manager: str, engineer: str) -> dict[str, Any]:
    before = len(bot.fake.calls_to("views.open"))
    command(bot, manager, f"<@{engineer}|{engineer.lower()}>")
    assert len(bot.fake.calls_to("views.open")) == before + 1, "no modal opened"
    view = bot.fake.last_view(manager)
    assert view is not None
    return view


def submit(bot: Bot, user: str, answers: dict[str, object] | None = None) -> Response:
    view = bot.fake.last_view(user)
    assert view is not None, f"{user} has no modal open"
    return bot.slack.view_submission(user, view, input_values(view, answers or {}))


def record(bot: Bot, manager: str = "UMAYA", engineer: str = "UANA", **answers: object) -> int:
    """A saved conversation (warnings accepted); the id of its concern."""
    open_modal(bot, manager, engineer)
    response = submit(bot, manager, {**GOOD, **answers})
    if response.json().get("response_action") == "update" and "view" in response.json():
        body = response.json()
        if body["view"].get("callback_id") == "concern_conversation":  # warnings: accept them
            submit(bot, manager, {**GOOD, **answers})
    return open_concern_id(bot, manager, engineer)


def open_concern_id(bot: Bot, manager: str, engineer: str) -> int:
    with bot.uow() as uow:
        m, e = uow.people.get(TEAM, manager), uow.people.get(TEAM, engineer)
        assert m is not None and e is not None
        found = uow.concerns.open_thread(m, e)
        assert found is not None, "no open concern"
        return found.id


def concern_row(bot: Bot, concern_id: int) -> Concern:
    with bot.uow() as uow:
        concern = uow.concerns.get(concern_id)
        assert concern is not None
        concern.conversations  # noqa: B018 - load them before the session closes
        concern.engineer  # noqa: B018
        return concern


def concern_count(bot: Bot) -> int:
    with bot.uow() as uow:
        return len(uow.session.scalars(select(Concern)).all())


def audit_actions(bot: Bot, concern_id: int) -> list[str]:
    with bot.uow() as uow:
        return [e.action for e in uow.audit.for_subject("concern", concern_id)]


def audit_events(bot: Bot, concern_id: int) -> list[AuditEvent]:
    with bot.uow() as uow:
        return list(uow.audit.for_subject("concern", concern_id))


def home_of(bot: Bot, user: str) -> dict[str, Any]:
    bot.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    return bot.fake.views[f"home:{user}"]


def open_record(bot: Bot, manager: str, concern_id: int) -> dict[str, Any]:
    home = home_of(bot, manager)
    action = f"open_concern_{concern_id}"
    find_element(home["blocks"], action)
    bot.slack.block_action(manager, action, view={**home, "id": home.get("id", "VHOME")})
    view = bot.fake.last_view(manager)
    assert view is not None and view.get("callback_id") == "concern_record"
    return view
