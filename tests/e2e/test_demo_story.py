"""`pdpbot demo` read top to bottom as a new user would (issue 7, Demo): each person's local time
beside UTC, a message shown once with its updates as one line each, repeated reminders
collapsed, every story followed to its end, and a closing summary a manager understands."""

from __future__ import annotations

import io
import re

import pytest

from bot.demo.runner import run


@pytest.fixture(scope="module")
def demo() -> str:
    out = io.StringIO()
    assert run(out=out) == 0
    return out.getvalue()


def section(text: str, start: str, end: str | None = None) -> str:
    after = text[text.index(start) :]
    return after[: after.index(end, 1)] if end else after


def messages(text: str) -> list[tuple[str, list[str]]]:
    """Each message the bot posted: its header line and its body lines."""
    found: list[tuple[str, list[str]]] = []
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("💬 pdpbot in "):
            body = []
            for following in lines[n + 1 :]:
                if not following.startswith("│"):
                    break
                body.append(following)
            found.append((line, body))
    return found


def test_each_message_names_the_local_time_of_everyone_who_gets_it_beside_utc(demo: str) -> None:
    assert (
        "🕘 17:00 UTC = 09:00 for Ana Ruiz (Los Angeles), 17:00 for Maya Okafor (London)\n"
        "💬 pdpbot in the DM of Ana Ruiz, Maya Okafor:\n│ **Week 1: goal-setting conversation**"
    ) in demo
    # Chidi's prompts land in the Kolkata afternoon, inside Maya's London morning
    assert (
        "🕘 10:00 UTC = 15:30 for Chidi Eze (Kolkata), 10:00 for Maya Okafor (London)\n"
        "💬 pdpbot in the DM of Chidi Eze, Maya Okafor:\n│ **Week 4: progress check**"
    ) in demo
    # after the UK clocks change, 09:00 UTC is 10:00 in London
    assert "🕘 09:00 UTC = 10:00 for Ben Carter (London), 10:00 for Maya Okafor (London)" in demo
    # what people type and press carries their own local time too
    assert "Chidi Eze types: /pdp   🕘 10:00 UTC = 15:30 for Chidi Eze (Kolkata)" in demo
    assert "Ana Ruiz presses [Open check-in]   🕘 18:00 UTC = 10:00 for Ana Ruiz (Los Angeles)" in (
        demo
    )
    stamped = [line for line in demo.splitlines() if line.startswith("💬 pdpbot in the DM")]
    before = demo.splitlines()
    for line in stamped:
        n = before.index(line)
        if "the same message again" not in line:
            assert before[n - 1].startswith("🕘 "), line


def test_a_modal_updated_in_place_shows_only_what_changed(demo: str) -> None:
    end_states = section(demo, "┌─ the modal «End of period» of Ana Ruiz changes in place", "└─")
    assert "│ ▸ Unfinished goals to carry into next quarter (optional): ☑ Be able to" in end_states
    assert "What was achieved?" not in end_states  # unchanged lines are not printed again
    longer = section(demo, "▶ She wonders about a six-month plan", "└─")
    assert "│ ▸ Period ends: [📅 2027-09-30]" in longer
    assert "4 monthly reviews from *Tue 1 Jun 2027* · reflection *Fri 17 Sep 2027*" in longer


def test_a_check_in_is_shown_once_and_each_update_is_one_line(demo: str) -> None:
    ana_week4 = [
        m
        for m in messages(demo)
        if m[0] == "💬 pdpbot in the DM of Ana Ruiz, Maya Okafor:"
        and m[1][0] == "│ **Week 4: progress check**"
    ]
    assert len(ana_week4) == 1
    updates = [line for line in demo.splitlines() if line.startswith("✎ pdpbot updated")]
    assert (
        "✎ pdpbot updated “Week 4: progress check” in the DM of Ana Ruiz, Maya Okafor: "
        "✅ Answered: Ana Ruiz  ·  ⏳ Still to answer: Maya Okafor"
    ) in updates
    assert (
        "✎ pdpbot updated “Week 8: progress check” in the DM of Ben Carter, Maya Okafor: "
        "📅 Ben Carter moved this review to Thu 25 Feb 2027; it will be posted again that day."
    ) in updates
    lines = demo.splitlines()
    for line in updates:  # never followed by the whole message again
        assert not lines[lines.index(line) + 1].startswith("│"), line


def test_a_repeated_reminder_is_one_line_naming_how_many_times(demo: str) -> None:
    booking = "│ You committed to Ana Ruiz: “I will book the March architecture review slot"
    assert sum(line.startswith(booking) for line in demo.splitlines()) == 1
    assert (
        "💬 pdpbot in the DM of Maya Okafor, the same message again (3rd time): "
        "“You committed to Ana Ruiz: “I will book the March architect…”"
    ) in demo
    bodies = [tuple(body) for _, body in messages(demo) if body]
    reminders = [b for b in bodies if "You committed to" in b[0]]
    assert len(reminders) == len(set(reminders))  # no reminder printed in full twice


def test_no_step_of_the_story_is_left_refused(demo: str) -> None:
    assert "the modal stays open, with these messages" not in demo
    assert "update for ?" not in demo


def test_chidis_story_runs_from_a_waiting_draft_to_next_quarter(demo: str) -> None:
    chidi = section(demo, "▶ Chidi, in Kolkata, drafts his plan")
    dates = section(chidi, "Chidi Eze presses [Change dates]", "└─")
    assert "┌─ the modal «Development plan» of Chidi Eze changes in place; what is new:" in dates
    assert "│ ▸ First progress check: [📅 2027-01-26]" in dates
    assert "@Chidi Eze's development plan for Tue 5 Jan 2027 – Wed 31 Mar 2027 has been" in chidi
    nudge = section(chidi, "━━━ Fri 8 Jan 2027", "▶ The cadence runs")
    assert "Maya Okafor presses [Add my commitments]" in nudge
    assert "(by Thu 28 Jan 2027)" in nudge  # no date given: due by his next check, as moved
    assert ":seedling: @Chidi Eze's development plan is agreed" in nudge
    assert "*Reviews:* progress checks *Thu 28 Jan 2027*" in nudge  # only checks still ahead
    withdrawn = section(demo, "Maya Okafor presses [No longer needed…]", "━━━")
    assert "no longer needed — “Priya moved to the search team" in withdrawn
    end = section(demo, "━━━ Thu 1 Apr 2027")
    assert "💬 pdpbot in the DM of Chidi Eze, Maya Okafor:" in end
    assert "your plan for Tue 5 Jan 2027 – Wed 31 Mar 2027 has no reflection yet" in end


def test_every_pair_gets_next_quarters_week_one_on_its_first_working_day(demo: str) -> None:
    end = section(demo, "━━━ Thu 1 Apr 2027")
    assert end.count("*Week 1 of next quarter: goal-setting conversation*") == 3
    for pair in ("Ana Ruiz, Maya Okafor", "Ben Carter, Maya Okafor", "Chidi Eze, Maya Okafor"):
        assert f"💬 pdpbot in the DM of {pair}:" in end
    assert "• Be able to diagnose production latency issues" in end  # Ana's carried goal
    assert "starts fresh: no goal was carried forward" in end  # Ben achieved his


def test_bens_moved_review_is_held_and_his_reflection_follows_its_nudge(demo: str) -> None:
    assert (
        "✎ pdpbot updated “Week 8: progress check” in the DM of Ben Carter, Maya Okafor: "
        "✅ Answered: Ben Carter, Maya Okafor"
    ) in demo
    reflection = section(demo, "▶ Ben writes his reflection", "▶")
    closed = ":checkered_flag: @Ben Carter's plan for Mon 4 Jan 2027 – Wed 31 Mar 2027 is closed."
    assert closed in reflection
    assert "approved by reviewers with no more than one round of questions* — ✅ achieved" in (
        reflection
    )


def test_the_demo_closes_with_what_a_manager_wants_to_know(demo: str) -> None:
    summary = section(demo, "━━━ The quarter as Maya Okafor sees it")
    assert summary.startswith(
        "━━━ The quarter as Maya Okafor sees it: Mon 4 Jan 2027 – Wed 31 Mar 2027 ━━━\n"
        "Prompts sent: 31 — 12 for a conversation (3 goal setting, 6 progress checks, "
        "3 reflections), 7 nudges, 9 commitment reminders, 3 for next quarter's week 1.\n"
        "Reviews held: 8 of 13 (a check-in is held when both of you answered it).\n"
        "  Ana Ruiz: ✅ goal setting · ✅ week 4 check · ⏳ week 8 check, unanswered · "
        "✅ monthly review · ✅ reflection\n"
    )
    assert "Commitments delivered: 3 of 4." in summary
    assert (
        "  Chidi Eze: ✖️ “I will pair Chidi with Priya for the refunds export's planning "
        "session”, no longer needed: Priya moved to the search team" in summary
    )
    assert "  Ana Ruiz: closed with a reflection, 1 unfinished goal carried" in summary
    assert "  Chidi Eze: the period ended without a reflection" in summary
    assert not re.search(r"chat\.postMessage|views\.open|ticks", summary)


def test_quiet_prints_only_the_managers_summary() -> None:
    out = io.StringIO()
    assert run(quiet=True, out=out) == 0
    assert out.getvalue().strip().startswith("━━━ The quarter as Maya Okafor sees it")


def test_the_same_prompt_to_another_pair_shows_only_what_differs(demo: str) -> None:
    start = "💬 pdpbot in the DM of Chidi Eze, Maya Okafor:\n│ **Week 4: progress check**\n"
    chidi = section(demo, start, "🕘")
    assert "│ (as the message in the DM of Ana Ruiz, Maya Okafor above, except:)" in chidi
    assert "│ 1. Plan and ship a small payments feature end to end" in chidi
    assert "Looking back" not in chidi and "time for a brief progress check" not in chidi
