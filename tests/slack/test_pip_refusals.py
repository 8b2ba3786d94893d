"""Bad input to a PIP, through signed requests: each refused with a clear message, nothing
half-written."""

from __future__ import annotations

import pytest

from bot.fakeslack import SlackClientSim
from bot.httpserver import LocalServer
from bot.runtime import build_runtime
from storage.pip_models import Pip
from tests.conftest import SIGNING_SECRET, TEAM, Bot, settings_for
from tests.slack.helpers import dm_messages
from tests.slack.pip_helpers import (
    ENGINEER,
    HR,
    MANAGER,
    acknowledge,
    command,
    earlier_conversations,
    latest_with,
    opened_pip,
    pip_id,
    pip_row,
    press_in,
    seed_team,
    start,
    submit,
    told,
    write_plan,
)


@pytest.fixture(autouse=True)
def team(bot: Bot) -> None:
    seed_team(bot)


def pip_count(bot: Bot) -> int:
    with bot.uow() as uow:
        return uow.session.query(Pip).count()


def ephemeral(response: object) -> str:
    return str(response.json()["text"])  # type: ignore[attr-defined]


def test_a_pip_for_someone_who_is_not_your_report_is_refused(bot: Bot) -> None:
    response = command(bot, "UOTTO", f"<@{ENGINEER}|ana>")

    assert "I don’t have <@UANA> down as one of your reports" in ephemeral(response)
    assert bot.fake.calls_to("views.open") == []


def test_yourself_and_nobody_are_refused(bot: Bot) -> None:
    assert "about yourself" in ephemeral(command(bot, MANAGER, "<@UMAYA|maya>"))
    assert "/pip @name" in ephemeral(command(bot, MANAGER, ""))


def test_a_second_pip_while_one_is_under_way_is_refused(bot: Bot) -> None:
    earlier_conversations(bot, 2)
    start(bot)

    response = command(bot, MANAGER, f"<@{ENGINEER}|ana>")

    assert "already has a PIP under way" in ephemeral(response)
    assert pip_count(bot) == 1


def test_an_hr_person_outside_the_private_hr_channel_is_refused(bot: Bot) -> None:
    earlier_conversations(bot, 2)
    response = start(bot, hr_user="UOTTO")

    assert response.json()["response_action"] == "errors"
    assert "not a member of the private HR channel" in response.json()["errors"]["hr_user"]
    assert pip_count(bot) == 0 and dm_messages(bot, "UOTTO") == []


def test_an_hr_channel_that_slack_reports_as_public_is_refused(bot: Bot) -> None:
    bot.fake.add_channel("CHR", name="hr-public", is_private=False, members=[HR, "UBOT"])

    response = command(bot, MANAGER, f"<@{ENGINEER}|ana>")

    assert "is not private" in ephemeral(response)
    assert bot.fake.calls_to("views.open") == []


def test_without_a_private_hr_channel_pip_refuses_with_a_message_for_the_operator(
    bot: Bot,
) -> None:
    settings = settings_for(bot.fake).model_copy(update={"hr_channel_id": None})
    runtime = build_runtime(settings, clock=bot.clock, engine=bot.runtime.engine)
    with LocalServer(runtime.wsgi()) as server:
        sim = SlackClientSim(
            server.url + "/slack/events",
            SIGNING_SECRET,
            TEAM,
            bot.fake,
            settle=runtime.app.wait_for_background,
        )
        response = sim.command("/pip", f"<@{ENGINEER}|ana>", user=MANAGER)

    text = str(response.json()["text"])
    assert "no private HR channel is configured" in text and "HR_CHANNEL_ID" in text


def test_empty_criteria_a_two_week_timeline_and_personality_language_are_refused(
    bot: Bot,
) -> None:
    earlier_conversations(bot, 2)
    start(bot)
    acknowledge(bot)
    press_in(bot, MANAGER, latest_with(bot, MANAGER, "pip_write_plan"), "pip_write_plan")

    response = submit(
        bot,
        MANAGER,
        {
            "concern_0": "She is not really a team player",
            "evidence_0": "Retro of 3 Feb",
            "criterion_0": "",
            "weeks": "2",
            "consequence": "A formal review with HR",
            "support_what_0": "Pairing on the search service",
            "support_who_0": "Priya Shah",
            "support_how_often_0": "Weekly",
        },
    )

    errors = response.json()["errors"]
    assert "describes who someone is" in errors["concern_0"]
    assert "at least one success criterion" in errors["criterion_0"]
    assert "2 weeks can’t work" in errors["weeks"]
    pip = pip_row(bot, pip_id(bot))
    assert pip.status == "planning" and pip.criteria == [] and pip.concerns == []


def test_a_checkpoint_for_a_closed_pip_is_refused(bot: Bot) -> None:
    pid = opened_pip(bot)
    with bot.uow() as uow:
        pip = uow.pips.get(pid)
        assert pip is not None
        pip.status = "closed"
        uow.commit()

    response = bot.slack.block_action(
        MANAGER, "pip_open_checkpoint", f'{{"pip_id": {pid}, "number": 1}}'
    )

    assert response.status == 200
    assert any("This PIP is closed" in text for text in told(bot, MANAGER))


def test_writing_the_plan_before_hr_acknowledges_is_refused(bot: Bot) -> None:
    earlier_conversations(bot, 2)
    start(bot)
    pid = pip_id(bot)
    bot.slack.block_action(MANAGER, "pip_write_plan", f'{{"pip_id": {pid}}}')

    assert any("has moved on" in text for text in told(bot, MANAGER))
    assert pip_row(bot, pid).status == "preconditions"
    _ = write_plan  # the happy path lives in test_pip_opening
