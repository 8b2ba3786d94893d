"""What a manager types into a concern reaches Slack as typed: never a ping or a disguised
link, in their DM, their modals and App Home, or the engineer's recap (notes/escaping.md)."""

from __future__ import annotations

from datetime import datetime, timezone

from tests.conftest import Bot
from tests.reliability.slack_text import foreign_tokens, sent_texts, shown
from tests.slack.concern_helpers import GOOD, home_of, open_modal, open_record, record, seed_team
from tests.slack.concern_helpers import submit as submit_modal

CONCERN = "Merged to main without review <!channel> twice; see <https://evil.example|the log>"
EXPECTATION = "Every PR reviewed by <@UOTHER> or a teammate before merge & p99 <200ms"
SUPPORT = "Pairing with <!subteam^S0SRE> on Tuesdays <!here>"
ANSWERS = {**GOOD, "concern": CONCERN, "expectation": EXPECTATION, "support": SUPPORT}
PEOPLE = {"@UANA", "@UMAYA"}  # the bot's own mentions are meant


def _the_story(bot: Bot) -> None:
    seed_team(bot)
    open_modal(bot, "UMAYA", "UANA")
    submit_modal(bot, "UMAYA", {**ANSWERS, "recap": ["recap"]})
    concern_id = record(bot)  # a second conversation: the first one's text is pre-filled
    home_of(bot, "UMAYA")
    open_record(bot, "UMAYA", concern_id)
    bot.clock.now = datetime(2027, 2, 1, 10, tzinfo=timezone.utc)
    bot.runtime.tick(bot.clock.now)


def test_nothing_typed_into_a_concern_pings_or_links(bot: Bot) -> None:
    _the_story(bot)

    texts = sent_texts(bot.fake)
    foreign = [
        (method, token)
        for method, kind, text in texts
        if kind == "mrkdwn"
        for token in foreign_tokens(text, PEOPLE)
    ]
    assert foreign == []
    assert {m for m, _, _ in texts} >= {"chat.postMessage", "views.open", "views.publish"}


def test_the_recap_and_the_record_read_as_typed(bot: Bot) -> None:
    _the_story(bot)

    seen = [shown(kind, text) for _, kind, text in sent_texts(bot.fake)]
    everything = "\n".join(seen)
    assert EXPECTATION in everything and SUPPORT in everything and CONCERN in everything
    plain = [text for _, kind, text in sent_texts(bot.fake) if kind == "plain_text"]
    assert [t for t in plain if "&lt;" in t or "&gt;" in t or "&amp;" in t] == []
