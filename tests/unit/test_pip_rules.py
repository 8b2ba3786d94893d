"""A PIP's opening rules: the five preconditions, the classification, the plan's concerns,
criteria, timeline, checkpoint frequency, consequence and support, and the schedule."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date

import pytest

from bot.domain.cadence import Calendar
from bot.domain.goals import Finding
from bot.domain.pip_rules import (
    PRECONDITIONS,
    ConcernItem,
    PlanForm,
    Preconditions,
    SupportItem,
    check_plan,
    check_preconditions,
    checkpoint_dates,
    default_frequency,
    end_date,
    is_first_honest_conversation,
    overdue_on,
    route,
)
from tests.unit.language_examples import GUIDE_CONCERN, GUIDE_OBSERVABLE, GUIDE_UNOBSERVABLE

MONDAY = date(2027, 3, 1)
working_day = Calendar().is_working_day

READY = Preconditions(
    confirmed=frozenset(PRECONDITIONS),
    gap_evidence="Three of the last four PRs reopened after review since January",
    expectations_evidence="Recap of 11 Jan: every PR has tests and a testing note",
    conversations_evidence="Conversations on 11 Jan and 8 Feb",
    classification="performance",
    support_evidence="Weekly pairing with Priya; PR review within a day",
    hr_user_id="UHANA",
)
SUPPORT = SupportItem("Pairing on the search service", "Priya Shah", "Tuesday afternoons")
PLAN = PlanForm(
    concerns=(ConcernItem(GUIDE_CONCERN, "PRs #412, #418 and #430 reopened after review"),),
    criteria=(GUIDE_OBSERVABLE[0],),
    start_on=MONDAY,
    weeks=8,
    timeline_justification="",
    frequency="weekly",
    frequency_reason="",
    consequence="A formal review of whether the role is the right one, with HR",
    support=(SUPPORT,),
)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


# --- preconditions ---------------------------------------------------------------------


def test_all_five_confirmed_with_evidence_and_two_earlier_conversations_is_ready() -> None:
    assert check_preconditions(READY, earlier_iterations=2) == []


@pytest.mark.parametrize("condition", PRECONDITIONS)
def test_each_of_the_five_conditions_must_be_confirmed(condition: str) -> None:
    form = dataclasses.replace(READY, confirmed=frozenset(PRECONDITIONS) - {condition})

    [finding] = check_preconditions(form, 2)

    assert (finding.code, finding.params) == ("unconfirmed", {"condition": condition})


@pytest.mark.parametrize("earlier", [0, 1])
def test_fewer_than_two_earlier_conversations_need_a_written_justification(earlier: int) -> None:
    assert is_first_honest_conversation(earlier)
    assert codes(check_preconditions(READY, earlier)) == ["justification_needed"]
    justified = dataclasses.replace(READY, justification="Serious incidents since December")
    assert check_preconditions(justified, earlier) == []


@pytest.mark.parametrize(
    ("classification", "process"),
    [("conduct", "conduct_process"), ("capability", "redeployment"), ("performance", "pip")],
)
def test_conduct_and_capability_go_to_a_different_process(
    classification: str, process: str
) -> None:
    assert route(classification) == process
    if process != "pip":  # nothing else is asked: the PIP stops here
        empty = Preconditions(frozenset(), "", "", "", classification, "")
        assert check_preconditions(empty, 0) == []


def test_missing_evidence_classification_and_hr_person_are_errors() -> None:
    form = Preconditions(frozenset(PRECONDITIONS), "", "", "", None, "", "why", None)

    assert codes(check_preconditions(form, 2)) == [
        "missing_classification",
        "missing_gap_evidence",
        "missing_expectations_evidence",
        "missing_support_evidence",
        "missing_hr",
    ]


def test_personality_language_in_the_evidence_is_flagged() -> None:
    form = dataclasses.replace(READY, gap_evidence="She is not really a team player")

    [finding] = check_preconditions(form, 2)

    assert (finding.code, finding.severity, finding.field) == (
        "personality",
        "warning",
        "gap_evidence",
    )


# --- the plan ------------------------------------------------------------------------


def test_the_guides_own_plan_passes() -> None:
    assert check_plan(PLAN, MONDAY) == []


def test_empty_criteria_are_refused() -> None:
    assert codes(check_plan(dataclasses.replace(PLAN, criteria=("", " ")), MONDAY)) == [
        "missing_criteria"
    ]


def test_personality_language_in_a_concern_is_refused() -> None:
    concern = ConcernItem("He lacks executive presence", "Design review on 3 Feb")
    findings = check_plan(dataclasses.replace(PLAN, concerns=(concern,)), MONDAY)

    assert [(f.code, f.severity) for f in findings] == [("personality_concern", "error")]


@pytest.mark.parametrize("criterion", GUIDE_UNOBSERVABLE)
def test_unmeasurable_criteria_are_flagged(criterion: str) -> None:
    findings = check_plan(dataclasses.replace(PLAN, criteria=(criterion,)), MONDAY)

    assert [(f.code, f.severity, f.index) for f in findings] == [
        ("unassessable_criterion", "warning", 0)
    ]


def test_personality_language_in_a_criterion_is_refused() -> None:
    findings = check_plan(
        dataclasses.replace(PLAN, criteria=("She lacks executive presence in design reviews",)),
        MONDAY,
    )

    assert codes(findings) == ["personality_criterion"]


def test_a_concern_needs_its_evidence() -> None:
    concern = ConcernItem(GUIDE_CONCERN, "")
    assert codes(check_plan(dataclasses.replace(PLAN, concerns=(concern,)), MONDAY)) == [
        "missing_evidence"
    ]
    assert codes(check_plan(dataclasses.replace(PLAN, concerns=()), MONDAY)) == ["missing_concerns"]


@pytest.mark.parametrize("weeks", [2, 3, 27])
def test_a_timeline_under_four_or_over_26_weeks_is_refused(weeks: int) -> None:
    plan = dataclasses.replace(PLAN, weeks=weeks, timeline_justification="because")

    assert codes(check_plan(plan, MONDAY))[:1] == ["weeks_out_of_range"]


@pytest.mark.parametrize("weeks", [4, 5, 13, 16])
def test_under_six_or_over_twelve_weeks_needs_a_written_justification(weeks: int) -> None:
    plan = dataclasses.replace(PLAN, weeks=weeks, frequency=default_frequency(weeks))

    assert codes(check_plan(plan, MONDAY)) == ["timeline_justification_needed"]
    justified = dataclasses.replace(plan, timeline_justification="Agreed with HR: a long project")
    assert check_plan(justified, MONDAY) == []


def test_checkpoints_are_weekly_up_to_eight_weeks_and_fortnightly_beyond() -> None:
    assert [default_frequency(w) for w in (6, 8, 9, 12)] == [
        "weekly",
        "weekly",
        "fortnightly",
        "fortnightly",
    ]


def test_changing_the_frequency_needs_a_reason() -> None:
    plan = dataclasses.replace(PLAN, frequency="fortnightly")

    assert codes(check_plan(plan, MONDAY)) == ["frequency_reason_needed"]
    assert check_plan(dataclasses.replace(plan, frequency_reason="Agreed with HR"), MONDAY) == []


def test_support_is_named_what_who_and_how_often() -> None:
    assert codes(check_plan(dataclasses.replace(PLAN, support=()), MONDAY)) == ["missing_support"]
    half = SupportItem("Coaching sessions", "", "")
    assert codes(check_plan(dataclasses.replace(PLAN, support=(half,)), MONDAY)) == [
        "missing_support_who",
        "missing_support_how_often",
    ]


def test_consequence_start_and_frequency_are_required() -> None:
    plan = dataclasses.replace(PLAN, consequence=" ", start_on=None, frequency=None)

    assert codes(check_plan(plan, MONDAY)) == [
        "missing_start",
        "missing_frequency",
        "missing_consequence",
    ]
    assert codes(check_plan(PLAN, date(2027, 3, 2))) == ["start_in_past"]


# --- the schedule ----------------------------------------------------------------------


def test_an_eight_week_pip_has_eight_weekly_checkpoints_the_last_on_its_end_date() -> None:
    end = end_date(MONDAY, 8)
    dates = checkpoint_dates(MONDAY, end, "weekly", working_day)

    assert len(dates) == 8
    assert dates[0] == date(2027, 3, 8) and dates[-1] == end == date(2027, 4, 26)


def test_a_twelve_week_pip_has_six_fortnightly_checkpoints() -> None:
    dates = checkpoint_dates(MONDAY, end_date(MONDAY, 12), "fortnightly", working_day)

    assert [(b - a).days for a, b in itertools.pairwise(dates)] == [14] * 5


def test_a_checkpoint_on_a_holiday_moves_to_the_next_working_day() -> None:
    holiday = Calendar(holidays=frozenset({date(2027, 3, 8)}))
    dates = checkpoint_dates(MONDAY, end_date(MONDAY, 8), "weekly", holiday.is_working_day)

    assert dates[0] == date(2027, 3, 9)


def test_a_checkpoint_is_overdue_after_two_working_days() -> None:
    friday = date(2027, 3, 5)

    assert overdue_on(MONDAY, working_day) == date(2027, 3, 4)  # Tue, Wed, then Thursday
    assert overdue_on(friday, working_day) == date(2027, 3, 10)  # Mon, Tue, then Wednesday
