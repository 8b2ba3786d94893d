"""A small workspace for access and hostile-input tests, and what one request shows.

Maya manages Ana (the engineer whose things are acted on) and Ben (another engineer); Otto
manages Chidi (another manager); Nell is known to pdpbot but in nobody's team (a
non-member); Hana is in the private HR channel. GROUP is a group DM they are all in, where
a button of Ana's can be pressed by anyone who sees it (a forwarded message)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from bot.fakeslack import Response
from prompts import render
from storage.models import Base, Goal, Person, Plan, Prompt
from tests.cadence_support import active_plan
from tests.conftest import TEAM, Bot

ENGINEER, MANAGER, OTHER_MANAGER, OTHER_ENGINEER, NON_MEMBER, HR = (
    "UANA",
    "UMAYA",
    "UOTTO",
    "UBEN",
    "UNELL",
    "UHANA",
)
ROLES = {
    "engineer": ENGINEER,
    "manager": MANAGER,
    "another manager": OTHER_MANAGER,
    "another engineer": OTHER_ENGINEER,
    "non-member": NON_MEMBER,
    "hr": HR,
}
GROUP = "GGROUP"
MISSING = 987_654  # an id nothing has
REFUSED = render("errors/not_allowed")
CONCERN_REFUSED = render("concerns/errors/refused")
GOAL = "Diagnose production latency issues without escalating to senior engineers"
COMMITMENT = "Put Ana on the incident review rota from February"
PRIVATE = (GOAL, COMMITMENT, "Two incidents led end to end")  # Ana's plan's own words
# Slack calls a person sees the result of (lookups such as users.info are left out)
SEEN = ("chat.postMessage", "chat.postEphemeral", "chat.update", "views.open", "views.push")
SEEN += ("views.update", "views.publish")
PEOPLE = {
    "UMAYA": ("Maya Okafor", None),
    "UANA": ("Ana Ruiz", "UMAYA"),
    "UBEN": ("Ben Carter", "UMAYA"),
    "UOTTO": ("Otto Berg", None),
    "UCHIDI": ("Chidi Eze", "UOTTO"),
    "UHANA": ("Hana Sato", None),
    "UNELL": ("Nell Park", None),
}


def seed(bot: Bot) -> None:
    bot.fake.add_user("UNELL", name="nell", real_name="Nell Park", tz="Europe/London")
    members = [*PEOPLE, bot.fake.bot_user_id]
    bot.fake.add_channel(GROUP, name="mpdm-everyone", is_private=True, members=members)
    with bot.uow() as uow:
        people: dict[str, Person] = {}
        for user, (name, _) in PEOPLE.items():
            info = bot.fake.user(user) or {}
            people[user] = uow.people.get(TEAM, user) or uow.people.add(
                Person(
                    team_id=TEAM,
                    slack_user_id=user,
                    name=name,
                    tz=str(info.get("tz") or "Europe/London"),
                    profile_refreshed_at=bot.clock.now,
                )
            )
        for user, (_, manager) in PEOPLE.items():
            people[user].manager = people[manager] if manager else None
        uow.commit()


def plan(bot: Bot, status: str = "active", **kwargs: Any) -> int:
    """Ana's plan with Maya, in `status`, with one commitment and its reminders."""
    kwargs.setdefault("commitments", [(COMMITMENT, date(2027, 2, 1))])
    with bot.uow() as uow:
        row: Plan = active_plan(uow, bot.runtime.settings, bot.clock.now, **kwargs)
        if status != "active":
            row.status = status
            for prompt in uow.prompts.for_plan(row.id):
                if status == "closed":
                    prompt.status = "cancelled"
                else:  # a plan not yet agreed has no cadence
                    uow.session.delete(prompt)
        if status == "closed":
            row.closed_at = bot.clock.now
            for goal in row.goals:
                goal.carry_forward, goal.end_state = True, "partly"
        uow.commit()
        return row.id


def prompt_id(bot: Bot, plan_id: int, kind: str) -> int:
    with bot.uow() as uow:
        found = uow.session.scalars(
            select(Prompt.id).where(Prompt.plan_id == plan_id, Prompt.kind == kind)
        ).first()
        assert found is not None, f"plan {plan_id} has no {kind}"
        return found


def commitment_id(bot: Bot, plan_id: int) -> int:
    with bot.uow() as uow:
        row = uow.plans.get(plan_id)
        assert row is not None and row.commitments
        return row.commitments[0].id


def goal_ids(bot: Bot, plan_id: int) -> list[int]:
    with bot.uow() as uow:
        return list(uow.session.scalars(select(Goal.id).where(Goal.plan_id == plan_id)))


# --- requests --------------------------------------------------------------------------


def button(bot: Bot, user: str, action_id: str, value: dict[str, Any]) -> Response:
    """`user` presses a button of Ana's in the group DM (a message not theirs)."""
    return bot.slack.block_action(user, action_id, json.dumps(value), channel=GROUP)


def forged(view: dict[str, Any], **ids: object) -> dict[str, Any]:
    """The modal with its private_metadata naming other ids."""
    meta = json.loads(view.get("private_metadata") or "{}")
    return {**view, "private_metadata": json.dumps({**meta, **ids})}


# --- what a request shows, and what it changed ------------------------------------------


@dataclass(frozen=True)
class Seen:
    """What a person sees of one request: its answer and the Slack calls it made."""

    status: int
    body: Any
    calls: tuple[tuple[str, str, str], ...]

    @property
    def text(self) -> str:
        return json.dumps([self.body, self.calls], ensure_ascii=False)


def observe(bot: Bot, send: Any, *args: Any) -> Seen:
    """What `send(bot, *args)` shows the person who sends it."""
    before = len(bot.fake.calls)
    response = send(bot, *args)
    bot.runtime.app.wait_for_background()
    calls = tuple(
        (c.method, str(c.args.get("channel") or c.args.get("user_id") or ""), _shown(c.args))
        for c in bot.fake.calls[before:]
        if c.method in SEEN
    )
    try:
        body = response.json()
    except ValueError:
        body = response.text
    return Seen(response.status, body, calls)


def _shown(args: dict[str, Any]) -> str:
    if "text" in args:
        return str(args["text"])
    view = args.get("view")
    if isinstance(view, str):
        view = json.loads(view)
    return json.dumps((view or {}).get("blocks", []), sort_keys=True, ensure_ascii=False)


def snapshot(bot: Bot) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row but Slack's event ids, and of people only what a request could change
    about someone else (away dates, managers, deactivation)."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with bot.uow() as uow:
        for table in Base.metadata.sorted_tables:
            if table.name == "slack_event":
                continue
            if table.name == "person":
                query = select(
                    table.c.slack_user_id, table.c.away_until, table.c.manager_id, table.c.deleted
                ).order_by(table.c.slack_user_id)
            else:
                query = select(table).order_by(*table.primary_key.columns)
            tables[table.name] = [tuple(row) for row in uow.session.execute(query)]
    return tables
