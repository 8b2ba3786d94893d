"""The demo's two early-intervention stories read as the guide describes them."""

from __future__ import annotations

import io
from datetime import datetime, timezone

from bot.demo import concern_scenes
from bot.demo.runner import PEOPLE, TEAM, demo_environment
from storage.models import Person


def test_the_demo_shows_one_concern_resolved_and_one_reaching_the_formal_process_note() -> None:
    out = io.StringIO()
    with demo_environment(out, quiet=False) as demo:
        with demo.runtime.uow() as uow:
            people = {
                user: uow.people.add(
                    Person(
                        team_id=TEAM,
                        slack_user_id=user,
                        name=real_name,
                        tz=tz,
                        profile_refreshed_at=demo.clock.now,
                    )
                )
                for user, (_, real_name, tz) in PEOPLE.items()
            }
            for report in ("UANA", "UBEN", "UCHIDI"):
                people[report].manager = people["UMAYA"]
            uow.commit()
        demo.clock.now = datetime(2027, 3, 1, 17, tzinfo=timezone.utc)
        concern_scenes.record_concerns(demo)
        demo.tick_until(datetime(2027, 3, 15, 11, tzinfo=timezone.utc))
        concern_scenes.follow_ups(demo)
        concern_scenes.formal_process_note(demo, datetime(2027, 3, 29, 11, tzinfo=timezone.utc))
    text = out.getvalue()

    assert "“isn't very proactive” describes who someone is, not what they did" in text
    assert "Saved: conversation 1 with Ben Carter" in text
    assert "💬 pdpbot in the DM of Ben Carter:\n│ *A recap of your conversation" in text
    assert "Billing on-call" not in text.split("in the DM of Ben Carter")[1].split("┌─")[0]
    assert text.count("*Follow-up: Ben Carter* · conversation 1") == 1
    assert "I don’t have @Ben Carter down as one of them" in text  # Ana may not record one
    assert "Resolved: the concern about Ben Carter is closed, and nothing further is needed" in text
    assert "This continues your open concern about *Chidi Eze*" in text
    assert "Saved: conversation 2 with Chidi Eze" in text
    story_end = text[text.index("the follow-up of the second conversation with Chidi") :]
    assert "After 2 conversations without sufficient change, a formal process may now be" in (
        story_end
    )
    assert "HR is involved from the start" in story_end
    before_end = text[: text.index("the follow-up of the second conversation with Chidi")]
    assert "a formal process may now be warranted" not in before_end
    formal = text[text.index("Maya Okafor presses [Consider a formal process]") :]
    assert "Noted: a formal process is being considered for Chidi Eze" in formal
    assert "closed: a formal process considered · since Mon 1 Mar 2027 · 2 conversations" in formal
    assert "↪ another conversation followed\n│ *Recap:* sent to them on Mon 1 Mar 2027" in formal
    assert "This note seems to hold a personal detail (“hospital”)" in text
    assert "“Communicate his progress better” can’t be observed" in text
    assert "hospital" not in formal  # the saved note kept only that something was shared
    assert (
        "*Context:* a performance issue needing direct support. A personal circumstance" in formal
    )
    to_chidi = [part.split("┌─")[0] for part in text.split("in the DM of Chidi Eze:")[1:]]
    assert to_chidi and not any("personal" in part or "hospital" in part for part in to_chidi)
