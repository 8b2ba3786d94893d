"""Early-intervention conversations in the demo: one concern resolved at its follow-up, and
one that takes two conversations and ends with the bot saying a formal process may be
warranted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.demo.runner import Demo

BEN_FIRST_TRY: dict[str, object] = {
    "concern": "Ben isn't very proactive, and his design docs are late.",
    "context_kind": "system",
    "context_notes": "Billing on-call and the migration landed in the same month.",
    "expectation": "Be more proactive with reviewers",
    "support": "I'll review the outline of each design doc within two days of getting it",
    "follow_up_on": "2027-03-15",
    "recap": ["recap"],
}
BEN: dict[str, object] = {
    **BEN_FIRST_TRY,
    "concern": (
        "The last two billing design docs reached reviewers the day before their review, so "
        "both reviews ran out of time and were held again a week later."
    ),
    "expectation": (
        "Share each design doc with its reviewers at least two working days before its review"
    ),
}
CHIDI: dict[str, object] = {
    "concern": (
        "None of the 7 tickets picked up in the last sprint had its status updated, so the "
        "team planned around work that was already blocked."
    ),
    "context_kind": "performance",
    "context_notes": (
        "A personal circumstance was shared. No system cause we could find: he knows the board, "
        "and the load is normal."
    ),
    "expectation": "Update the status of each ticket you pick up at least once a day",
    "support": "A 15-minute board walk-through together every Monday",
    "follow_up_on": "2027-03-15",
    "recap": ["recap"],
}
CHIDI_FIRST_TRY: dict[str, object] = {
    **CHIDI,
    "context_notes": "He mentioned a hospital appointment last month; no system cause we found.",
    "expectation": "Communicate his progress better",
}
CHIDI_AGAIN: dict[str, object] = {
    **CHIDI,
    "concern": (
        "Since our last conversation, 4 of 9 tickets went a week without an update; two "
        "blocked tickets were found only at the sprint review."
    ),
    "expectation": (
        "Every ticket you pick up has its status updated before standup each day; blocked "
        "tickets are flagged in the team channel the same day"
    ),
    "support": "Pairing with Priya on ticket hygiene twice a week; the Monday walk-through goes on",
    "follow_up_on": "2027-03-29",
}


def record_concerns(demo: Demo) -> None:
    """Maya records two conversations she had in her 1:1s, each with a recap."""
    demo.step("maya_concern_ben")
    demo.command("UMAYA", "/pdp-concern", "<@UBEN|ben>")
    demo.step("maya_concern_personality")
    demo.submit("UMAYA", BEN_FIRST_TRY)
    demo.step("maya_concern_rewrites")
    demo.submit("UMAYA", BEN)
    demo.step("maya_concern_chidi")
    demo.command("UMAYA", "/pdp-concern", "<@UCHIDI|chidi>")
    demo.submit("UMAYA", CHIDI_FIRST_TRY)
    demo.step("maya_concern_chidi_rewrites")
    demo.submit("UMAYA", CHIDI)
    demo.step("others_cannot_see")
    demo.command("UANA", "/pdp-concern", "<@UBEN|ben>")


def follow_ups(demo: Demo) -> None:
    """The follow-ups arrive in Maya's DM: Ben's is resolved; Chidi's needs another talk."""
    demo.step("ben_resolved")
    demo.press("UMAYA", "concern_resolved", message=_follow_up(demo, "Ben Carter"))
    demo.step("chidi_another")
    demo.press("UMAYA", "concern_another", message=_follow_up(demo, "Chidi Eze"))
    demo.submit("UMAYA", CHIDI_AGAIN)


def formal_process_note(demo: Demo, until: datetime) -> None:
    """The follow-up of the second conversation: a formal process may now be warranted.
    Maya considers one; the record stays hers."""
    demo.step("chidi_second_follow_up")
    demo.tick_until(until)
    demo.step("chidi_formal")
    demo.press("UMAYA", "concern_formal", message=_follow_up(demo, "Chidi Eze"))


def _follow_up(demo: Demo, engineer: str) -> dict[str, Any]:
    for call in reversed(demo.fake.calls_to("chat.postMessage")):
        channel = str(call.args["channel"])
        if demo.fake.members(channel) != ["UMAYA"]:
            continue
        for message in reversed(demo.fake.messages(channel)):
            if f"Follow-up: {engineer}" in str(message):
                return message
    raise AssertionError(f"no follow-up about {engineer} in Maya's DM")
