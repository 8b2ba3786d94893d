"""Every PIP button and modal replayed by someone it does not belong to (another manager,
another engineer, a non-member, and the engineer or HR where the act is not theirs): the
same refusal as for a PIP that does not exist, and nothing changed."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bot.fakeslack import Response
from storage.models import AuditEvent, Prompt
from tests.conftest import Bot
from tests.slack.pip_helpers import ENGINEER, HR, MANAGER, opened_pip, pip_row, seed_team, told

REFUSED = (
    "Sorry, that isn’t something you can do. "
    "A PIP is seen only by the engineer, their manager and HR."
)
MISSING = 987654
Send = Callable[[Bot, str, int, int], Response]


def press(action: str, **extra: object) -> Send:
    def send(bot: Bot, user: str, pip_id: int, criterion_id: int) -> Response:
        value = {"pip_id": pip_id, **extra}
        if "criterion_id" in extra:
            value["criterion_id"] = criterion_id
        action_id = f"{action}_{criterion_id}" if action in ("pip_agree", "pip_comment") else action
        return bot.slack.block_action(user, action_id, json.dumps(value))

    return send


def replay(callback: str, meta: Callable[[int, int], dict[str, Any]]) -> Send:
    """A modal submitted with forged private_metadata: no inputs, so the refusal comes back
    in place of the modal."""

    def send(bot: Bot, user: str, pip_id: int, criterion_id: int) -> Response:
        view = {
            "id": "VFORGED",
            "type": "modal",
            "callback_id": callback,
            "private_metadata": json.dumps(meta(pip_id, criterion_id)),
            "blocks": [],
        }
        return bot.slack.view_submission(user, view, {})

    return send


def add_in_forged_plan(bot: Bot, user: str, pip_id: int, criterion_id: int) -> Response:
    """ "Add a criterion" pressed inside a plan modal whose metadata names the PIP."""
    meta = {"pip_id": pip_id, "version": 1}
    view = {
        "id": "VFORGED",
        "type": "modal",
        "callback_id": "pip_plan",
        "private_metadata": json.dumps(meta),
        "blocks": [],
        "state": {"values": {}},
    }
    return bot.slack.block_action(user, "pip_add_criterion", "add", view=view)


# (listener, who may, how it is sent)
CASES: list[tuple[str, set[str], Send]] = [
    ("hr_changes", {"hr"}, press("pip_hr_changes")),
    ("edit_preconditions", {"manager"}, press("pip_edit_preconditions")),
    ("write_plan", {"manager"}, press("pip_write_plan")),
    ("mark_opened", {"manager"}, press("pip_mark_opened")),
    ("add_slot", {"manager"}, add_in_forged_plan),
    ("engineer_received", {"engineer"}, press("pip_received")),
    ("engineer_comment", {"engineer"}, press("pip_comment", criterion_id=0, revision=1)),
    (
        "submit_preconditions",
        {"manager"},
        replay("pip_preconditions", lambda p, c: {"engineer_id": 0, "pip_id": p}),
    ),
    ("submit_changes", {"hr"}, replay("pip_hr_changes", lambda p, c: {"pip_id": p})),
    (
        "submit_plan",
        {"manager"},
        replay("pip_plan", lambda p, c: {"pip_id": p, "version": 1}),
    ),
    (
        "submit_comment",
        {"engineer"},
        replay("pip_comment", lambda p, c: {"pip_id": p, "criterion_id": c, "revision": 1}),
    ),
    (
        "submit_checkpoint",
        {"manager"},
        replay("pip_checkpoint", lambda p, c: {"pip_id": p, "number": 1}),
    ),
    ("submit_outcome", {"manager"}, replay("pip_outcome", lambda p, c: {"pip_id": p})),
]
PEOPLE = {
    "engineer": ENGINEER,
    "manager": MANAGER,
    "hr": HR,
    "another manager": "UOTTO",
    "another engineer": "UBEN",
    "non-member": "UCHIDI",
}


@pytest.fixture(autouse=True)
def team(bot: Bot) -> None:
    seed_team(bot)


def state(bot: Bot, pip_id: int) -> tuple[Any, ...]:
    pip = pip_row(bot, pip_id)
    with bot.uow() as uow:
        events = uow.session.query(AuditEvent).count()
        prompts = uow.session.query(Prompt).count()
    criteria = tuple((c.text, c.answer, c.comment) for c in pip.criteria)
    checkpoints = tuple(c.recorded_at for c in pip.checkpoints)
    return (pip.status, pip.version, pip.outcome, criteria, checkpoints, events, prompts)


def refusal_seen(bot: Bot, user: str, response: Response, before: int) -> bool:
    body = json.dumps(response.json(), ensure_ascii=False) if response.text else ""
    return REFUSED in body or any(REFUSED in text for text in told(bot, user)[before:])


@pytest.mark.parametrize(("listener", "allowed", "send"), CASES, ids=[c[0] for c in CASES])
def test_a_pip_act_replayed_by_anyone_else_is_refused_alike_and_changes_nothing(
    bot: Bot, listener: str, allowed: set[str], send: Send
) -> None:
    pip_id = opened_pip(bot)
    criterion_id = pip_row(bot, pip_id).criteria[0].id
    for who, user in PEOPLE.items():
        if who in allowed:
            continue
        before, seen = state(bot, pip_id), len(told(bot, user))
        response = send(bot, user, pip_id, criterion_id)
        assert response.status == 200
        assert refusal_seen(bot, user, response, seen), (listener, who)
        assert state(bot, pip_id) == before, (listener, who)
        seen = len(told(bot, user))
        missing = send(bot, user, MISSING, MISSING)
        assert refusal_seen(bot, user, missing, seen), (listener, who, "missing")
