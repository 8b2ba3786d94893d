"""After a plan closes, the manager's App Home says so in words that are true: the plan closed
(the next one not drafted yet) and when it was last reviewed, and "nothing outstanding" claims
no more than it knows. Through signed requests."""

from __future__ import annotations

from tests.conftest import Bot
from tests.slack.helpers import submit, text_of_view
from tests.slack.test_reflection import end_state_blocks, open_reflection, two_goal_plan


def maya_home(bot: Bot) -> str:
    bot.slack.event({"type": "app_home_opened", "user": "UMAYA", "tab": "home"})
    return text_of_view(bot.fake.views["home:UMAYA"])


def test_a_closed_plan_reads_closed_with_its_last_review_not_no_plan_never_reviewed(
    bot: Bot,
) -> None:
    two_goal_plan(bot)
    view = open_reflection(bot)  # Mon 22 Mar 2027
    first, second = end_state_blocks(view)
    answers = {first: "achieved", second: "dropped", "achieved": "Latency goal done."}
    assert "The plan is closed" in submit(bot, "UANA", answers).text
    home = maya_home(bot)
    row = home[home.index("*Ana Ruiz*") :]
    assert row.startswith("*Ana Ruiz* · ⚪ Plan closed; the next one isn't drafted yet\n")
    assert "last review Mon 22 Mar 2027" in row.splitlines()[1]
    assert "never reviewed" not in row and "🚫 No plan" not in row
    assert "1 report · nothing overdue · 1 with no plan" in home
    assert "every commitment you made is delivered" not in home
    assert (
        "✅ Nothing outstanding: none of your commitments in an open plan is waiting to be "
        "delivered." in home
    )
