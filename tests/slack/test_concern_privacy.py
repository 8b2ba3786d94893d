"""Nothing about a concern is ever posted anywhere but the recording manager's DM (and their
own modals and App Home), apart from the recap in the engineer's DM."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from storage.models import Concern
from tests.conftest import Bot
from tests.slack.concern_helpers import (
    CONCERN,
    CONTEXT_NOTES,
    EXPECTATION,
    GOOD,
    SUPPORT,
    command,
    home_of,
    open_concern_id,
    open_modal,
    open_record,
    record,
    seed_team,
    submit,
)

# Every text of Maya's concern about Ana, and of Otto's about Chidi.
NOTES_ONLY = [CONCERN, CONTEXT_NOTES, "OTTO-CONCERN", "OTTO-NOTES"]
IN_RECAP = [EXPECTATION, SUPPORT]
OTTO = {
    **GOOD,
    "concern": "OTTO-CONCERN: two incident reviews missed in December",
    "context_notes": "OTTO-NOTES",
    "expectation": "OTTO-EXPECTATION: attend every incident review in January",
    "support": "OTTO-SUPPORT: a reviewer buddy for each incident review",
}


def where(bot: Bot, method: str, args: dict[str, Any]) -> str:
    """Who can read what this call shows: 'dm:<user>', 'home:<user>', 'modal:<user>', or
    'channel:<id>' for anything else (a group DM, the HR channel)."""
    if method in ("chat.postMessage", "chat.update"):
        channel = str(args["channel"])
        info = bot.fake.channel(channel) or {}
        members = set(bot.fake.members(channel)) - {bot.fake.bot_user_id}
        if info.get("is_im") and len(members) == 1:
            return f"dm:{members.pop()}"
        return f"channel:{channel}"
    if method == "chat.postEphemeral":
        return f"ephemeral:{args['user']}:{args['channel']}"
    if method == "views.publish":
        return f"home:{args['user_id']}"
    if method in ("views.open", "views.push"):
        return f"modal:{bot.fake.trigger_user(str(args['trigger_id']))}"
    if method == "views.update":
        return f"modal:{bot.fake.view_user(str(args['view_id']))}"
    return f"other:{method}"


def the_whole_story(bot: Bot) -> None:
    seed_team(bot)
    open_modal(bot, "UMAYA", "UANA")
    submit(bot, "UMAYA", {**GOOD, "recap": ["recap"]})
    record(bot, "UOTTO", "UCHIDI", **OTTO)
    for user in ("UANA", "UBEN", "UHANA", "UOTTO", "UCHIDI"):
        command(bot, user, "<@UANA|ana>")
        home_of(bot, user)
    bot.clock.now = datetime(2027, 2, 1, 10, tzinfo=timezone.utc)
    bot.runtime.tick(bot.clock.now)
    message = next(
        m
        for c in bot.fake.calls_to("chat.postMessage")
        for m in bot.fake.messages(str(c.args["channel"]))
        if "Follow-up: Ana Ruiz" in str(m)
    )
    bot.slack.block_action("UMAYA", "concern_another", message=message)
    submit(bot, "UMAYA", {**GOOD, "recap": ["recap"]})
    bot.clock.now = datetime(2027, 3, 1, 10, tzinfo=timezone.utc)
    bot.runtime.tick(bot.clock.now)
    second = [
        m
        for c in bot.fake.calls_to("chat.postMessage")
        for m in bot.fake.messages(str(c.args["channel"]))
        if "conversation 2 of your early-intervention notes" in str(m)
    ][-1]
    bot.slack.block_action("UMAYA", "concern_formal", message=second)
    for user in ("UMAYA", "UANA", "UHANA", "UOTTO"):
        home_of(bot, user)
    open_record(bot, "UOTTO", open_concern_id(bot, "UOTTO", "UCHIDI"))  # their own records
    with bot.uow() as uow:
        maya_concern = uow.session.query(Concern).filter_by(status="formal").one().id
    bot.slack.block_action(
        "UMAYA", f"open_concern_{maya_concern}", f'{{"concern_id": {maya_concern}}}'
    )


def test_no_message_about_a_concern_goes_anywhere_but_the_managers_dm(bot: Bot) -> None:
    the_whole_story(bot)

    seen: dict[str, set[str]] = {}
    for call in bot.fake.calls:
        shown = str(call.args)
        for marker in (*NOTES_ONLY, *IN_RECAP, "OTTO-EXPECTATION", "early-intervention"):
            if marker in shown:
                seen.setdefault(marker, set()).add(where(bot, call.method, call.args))

    maya, otto = (
        {"dm:UMAYA", "home:UMAYA", "modal:UMAYA"},
        {"dm:UOTTO", "home:UOTTO", "modal:UOTTO"},
    )
    assert seen[CONCERN] <= maya and seen[CONTEXT_NOTES] <= maya
    assert seen["OTTO-CONCERN"] <= otto and seen["OTTO-NOTES"] <= otto
    for recapped in (EXPECTATION, SUPPORT):  # Maya's follow-ups and records; Ana's recaps
        assert {"dm:UMAYA", "modal:UMAYA", "dm:UANA"} <= seen[recapped] <= maya | {"dm:UANA"}
    assert seen["OTTO-EXPECTATION"] <= otto  # Otto sent no recap
    # "early-intervention": the manager's own notes and the refusals, never a shared channel
    assert not any(w.startswith(("channel:", "other:")) for w in seen["early-intervention"])


def test_the_engineer_is_told_only_what_the_recap_says(bot: Bot) -> None:
    the_whole_story(bot)

    to_ana = [
        str(c.args)
        for c in bot.fake.calls
        if where(bot, c.method, c.args) in ("dm:UANA", "home:UANA", "modal:UANA")
    ]
    told = "\n".join(to_ana)
    assert told.count("*A recap of your conversation with Maya Okafor") == 2
    assert CONCERN not in told and CONTEXT_NOTES not in told
    assert "formal" not in told and "Follow-up" not in told


def test_nothing_about_a_concern_reaches_a_group_dm_or_the_hr_channel(bot: Bot) -> None:
    the_whole_story(bot)

    shared = {
        str(c.args["channel"])
        for c in bot.fake.calls_to("chat.postMessage")
        if where(bot, c.method, c.args).startswith("channel:")
    }
    for channel in shared | {"CHR"}:
        for message in bot.fake.messages(channel):
            text = str(message)
            assert not any(marker in text for marker in (*NOTES_ONLY, *IN_RECAP)), channel
