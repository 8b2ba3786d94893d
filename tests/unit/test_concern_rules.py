"""An early-intervention conversation's record: required parts, dates, warnings, iterations."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

import prompts
from bot.domain.cadence import Calendar
from bot.domain.concerns import (
    ConversationForm,
    advice_at_follow_up,
    check_conversation,
    default_follow_up,
    find_personal_detail,
    formal_process_may_be_warranted,
)
from bot.domain.goals import Finding
from tests.unit.language_examples import GUIDE_CONCERN

TEMPLATES = Path(__file__).resolve().parents[2] / "prompts" / "concerns" / "findings"
MONDAY = date(2027, 1, 4)
HOLIDAY = Calendar(holidays=frozenset({date(2027, 2, 1)}))
working_day = HOLIDAY.is_working_day


GOOD = ConversationForm(
    held_on=MONDAY,
    concern=GUIDE_CONCERN,
    context_kind="system",
    context_notes="Unclear requirements on the search work; two projects at once.",
    expectation="Every PR includes tests for the changed code and a testing note in its summary",
    support="I will pair you with Priya on Tuesday afternoons and review your PRs within a day",
    follow_up_on=date(2027, 2, 2),
)


def form(**changes: object) -> ConversationForm:
    return dataclasses.replace(GOOD, **changes)  # type: ignore[arg-type]


def codes(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.code, f.severity, f.field) for f in findings]


def test_a_specific_conversation_record_has_no_findings() -> None:
    assert check_conversation(GOOD, MONDAY, working_day) == []


def test_the_follow_up_defaults_to_four_weeks_on_a_working_day() -> None:
    assert default_follow_up(date(2027, 1, 5), date(2027, 1, 5), working_day) == date(2027, 2, 2)
    # four weeks after Monday 4 January is a holiday here: the next working day
    assert default_follow_up(MONDAY, MONDAY, working_day) == date(2027, 2, 2)
    # four weeks after a Saturday conversation: Monday
    assert default_follow_up(date(2027, 1, 9), date(2027, 1, 11), working_day) == date(2027, 2, 8)


def test_a_conversation_recorded_long_after_still_gets_a_follow_up_ahead() -> None:
    today = date(2027, 3, 1)

    assert default_follow_up(date(2027, 1, 4), today, working_day) == date(2027, 3, 2)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"concern": "  "}, ("missing_concern", "error", "concern")),
        ({"expectation": ""}, ("missing_expectation", "error", "expectation")),
        ({"follow_up_on": date(2027, 1, 1)}, ("follow_up_in_past", "error", "follow_up_on")),
        (
            {"follow_up_on": date(2027, 1, 9)},
            ("follow_up_not_working_day", "error", "follow_up_on"),
        ),
        (
            {"follow_up_on": date(2027, 2, 1)},
            ("follow_up_not_working_day", "error", "follow_up_on"),
        ),
        ({"follow_up_on": None}, ("missing_follow_up", "error", "follow_up_on")),
        ({"held_on": date(2027, 1, 5)}, ("held_in_future", "error", "held_on")),
        ({"held_on": None}, ("missing_held_on", "error", "held_on")),
        ({"context_kind": "gossip"}, ("unknown_context", "error", "context_kind")),
        ({"support": "x" * 3001}, ("too_long", "error", "support")),
    ],
)
def test_bad_input_is_an_error_next_to_its_field(
    changes: dict[str, object], expected: tuple[str, str, str]
) -> None:
    assert expected in codes(check_conversation(form(**changes), MONDAY, working_day))


def test_a_follow_up_on_the_day_of_the_conversation_is_too_early() -> None:
    findings = check_conversation(
        form(held_on=date(2027, 1, 4), follow_up_on=date(2027, 1, 4)), MONDAY, working_day
    )

    assert codes(findings) == [("follow_up_before_conversation", "error", "follow_up_on")]


def test_personality_in_the_concern_is_a_warning_quoting_the_phrase() -> None:
    [finding] = check_conversation(
        form(concern="She lacks executive presence"), MONDAY, working_day
    )

    assert finding == Finding(
        "personality_concern", "warning", "concern", None, {"phrase": "lacks executive presence"}
    )


def test_be_more_proactive_is_flagged_as_not_an_action() -> None:
    [finding] = check_conversation(form(expectation="Be more proactive"), MONDAY, working_day)

    assert (finding.code, finding.params) == (
        "personality_expectation",
        {"phrase": "be more proactive"},
    )


def test_an_unobservable_expectation_gets_the_guides_rewrite_for_its_topic_and_period() -> None:
    [finding] = check_conversation(form(expectation="Improve communication"), MONDAY, working_day)

    assert finding.code == "unobservable"
    assert finding.params == {
        "text": "Improve communication",
        "topic": "communication",
        "weeks": "four",
    }
    assert render(finding) == (
        "“Improve communication” can’t be observed: say what you will see, how often, and who "
        "will judge it. Like the guide’s rewrite: “PR descriptions consistently include context, "
        "rationale for approach and testing notes, as assessed by reviewers, over the next four "
        "weeks”."
    )


def test_dates_in_errors_read_as_words() -> None:
    [finding] = check_conversation(form(follow_up_on=date(2027, 1, 1)), MONDAY, working_day)

    assert render(finding) == "The follow-up can’t be in the past: today is Mon 4 Jan 2027."


def test_missing_or_generic_support_is_a_warning() -> None:
    missing = check_conversation(form(support=""), MONDAY, working_day)
    generic = check_conversation(form(support="I'll help where I can"), MONDAY, working_day)

    assert codes(missing) == [("support_missing", "warning", "support")]
    assert codes(generic) == [("support_generic", "warning", "support")]


@pytest.mark.parametrize(
    ("notes", "word"),
    [
        ("She told me about her divorce and the custody hearing", "divorce"),
        ("Off sick twice with migraines", "sick"),
        ("His father is in hospital", "his father"),
        ("Started new medication in December", "medication"),
    ],
)
def test_health_and_family_detail_in_the_context_notes_is_a_warning(notes: str, word: str) -> None:
    findings = check_conversation(
        form(context_kind="personal", context_notes=notes), MONDAY, working_day
    )

    assert [(f.code, f.params) for f in findings] == [("context_detail", {"word": word})]


@pytest.mark.parametrize(
    "notes",
    [
        "A personal circumstance was shared; we agreed to revisit the workload.",
        "Overloaded: on-call and the billing migration in the same sprint.",
        "The parent ticket had no acceptance criteria; child tasks were unclear.",
        "The database operation that failed was not his.",
    ],
)
def test_notes_that_say_only_that_something_was_shared_are_fine(notes: str) -> None:
    assert find_personal_detail(notes) == []


def test_a_formal_process_may_be_warranted_after_the_second_iteration_and_not_before() -> None:
    assert [advice_at_follow_up(n) for n in (1, 2, 3)] == [
        "expect_iterations",
        "formal_may_be_warranted",
        "formal_may_be_warranted",
    ]
    due = date(2027, 2, 1)
    assert not formal_process_may_be_warranted(1, due, due)
    assert formal_process_may_be_warranted(2, due, due)
    assert formal_process_may_be_warranted(3, due, date(2027, 3, 1))
    assert not formal_process_may_be_warranted(2, due, date(2027, 1, 29))  # not yet due


def render(finding: Finding) -> str:
    return prompts.render(f"concerns/findings/{finding.code}", **finding.params)


def findings_for_every_code() -> list[Finding]:
    bad_dates = form(held_on=None, follow_up_on=None, concern="", expectation="")
    return [
        *check_conversation(bad_dates, MONDAY, working_day),
        *check_conversation(
            form(held_on=date(2027, 2, 1), follow_up_on=date(2027, 1, 1)), MONDAY, working_day
        ),
        *check_conversation(form(follow_up_on=MONDAY), MONDAY, working_day),
        *check_conversation(form(follow_up_on=date(2027, 1, 9)), MONDAY, working_day),
        *check_conversation(
            form(
                concern="Not a team player",
                expectation="Improve communication",
                support="",
                context_kind="mood",
                context_notes="divorce " * 400,
            ),
            MONDAY,
            working_day,
        ),
        *check_conversation(
            form(expectation="Be more proactive", support="Be less defensive"), MONDAY, working_day
        ),
        *check_conversation(form(support="I will support you"), MONDAY, working_day),
    ]


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.j2")), ids=lambda p: p.stem)
def test_every_finding_template_renders_with_the_params_of_a_real_finding(template: Path) -> None:
    matching = [f for f in findings_for_every_code() if f.code == template.stem]

    assert matching, f"no finding produces {template.stem}"
    for finding in matching:
        text = render(finding)
        limit = 150 if finding.severity == "error" else 320
        assert 0 < len(text) < limit, text
        assert "{" not in text


def test_every_finding_code_has_a_template() -> None:
    produced = {finding.code for finding in findings_for_every_code()}

    assert produced == {path.stem for path in TEMPLATES.glob("*.j2")}
