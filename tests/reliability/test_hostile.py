"""Hostile and malformed input, generated (hypothesis): slash-command text, view submissions
and block actions with random unicode, 10,000-character strings, missing fields, wrong
types, unknown ids, other people's ids in private_metadata and garbage button values.
/slack/events always acknowledges with 200, never 500; someone with no part in Ana's plan
changes nothing stored; the pair's own submissions save whole or not at all.

Quick in CI (CI=true: a few dozen examples each); HYPOTHESIS_PROFILE=thorough for more."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.fakeslack import input_values
from storage.models import Plan
from tests.conftest import Bot
from tests.reliability import world
from tests.reliability.world import ENGINEER, GROUP, OTHER_ENGINEER, OTHER_MANAGER, snapshot
from tests.slack import concern_helpers

COMMON = {
    "deadline": None,
    "database": None,  # nothing written into the checkout
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("ci", max_examples=15, **COMMON)
settings.register_profile("dev", max_examples=40, **COMMON)
settings.register_profile("thorough", max_examples=500, **COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")

STRANGERS = [OTHER_ENGINEER, OTHER_MANAGER, "UNELL", "UHANA"]
COMMANDS = ["/pdp", "/pdp-review", "/pdp-concern"]
ACTIONS = [
    "open_manager_modal",
    "open_confirm_modal",
    "edit_draft",
    "open_reflection",
    "open_perspective",
    "start_next_quarter",
    "mark_delivered",
    "remind_delivered",
    "remind_next_week",
    "remind_withdraw",
    "open_checkin",
    "open_reschedule",
    "open_away",
    "add_goal",
    "change_dates",
    "home_page_next",
    "home_page_prev",
    "open_plan",
    "hr_nudge",
    "open_concern",
    "concern_resolved",
    "concern_another",
    "concern_formal",
    "close_concern",
    "end_state",
    "value",
]
# callback id -> the metadata key that names the thing it acts on
CALLBACKS = {
    "pdp_draft": "plan_id",
    "pdp_manager": "plan_id",
    "pdp_confirm": "plan_id",
    "pdp_review": "plan_id",
    "pdp_reflection": "plan_id",
    "pdp_perspective": "plan_id",
    "checkin_engineer": "prompt_id",
    "checkin_manager": "prompt_id",
    "reschedule": "prompt_id",
    "away": "prompt_id",
    "reminder_reason": "prompt_id",
    "concern_conversation": "engineer_id",
}
BLOCKS = [
    "done",
    "date",
    "until",
    "reason",
    "perspective",
    "achieved",
    "manager",
    "period_start",
    "period_end",
    "goal1_outcome",
    "goal1_target",
    "commitment_1",
    "commitment_x",
    "progress1",
    "delivered1",
    "end_state1",
    "carry_goals_1",
    "held_on",
    "concern",
]
ELEMENTS = ["plain_text_input", "datepicker", "radio_buttons", "static_select", "checkboxes"]
ELEMENTS += ["users_select", "button", "unknown"]

text = st.text(max_size=60) | st.just("x" * 10_000) | st.just("<!channel> <@UANA> &amp;")
ids = st.integers(min_value=-(2**40), max_value=2**70) | st.sampled_from([0, 1, 2, 3, 987_654])
anything = st.recursive(
    st.none() | st.booleans() | ids | text | st.floats(allow_nan=False),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
dates = st.dates().map(str) | st.sampled_from(["2027-02-30", "2027-13-01", "", "tomorrow"])


@st.composite
def action_state(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(ELEMENTS))
    state: dict[str, Any] = {"type": kind}
    if kind == "datepicker":
        state["selected_date"] = draw(dates | anything)
    elif kind in ("radio_buttons", "static_select"):
        state["selected_option"] = draw(
            st.none() | st.fixed_dictionaries({"value": text}) | anything
        )
    elif kind == "checkboxes":
        state["selected_options"] = draw(
            st.lists(st.fixed_dictionaries({"value": text})) | anything
        )
    elif kind == "users_select":
        state["selected_user"] = draw(st.sampled_from(["UANA", "UMAYA", "UNOBODY"]) | anything)
    else:
        state["value"] = draw(text | anything)
    return state


values = st.dictionaries(
    st.sampled_from(BLOCKS) | st.text(max_size=20),
    st.dictionaries(st.text(min_size=1, max_size=12), action_state(), min_size=1, max_size=1),
    max_size=6,
)


@pytest.fixture
def anas(bot: Bot) -> dict[str, int]:
    """Ana's things, for hostile requests to name."""
    world.seed(bot)
    plan_id = world.plan(bot)
    return {
        "plan_id": plan_id,
        "prompt_id": world.prompt_id(bot, plan_id, "progress_check"),
        "reminder": world.prompt_id(bot, plan_id, "commitment_reminder"),
        "commitment_id": world.commitment_id(bot, plan_id),
        "concern_id": concern_helpers.record(bot, "UMAYA", ENGINEER),
        "engineer_id": _person_id(bot, ENGINEER),
    }


def _person_id(bot: Bot, user: str) -> int:
    with bot.uow() as uow:
        person = uow.people.get("T0001", user)
        assert person is not None
        return person.id


def _metadata(draw: st.DrawFn, key: str, theirs: int) -> str:
    """private_metadata naming Ana's thing (or garbage in its place), plus random keys."""
    named = draw(st.just(theirs) | ids | anything)
    extra = draw(
        st.dictionaries(
            st.sampled_from(
                [
                    "version",
                    "warned",
                    "slots",
                    "thread_id",
                    "number",
                    "state",
                    "previous_plan_id",
                    "carried_from",
                    "goal_ids",
                    "reviews",
                ]
            ),
            anything,
            max_size=4,
        )
    )
    meta = {**extra, key: named}
    return draw(st.just(json.dumps(meta)) | st.just(json.dumps(meta)[:-1]) | text)


@settings(settings.get_profile(PROFILE))
@given(data=st.data())
def test_slash_commands_with_any_text_are_acknowledged_and_change_nothing_of_anas(
    bot: Bot, anas: dict[str, int], data: st.DataObject
) -> None:
    command = data.draw(st.sampled_from(COMMANDS))
    words = data.draw(text | st.sampled_from(["<@UANA|ana>", "<@UANA> <@UMAYA>", "help", "?"]))
    user = data.draw(st.sampled_from(STRANGERS))
    before = snapshot(bot)
    response = bot.slack.command(command, words, user=user, channel=GROUP)
    assert response.status == 200, response.text
    assert snapshot(bot) == before


@settings(settings.get_profile(PROFILE))
@given(data=st.data())
def test_buttons_with_garbage_values_are_acknowledged_and_change_nothing_of_anas(
    bot: Bot, anas: dict[str, int], data: st.DataObject
) -> None:
    action_id = data.draw(st.sampled_from(ACTIONS) | st.text(max_size=30))
    if data.draw(st.booleans()):
        action_id = f"{action_id}_{data.draw(st.sampled_from(list(anas.values())))}"
    key = data.draw(st.sampled_from([*anas, "page", "digest_id", "key", "number"]))
    value = data.draw(
        st.just(json.dumps({key: anas.get(key, 1)})) | anything.map(json.dumps) | text | st.none()
    )
    user = data.draw(st.sampled_from(STRANGERS))
    before = snapshot(bot)
    if data.draw(st.booleans()):
        response = bot.slack.block_action(user, action_id, value, channel=GROUP)
    else:
        callback = data.draw(st.sampled_from(list(CALLBACKS)))
        view = {
            "id": "V0HOSTILE",
            "type": "modal",
            "callback_id": callback,
            "blocks": [],
            "private_metadata": _metadata(
                data.draw, CALLBACKS[callback], anas.get(CALLBACKS[callback], 1)
            ),
            "state": {"values": data.draw(values)},
        }
        response = bot.slack.block_action(user, action_id, value, view=view)
    assert response.status == 200, response.text
    assert snapshot(bot) == before


@settings(settings.get_profile(PROFILE))
@given(data=st.data())
def test_view_submissions_naming_anas_things_are_acknowledged_and_change_nothing(
    bot: Bot, anas: dict[str, int], data: st.DataObject
) -> None:
    callback = data.draw(st.sampled_from(list(CALLBACKS)))
    key = CALLBACKS[callback]
    view = {
        "id": "V0HOSTILE",
        "type": "modal",
        "callback_id": callback,
        "blocks": data.draw(
            st.just([])
            | st.lists(
                st.fixed_dictionaries(
                    {"type": st.just("input"), "block_id": st.sampled_from(BLOCKS)}
                ),
                max_size=3,
            )
        ),
        "private_metadata": _metadata(data.draw, key, anas[key]),
    }
    user = data.draw(st.sampled_from(STRANGERS))
    before = snapshot(bot)
    response = bot.slack.view_submission(user, view, data.draw(values))
    assert response.status == 200, response.text
    assert snapshot(bot) == before


@settings(settings.get_profile(PROFILE))
@given(data=st.data())
def test_the_engineers_own_draft_with_any_text_saves_whole_or_not_at_all(
    bot: Bot, data: st.DataObject
) -> None:
    world.seed(bot)
    bot.slack.command("/pdp", "", user=OTHER_ENGINEER)
    view = bot.fake.last_view(OTHER_ENGINEER)
    assert view is not None
    answers: dict[str, object] = {
        "manager": data.draw(st.sampled_from(["UMAYA", "UBEN", "UROBOT", None])),
        "goal1_outcome": data.draw(text),
        "goal1_success": data.draw(text),
        "goal1_target": data.draw(st.sampled_from(["2027-03-19", None])),
        "strengths": data.draw(text),
    }
    response = bot.slack.view_submission(OTHER_ENGINEER, view, input_values(view, answers))
    assert response.status == 200, response.text
    with bot.uow() as uow:
        for plan in uow.session.scalars(select(Plan)):
            assert plan.status in ("awaiting_manager",), plan.status
            assert plan.goals and plan.manager is not None and plan.review_dates
