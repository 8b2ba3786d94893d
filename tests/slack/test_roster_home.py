"""Cadence health in App Home: a manager sees their own team's figures, HR every team's,
on a seeded organisation (the figures of tests/integration/test_health.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import Bot
from tests.integration.test_health import seed
from tests.slack.helpers import text_of_view
from tests.slack.test_my_manager import open_home


def seeded(bot: Bot) -> None:
    with bot.uow() as uow:
        seed(uow)
    bot.clock.now = datetime(2027, 3, 1, 10, tzinfo=UTC)


def test_a_manager_sees_their_own_teams_figures(bot: Bot) -> None:
    seeded(bot)
    text = text_of_view(open_home(bot, "UMAYA"))
    assert (
        "*Your team's cadence, 2027Q1:* reviews on time 67% (2/3) · commitments by their date "
        "33% (1/3) · check-ins answered 50% (1/2) · PIP support delivered –"
    ) in text
    assert "Roll-out" not in text  # Maya is not HR
    otto = text_of_view(open_home(bot, "UOTTO"))
    assert "reviews on time 0% (0/2)" in otto and "PIP support delivered 100% (1/1)" in otto


def test_hr_sees_every_teams_health_and_completion(bot: Bot) -> None:
    seeded(bot)
    text = text_of_view(open_home(bot, "UHANA"))
    assert "Roll-out 2027Q1" in text
    assert "• Data: 0 · 0 · 1" in text and "• Platform: 0 · 0 · 1" in text
    assert "*Platform*: reviews on time 67% (2/3)" in text
    assert "*Data*: reviews on time 0% (0/2)" in text


def test_an_engineer_sees_no_figures(bot: Bot) -> None:
    seeded(bot)
    text = text_of_view(open_home(bot, "UANA"))
    assert "cadence" not in text.lower() and "Roll-out" not in text
