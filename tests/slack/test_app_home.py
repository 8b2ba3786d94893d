"""App Home for a manager with a large team, through signed requests."""

from __future__ import annotations

from datetime import datetime, timezone

from storage.models import Person
from tests.conftest import Bot
from tests.slack.helpers import find_element, press, text_of_view


def seed_team(bot: Bot, size: int) -> None:
    now = datetime(2027, 1, 4, tzinfo=timezone.utc)
    with bot.uow() as uow:
        maya = uow.people.add(
            Person(
                team_id="T0001",
                slack_user_id="UMAYA",
                name="Maya Okafor",
                tz="Europe/London",
                profile_refreshed_at=now,
            )
        )
        for n in range(size):
            uow.people.add(
                Person(
                    team_id="T0001",
                    slack_user_id=f"UR{n:03d}",
                    name=f"Report {n:03d}",
                    tz="Europe/London",
                    manager=maya,
                    profile_refreshed_at=now,
                )
            )
        uow.commit()


def test_a_manager_with_forty_reports_pages_through_them_all(bot: Bot) -> None:
    seed_team(bot, 40)
    bot.slack.event({"type": "app_home_opened", "user": "UMAYA", "tab": "home"})
    seen: list[str] = []
    for _ in range(3):
        home = bot.fake.views["home:UMAYA"]
        assert len(home["blocks"]) <= 100
        text = text_of_view(home)
        seen += [line for line in text.splitlines() if line.startswith("*Report ")]
        try:
            find_element(home["blocks"], "home_page_next")
        except AssertionError:
            break
        press(bot, "UMAYA", "home_page_next", view={**home, "id": home.get("id", "VHOME")})
    assert "40 reports" in text_of_view(bot.fake.views["home:UMAYA"])
    assert len(seen) == 40
    assert len(set(seen)) == 40
