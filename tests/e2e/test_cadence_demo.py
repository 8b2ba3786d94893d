"""The demo's cadence scenes read as a simulated quarter."""

from __future__ import annotations

import io
from datetime import date, datetime, timezone

from bot.demo.cadence_scenes import play_cadence
from bot.demo.runner import TEAM, demo_environment
from tests.cadence_support import active_plan


def test_the_demo_shows_prompts_a_check_in_a_reminder_delivered_and_a_moved_review() -> None:
    out = io.StringIO()
    with demo_environment(out, quiet=False) as demo:
        settings, now = demo.runtime.settings, demo.clock.now
        with demo.runtime.uow() as uow:
            ana = active_plan(uow, settings, now, team=TEAM, engineer="UANA").id
            ben = active_plan(
                uow,
                settings,
                now,
                team=TEAM,
                engineer="UBEN",
                commitments=[("Review Ben's design doc outline within two days", date(2027, 2, 1))],
            ).id
        play_cadence(demo, ana, ben, until=datetime(2027, 3, 1, tzinfo=timezone.utc))
    text = out.getvalue()
    assert text.count("**Week 4: progress check**") >= 2  # Ana's and Ben's, each on its day
    assert "Answered: Ana Ruiz, Maya Okafor" in text
    assert (
        "Noted: not yet — “Two sev-1 incidents took my week; I'll do it Monday”. It will be in"
        " the next review; I'll ask again on Mon 8 Feb 2027." in text
    )
    assert "Maya Okafor marked this delivered on Mon 8 Feb 2027" in text
    assert "moved this review to Thu 25 Feb 2027" in text
    assert "━━━ Thu 25 Feb 2027" in text


def test_the_demo_draws_a_ticked_box_as_ticked() -> None:
    from bot.demo.transcript import block_lines

    options = [
        {"value": "1", "text": {"type": "plain_text", "text": "Latency goal"}},
        {"value": "2", "text": {"type": "plain_text", "text": "Design goal"}},
    ]
    element = {"type": "checkboxes", "options": options, "initial_options": options[:1]}
    block = {"type": "input", "label": {"text": "Carry"}, "element": element}
    assert block_lines([block]) == ["▸ Carry: ☑ Latency goal ☐ Design goal"]
