"""What people type reaches others as typed: never a ping, a channel link or a disguised link.

The goal below is the issue's; the other fields carry the rest of Slack's `<…>` syntax. It goes
through the whole lifecycle by signed requests: the manager's DM, their modal, the plan
message, the week-4 prompt, App Home, the review and check-in modals, the review summary."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.fakeslack import input_values
from bot.slack.ids import Action
from tests.conftest import Bot
from tests.reliability.slack_text import foreign_tokens, sent_texts, shown
from tests.slack.cadence_helpers import posted, tick
from tests.slack.helpers import GOOD_COMMITMENTS, GOOD_DRAFT, dm_messages, open_pdp, press, submit

GOAL = "Keep p99 <200ms & errors >1% owned by me <!channel> without escalating to <@UOTHER>"
SUCCESS = (
    "Two incidents led end to end, written up in <#C0GENERAL> and <https://evil.example|the docs>"
)
STRENGTHS = "Search features end to end <!here> &amp; reviews &lt;b&gt;"
COMMITMENT = "I will pair Ana with <!subteam^S0SRE> on the next two latency incidents"
PROGRESS = "Led one incident <!everyone> & wrote it up <@UBEN>"
PEOPLE = {"@UANA", "@UMAYA"}  # the bot's own mentions of the pair are meant
WEEK4 = datetime(2027, 1, 25, 17, 0, tzinfo=timezone.utc)  # the plan starts on Mon 4 Jan


def _run_the_lifecycle(bot: Bot) -> int:
    open_pdp(bot, "UANA")
    draft = {**GOOD_DRAFT, "goal1_outcome": GOAL, "goal1_success": SUCCESS, "strengths": STRENGTHS}
    assert submit(bot, "UANA", draft).json()["response_action"] == "update"
    press(bot, "UMAYA", Action.OPEN_MANAGER_MODAL, message=dm_messages(bot, "UMAYA")[-1])
    response = submit(bot, "UMAYA", {**GOOD_COMMITMENTS, "commitment1_text": COMMITMENT})
    assert "will get it in a moment" in response.text, response.text
    press(bot, "UANA", Action.OPEN_CONFIRM_MODAL, message=dm_messages(bot, "UANA")[-1])
    assert "Your plan is active" in submit(bot, "UANA").text
    with bot.uow() as uow:
        (plan,) = (uow.plans.current_for(uow.people.get("T0001", "UANA")),)  # type: ignore[arg-type]
        assert plan is not None
        plan_id = plan.id
    tick(bot, datetime(2027, 1, 4, 18, 0, tzinfo=timezone.utc))  # the goal-setting prompt
    tick(bot, WEEK4)
    press(bot, "UANA", Action.OPEN_CHECKIN, message=posted(bot, _week4(plan_id)))
    submit(bot, "UANA", {"done": PROGRESS})
    for user in ("UANA", "UMAYA"):
        bot.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    bot.slack.command("/pdp-review", "<@UANA|ana>", user="UMAYA")
    review = bot.fake.last_view("UMAYA")
    assert review is not None
    bot.slack.view_submission("UMAYA", review, input_values(review, {"done": PROGRESS}))
    return plan_id


def _week4(plan_id: int) -> str:
    return f"plan:{plan_id}:progress_check:1"


def test_nothing_a_person_typed_pings_or_links_anywhere_the_bot_writes(bot: Bot) -> None:
    _run_the_lifecycle(bot)
    texts = sent_texts(bot.fake)
    foreign = [
        (method, token)
        for method, kind, text in texts
        if kind == "mrkdwn"
        for token in foreign_tokens(text, PEOPLE)
    ]
    assert foreign == []
    assert {m for m, _, _ in texts} >= {
        "chat.postMessage",
        "chat.update",
        "views.open",
        "views.publish",
    }


def test_plain_text_shows_what_was_typed_without_escapes(bot: Bot) -> None:
    _run_the_lifecycle(bot)
    plain_texts = [text for _, kind, text in sent_texts(bot.fake) if kind == "plain_text"]
    assert any(GOAL in text for text in plain_texts)  # the review modal's label for the goal
    assert [t for t in plain_texts if "&lt;" in t or "&gt;" in t or "&amp;" in t] == []


def test_the_goal_reads_as_typed_in_the_managers_dm_the_week_4_prompt_home_and_modals(
    bot: Bot,
) -> None:
    plan_id = _run_the_lifecycle(bot)
    seen = {
        method: [shown(kind, text) for m, kind, text in sent_texts(bot.fake) if m == method]
        for method in ("chat.postMessage", "views.open", "views.publish")
    }
    manager_dm = "\n".join(
        shown("mrkdwn", b["text"]["text"]) for b in _sections(dm_messages(bot, "UMAYA")[0])
    )
    assert GOAL in manager_dm
    week4 = "\n".join(
        shown("mrkdwn", b["text"]["text"]) for b in _sections(posted(bot, _week4(plan_id)))
    )
    assert GOAL in week4
    assert any(GOAL in text for text in seen["views.publish"])  # App Home
    assert any(GOAL in text for text in seen["views.open"])  # the manager's and review modals
    assert any(STRENGTHS in text for text in seen["views.open"])
    assert any(COMMITMENT in text for text in seen["chat.postMessage"])
    assert any(PROGRESS in text for text in seen["chat.postMessage"])  # the review summary


def _sections(message: dict[str, object]) -> list[dict[str, dict[str, str]]]:
    blocks = message.get("blocks") or []
    assert isinstance(blocks, list)
    return [b for b in blocks if b.get("type") == "section" and b.get("text")]
