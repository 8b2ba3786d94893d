"""The draft-level and manager-level rules of the PDP template (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.domain.goals import GoalDraft
from bot.domain.plans import (
    CommitmentDraft,
    DraftForm,
    ManagerFacts,
    ManagerForm,
    check_draft,
    check_manager_form,
    fingerprint,
)

TODAY = date(2027, 1, 4)
FINE = ManagerFacts(is_self=False, is_bot=False, is_deleted=False)
GOAL = GoalDraft(
    "Diagnose latency issues in the search service without escalating to senior engineers",
    "Lead two sev-2 incidents as primary on-call",
    date(2027, 3, 19),
)
DRAFT = DraftForm(
    manager_user_id="UM",
    period_start=date(2027, 1, 1),
    period_end=date(2027, 3, 31),
    review_dates={"1": date(2027, 1, 4), "4": date(2027, 1, 22), "8": date(2027, 2, 19)},
    strengths="x",
    difficulties="y",
    aspiration="z",
    goals=[GOAL],
)


def codes(findings: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(f.code, f.field) for f in findings]


def test_a_complete_quarterly_draft_has_no_findings() -> None:
    assert check_draft(DRAFT, TODAY, FINE) == []


def test_a_year_long_period_is_a_warning_not_an_error() -> None:
    findings = check_draft(replace(DRAFT, period_end=date(2027, 12, 31)), TODAY, FINE)
    assert codes(findings) == [("period_long", "period_end")]
    assert findings[0].severity == "warning"
    assert findings[0].params == {"days": "365"}


def test_review_dates_must_come_in_order() -> None:
    reviews = {"1": date(2027, 1, 4), "4": date(2027, 2, 22), "8": date(2027, 2, 19)}
    findings = check_draft(replace(DRAFT, review_dates=reviews), TODAY, FINE)
    assert codes(findings) == [("review_out_of_order", "review_8")]
    assert findings[0].params == {"earlier": "4"}


def test_a_draft_without_any_goal_is_refused_at_the_first_goal() -> None:
    findings = check_draft(replace(DRAFT, goals=[GoalDraft("", "", None)]), TODAY, FINE)
    assert codes(findings) == [("no_goals", "outcome")]
    assert findings[0].index == 0


def test_the_manager_must_be_another_active_person() -> None:
    for facts, code in [
        (None, "missing_manager"),
        (ManagerFacts(is_self=True, is_bot=False, is_deleted=False), "manager_is_self"),
        (ManagerFacts(is_self=False, is_bot=True, is_deleted=False), "manager_is_bot"),
        (ManagerFacts(is_self=False, is_bot=False, is_deleted=True), "manager_inactive"),
    ]:
        assert codes(check_draft(DRAFT, TODAY, facts)) == [(code, "manager")]


def test_a_period_that_is_already_over_is_refused() -> None:
    over = replace(DRAFT, period_start=date(2026, 10, 1), period_end=date(2026, 12, 31))
    assert ("period_over", "period_end") in codes(check_draft(over, TODAY, FINE))


def test_a_manager_must_commit_to_something_specific_and_dated_within_the_period() -> None:
    empty = ManagerForm("", [], [CommitmentDraft("")])
    assert codes(check_manager_form(empty, TODAY, date(2027, 3, 31))) == [
        ("missing_commitment", "commitment")
    ]
    late = ManagerForm(
        "", [], [CommitmentDraft("I will book pairing with Priya", date(2027, 5, 1))]
    )
    assert codes(check_manager_form(late, TODAY, date(2027, 3, 31))) == [
        ("due_after_period", "commitment_due")
    ]


def test_the_fingerprint_changes_when_any_answer_changes() -> None:
    assert fingerprint(DRAFT) == fingerprint(replace(DRAFT))
    assert fingerprint(DRAFT) != fingerprint(replace(DRAFT, strengths="x "))


def test_only_an_unfinished_goal_is_carried_whatever_was_ticked() -> None:
    from bot.domain.plans import to_carry

    states = {1: "achieved", 2: "partly", 3: "not_achieved", 4: "dropped"}
    assert to_carry(states, [1, 2, 3, 4]) == {2, 3}
    assert to_carry(states, [1]) == set()
