"""Who may do what to a PIP, through signed requests: the engineer, their manager, another
manager, another engineer, an HR member and a non-member, against view, open, acknowledge,
agree, checkpoint and close, each cell asserted. A refusal is the same whether or not a PIP
exists, so nobody learns that one does."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Bot
from tests.slack.pip_helpers import ENGINEER, HR, MANAGER, opened_pip, pip_row, seed_team

WHO = {
    "engineer": ENGINEER,
    "manager": MANAGER,
    "other manager": "UOTTO",
    "other engineer": "UBEN",
    "hr member": HR,
    "non-member": "UCHIDI",
}
ALLOWED = {
    "view": {"engineer", "manager", "hr member"},
    "open": {"manager"},
    "acknowledge": {"hr member"},
    "agree": {"engineer"},
    "checkpoint": {"manager"},
    "close": {"manager"},
}
MISSING = 987654


@pytest.fixture(autouse=True)
def team(bot: Bot) -> None:
    seed_team(bot)


def home_text(bot: Bot, user: str) -> str:
    bot.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    home = bot.fake.views.get(f"home:{user}") or {}
    return json.dumps(home.get("blocks", []))


def seen_by(bot: Bot, user: str, since: int) -> list[str]:
    """What `user` was told after call number `since`: texts posted to them, modals opened."""
    bot.runtime.app.wait_for_background()
    told: list[str] = []
    for call in bot.fake.calls[since:]:
        if call.method in ("chat.postMessage", "chat.postEphemeral"):
            told.append(str(call.args.get("text")))
        if call.method in ("views.open", "views.push"):
            view = call.args.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            told.append(f"modal:{(view or {}).get('callback_id')}")
    return told


def attempt(bot: Bot, who: str, act: str, pip_id: int, criterion_id: int) -> tuple[Any, list[str]]:
    user = WHO[who]
    since = len(bot.fake.calls)
    ref = json.dumps({"pip_id": pip_id})
    if act == "open":
        response = bot.slack.command("/pip", f"<@{ENGINEER}|ana>", user=user)
        body = response.json() if response.text else {}
        return body.get("text"), seen_by(bot, user, since)
    if act == "acknowledge":
        bot.slack.block_action(user, "pip_hr_acknowledge", ref)
    elif act == "agree":
        value = json.dumps({"pip_id": pip_id, "criterion_id": criterion_id, "revision": 1})
        bot.slack.block_action(user, f"pip_agree_{criterion_id}", value)
    elif act == "checkpoint":
        bot.slack.block_action(
            user, "pip_open_checkpoint", json.dumps({"pip_id": pip_id, "number": 1})
        )
    else:
        bot.slack.block_action(user, "pip_open_outcome", ref)
    return None, seen_by(bot, user, since)


@pytest.fixture
def pip(bot: Bot) -> tuple[int, int]:
    pip_id = opened_pip(bot)
    bot.clock.now = bot.clock.now.replace(month=1, day=11)  # the first checkpoint's date
    return pip_id, pip_row(bot, pip_id).criteria[0].id


REFUSED = (
    "Sorry, that isn’t something you can do. "
    "A PIP is seen only by the engineer, their manager and HR."
)


@pytest.mark.parametrize("who", list(WHO))
def test_view(bot: Bot, pip: tuple[int, int], who: str) -> None:
    shown = "Performance Improvement Plan" in home_text(bot, WHO[who])

    assert shown == (who in ALLOWED["view"])


@pytest.mark.parametrize("who", list(WHO))
def test_open(bot: Bot, who: str) -> None:
    answer, seen = attempt(bot, who, "open", 0, 0)

    if who in ALLOWED["open"]:
        assert seen == ["modal:pip_preconditions"]
    else:
        assert seen == [] and answer and "PIP" in answer


@pytest.mark.parametrize("act", ["acknowledge", "agree", "checkpoint", "close"])
@pytest.mark.parametrize("who", list(WHO))
def test_acts_on_a_pip(bot: Bot, pip: tuple[int, int], who: str, act: str) -> None:
    pip_id, criterion_id = pip
    if act == "acknowledge":
        with bot.uow() as uow:
            row = uow.pips.get(pip_id)
            assert row is not None
            row.status = "preconditions"
            uow.commit()
    before = pip_row(bot, pip_id)
    _, seen = attempt(bot, who, act, pip_id, criterion_id)
    after = pip_row(bot, pip_id)

    if who in ALLOWED[act]:
        assert not any(REFUSED in s for s in seen)
        if act == "acknowledge":
            assert after.status == "planning"
        elif act == "agree":
            assert after.criteria[0].agreed
        else:
            assert seen == [f"modal:{'pip_checkpoint' if act == 'checkpoint' else 'pip_outcome'}"]
    else:
        assert seen == [REFUSED]
        assert (after.status, after.criteria[0].answer) == (
            before.status,
            before.criteria[0].answer,
        )
        # the same answer for a PIP that does not exist
        _, missing = attempt(bot, who, act, MISSING, MISSING)
        assert missing == seen
