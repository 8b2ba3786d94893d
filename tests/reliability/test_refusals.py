"""Refusals reveal nothing, permission comes before state, and every id a button or modal
carries is checked against the person acting (issue 9, items 8 and 9). The access matrix
(test_access.py) covers every listener; these are the faults as they were reported."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.fakeslack import input_values
from storage.models import Person, Plan
from tests.conftest import TEAM, Bot
from tests.reliability import world
from tests.reliability.world import (
    ENGINEER,
    GROUP,
    MANAGER,
    MISSING,
    OTHER_ENGINEER,
    OTHER_MANAGER,
    REFUSED,
    button,
    forged,
    observe,
    snapshot,
)
from tests.slack.helpers import GOOD_DRAFT

STRANGERS = [OTHER_ENGINEER, OTHER_MANAGER, "UNELL"]
PLAN_BUTTONS = [
    "open_manager_modal",
    "open_confirm_modal",
    "edit_draft",
    "open_reflection",
    "open_perspective",
    "start_next_quarter",
]
PROMPT_BUTTONS = ["open_checkin", "open_reschedule", "open_away", "remind_delivered"]


@pytest.fixture(autouse=True)
def seeded(bot: Bot) -> None:
    world.seed(bot)


def _plans(bot: Bot) -> int:
    with bot.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Plan)) or 0)


@pytest.mark.parametrize("status", ["awaiting_manager", "awaiting_engineer", "active", "closed"])
@pytest.mark.parametrize("action", PLAN_BUTTONS)
def test_a_stranger_pressing_a_plan_button_is_refused_alike_in_every_state_and_for_no_plan(
    bot: Bot, action: str, status: str
) -> None:
    plan_id = world.plan(bot, status)
    for user in STRANGERS:
        real = observe(bot, button, user, action, {"plan_id": plan_id})
        made_up = observe(bot, button, user, action, {"plan_id": MISSING})
        assert real == made_up
        assert [(c[0], c[2]) for c in real.calls] == [("chat.postEphemeral", REFUSED)]


@pytest.mark.parametrize("action", PROMPT_BUTTONS)
def test_a_stranger_pressing_a_prompt_button_of_a_closed_plan_is_refused_not_told_it_closed(
    bot: Bot, action: str
) -> None:
    plan_id = world.plan(bot)
    kind = "commitment_reminder" if action == "remind_delivered" else "progress_check"
    prompt_id = world.prompt_id(bot, plan_id, kind)
    with bot.uow() as uow:
        plan = uow.plans.get(plan_id)
        assert plan is not None
        plan.status = "closed"
        uow.commit()
    for user in STRANGERS:
        real = observe(bot, button, user, action, {"prompt_id": prompt_id})
        made_up = observe(bot, button, user, action, {"prompt_id": MISSING})
        assert real == made_up
        assert [c[2] for c in real.calls] == [REFUSED]
    allowed = ENGINEER if action != "remind_delivered" else MANAGER
    theirs = observe(bot, button, allowed, action, {"prompt_id": prompt_id})
    assert "closed" in theirs.text  # the people of the plan are told why, once allowed


def test_pdp_review_refuses_alike_whether_or_not_the_engineer_has_a_plan(bot: Bot) -> None:
    def attempt(user: str) -> world.Seen:
        return observe(bot, lambda b: b.slack.command("/pdp-review", "<@UANA|ana>", user=user))

    before = {user: attempt(user) for user in STRANGERS}
    world.plan(bot)
    after = {user: attempt(user) for user in STRANGERS}

    assert before == after
    for seen in after.values():
        assert "I don't have <@UANA> down as one of them" in seen.text
        assert seen.calls == ()


def test_the_away_modal_refuses_a_prompt_that_is_not_the_persons_own(bot: Bot) -> None:
    prompt_id = world.prompt_id(bot, world.plan(bot), "progress_check")
    button(bot, ENGINEER, "open_away", {"prompt_id": prompt_id})
    view = bot.fake.last_view(ENGINEER)
    assert view is not None
    before = snapshot(bot)

    def away(user: str, named: int) -> world.Seen:
        replay = forged(view, prompt_id=named)
        values = input_values(replay, {"until": "2027-01-20"})
        return observe(bot, lambda b: b.slack.view_submission(user, replay, values))

    for user in STRANGERS:
        real, made_up = away(user, prompt_id), away(user, MISSING)
        assert real == made_up
        assert real.body == {"response_action": "errors", "errors": {"until": REFUSED}}
        assert real.calls == ()  # nothing posted in Ana's DM
    assert snapshot(bot) == before  # nobody's away date was set


def test_the_away_modal_still_works_for_its_own_person(bot: Bot) -> None:
    prompt_id = world.prompt_id(bot, world.plan(bot), "progress_check")
    button(bot, ENGINEER, "open_away", {"prompt_id": prompt_id})
    view = bot.fake.last_view(ENGINEER)
    assert view is not None
    response = bot.slack.view_submission(
        ENGINEER, view, input_values(view, {"until": "2027-01-20"})
    )
    assert response.status == 200 and response.json() == {}
    with bot.uow() as uow:
        ana = uow.people.get(TEAM, ENGINEER)
        assert ana is not None and str(ana.away_until) == "2027-01-20"


def _draft_of(bot: Bot, user: str) -> dict[str, object]:
    bot.slack.command("/pdp", "", user=user)
    view = bot.fake.last_view(user)
    assert view is not None and view["callback_id"] == "pdp_draft"
    return view


@pytest.mark.parametrize(
    "meta",
    [
        "previous plan is someone else's",
        "carried goal is someone else's",
        "carried goal without a previous plan",
        "shown goal is someone else's",
    ],
)
def test_a_draft_whose_metadata_names_another_engineers_plan_or_goal_saves_nothing(
    bot: Bot, meta: str
) -> None:
    anas = world.plan(bot, "closed")
    [anas_goal] = world.goal_ids(bot, anas)
    bens = world.plan(bot, "closed", engineer=OTHER_ENGINEER)
    forgeries = {
        "previous plan is someone else's": {"previous_plan_id": anas},
        "carried goal is someone else's": {"previous_plan_id": bens, "carried_from": [anas_goal]},
        "carried goal without a previous plan": {"carried_from": [anas_goal]},
        "shown goal is someone else's": {"goal_ids": [anas_goal]},
    }
    view = forged(_draft_of(bot, OTHER_ENGINEER), **forgeries[meta])
    before = snapshot(bot)

    response = bot.slack.view_submission(OTHER_ENGINEER, view, input_values(view, GOOD_DRAFT))

    assert REFUSED in json.dumps(response.json())
    assert snapshot(bot) == before
    assert _plans(bot) == 2


def test_a_draft_that_continues_the_engineers_own_plan_is_saved_with_its_carried_goal(
    bot: Bot,
) -> None:
    bens = world.plan(bot, "closed", engineer=OTHER_ENGINEER)
    [goal] = world.goal_ids(bot, bens)
    button(bot, OTHER_ENGINEER, "start_next_quarter", {"plan_id": bens})
    view = bot.fake.last_view(OTHER_ENGINEER)
    assert view is not None
    assert json.loads(view["private_metadata"])["carried_from"] == [goal]

    answers = {**GOOD_DRAFT, "goal1_target": "2027-06-18"}  # next quarter: April to June
    response = bot.slack.view_submission(OTHER_ENGINEER, view, input_values(view, answers))

    assert response.json()["response_action"] == "update", response.text
    with bot.uow() as uow:
        ben = uow.people.get(TEAM, OTHER_ENGINEER)
        assert isinstance(ben, Person)
        new = uow.plans.current_for(ben)
        assert new is not None and new.previous_plan_id == bens
        assert [g.carried_from_id for g in new.goals][:1] == [goal]


def test_a_button_pressed_in_a_group_dm_is_answered_there_for_the_presser_only(bot: Bot) -> None:
    plan_id = world.plan(bot, "awaiting_manager")
    button(bot, OTHER_MANAGER, "open_manager_modal", {"plan_id": plan_id})
    [call] = bot.fake.calls_to("chat.postEphemeral")
    assert call.args["channel"] == GROUP and call.args["user"] == OTHER_MANAGER
