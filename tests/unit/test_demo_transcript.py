"""The demo transcript's frames: local times beside UTC, one-line updates, field errors by label."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.demo.transcript import Transcript, _changes
from bot.fakeslack import FakeSlack


def test_an_update_is_the_lines_it_added_in_order() -> None:
    before = ["│ **Week 4**", "│ ⏳ Still to answer: Ana, Maya", "│ [Open check-in]"]
    after = ["│ **Week 4**", "│ ✅ Answered: Ana", "│ ⏳ Still to answer: Maya", "│ ─────"]
    assert _changes(before, after) == ["✅ Answered: Ana", "⏳ Still to answer: Maya"]


def test_local_times_name_each_person_their_hour_and_a_day_that_differs_from_utc() -> None:
    with FakeSlack(team_id="T1") as fake:
        fake.add_user("UANA", name="ana", real_name="Ana Ruiz", tz="America/Los_Angeles")
        fake.add_user("UCHIDI", name="chidi", real_name="Chidi Eze", tz="Asia/Kolkata")
        now = datetime(2027, 1, 4, 20, 0, tzinfo=timezone.utc)
        transcript = Transcript(fake, lambda: now)
        assert transcript.local_times(["UANA", "UCHIDI"]) == (
            "🕘 20:00 UTC = 12:00 for Ana Ruiz (Los Angeles), 01:30 Tue for Chidi Eze (Kolkata)"
        )


def test_a_refused_field_is_named_by_its_label_not_its_block_id() -> None:
    with FakeSlack(team_id="T1") as fake:
        fake.add_user("UMAYA", name="maya", real_name="Maya Okafor", tz="Europe/London")
        view = {
            "blocks": [
                {
                    "type": "input",
                    "block_id": "reason_1",
                    "label": {"type": "plain_text", "text": "If not delivered: why?"},
                    "element": {"type": "plain_text_input"},
                }
            ]
        }
        body = {"response_action": "errors", "errors": {"reason_1": "Its date has passed."}}
        lines = Transcript(fake).ack_lines("UMAYA", body, view)
        assert lines[1] == "│ If not delivered: why?: Its date has passed."
