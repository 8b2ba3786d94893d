"""Early-intervention conversations in the demo: one concern resolved at its follow-up, and
one that takes two conversations and ends with the bot saying a formal process may be
warranted."""

from __future__ import annotations

from typing import Any

from bot.demo.runner import Demo

BEN_FIRST_TRY: dict[str, object] = {
    "concern": "Ben isn't very proactive, and his design docs are late.",
    "context_kind": "system",
    "context_notes": "Billing on-call and the migration landed in the same month.",
    "expectation": "Be more proactive with reviewers",
    "support": "I'll review the outline of each design doc within two days of getting it",
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
    "context_notes": "No system cause we could find: he knows the board, and the load is normal.",
    "expectation": "Update the status of each ticket you pick up at least once a day",
    "support": "A 15-minute board walk-through together every Monday for four weeks",
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
    "follow_up_on": "2027-03-15",
}


def record_concerns(demo: Demo) -> None:
    """Week 1: Maya records two conversations she had in her 1:1s."""
    demo.step("maya_concern_ben")
    demo.command("UMAYA", "/pdp-concern", "<@UBEN|ben>")
    demo.step("maya_concern_personality")
    demo.submit("UMAYA", BEN_FIRST_TRY)
    demo.step("maya_concern_rewrites")
    demo.submit("UMAYA", BEN)
    demo.step("maya_concern_chidi")
    demo.command("UMAYA", "/pdp-concern", "<@UCHIDI|chidi>")
    demo.submit("UMAYA", CHIDI)
    demo.step("others_cannot_see")
    demo.command("UANA", "/pdp-concern", "<@UBEN|ben>")


def follow_ups(demo: Demo) -> None:
    """Ben's concern is resolved; Chidi's needs another conversation."""
    demo.step("ben_resolved")
    _open_record(demo, "UBEN")
    demo.press("UMAYA", "concern_resolved", view=_modal(demo))
    demo.step("chidi_another")
    _open_record(demo, "UCHIDI")
    demo.press("UMAYA", "concern_another", view=_modal(demo))
    demo.submit("UMAYA", CHIDI_AGAIN)


def formal_process_note(demo: Demo) -> None:
    """The second follow-up: a formal process may now be warranted."""
    demo.step("chidi_second_follow_up")
    _open_record(demo, "UCHIDI")


def _open_record(demo: Demo, engineer: str) -> None:
    demo.slack.event({"type": "app_home_opened", "user": "UMAYA", "tab": "home"})
    demo.flush()
    home = {**demo.fake.views["home:UMAYA"]}
    home.setdefault("id", "VHOME")
    demo.press("UMAYA", f"open_concern_{_concern_id(demo, engineer)}", view=home)


def _modal(demo: Demo) -> dict[str, Any]:
    view = demo.fake.last_view("UMAYA")
    assert view is not None
    return view


def _concern_id(demo: Demo, engineer: str) -> int:
    with demo.runtime.uow() as uow:
        manager = uow.people.get(demo.fake.team_id, "UMAYA")
        report = uow.people.get(demo.fake.team_id, engineer)
        assert manager is not None and report is not None
        concern = uow.concerns.open_thread(manager, report)
        assert concern is not None, f"Maya has no open concern about {engineer}"
        return concern.id
