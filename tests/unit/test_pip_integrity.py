"""A running PIP judged by the guide: the checkpoint record, the integrity signals of a
managed exit, what to do when it is not working, and which outcomes may be recorded. Every
finding, signal and refusal has its text in prompts/pip/."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

import prompts
from bot.domain import pip_integrity as pi
from bot.domain import pip_rules as pr
from bot.domain.pip_integrity import (
    Assessment,
    CheckpointFacts,
    CheckpointForm,
    Delivered,
    PipFacts,
    check_checkpoint,
    integrity_signals,
    not_working,
    outcome_refusal,
)
from tests.unit.test_pip_rules import PLAN, READY

PROMPTS = Path(__file__).resolve().parents[2] / "prompts" / "pip"
START = date(2027, 3, 1)
END = date(2027, 4, 26)
GOOD = CheckpointForm(
    assessments=(Assessment("progressing", "PRs #440 and #446 had testing notes"),),
    working="Your PR descriptions now explain the approach: exactly what I asked for",
    needs_work="Tests for the indexer changes; #446 had none",
    deliveries=(Delivered("yes"),),
    adjustments="",
    next_focus="Tests for every indexer change in the next two PRs",
)


def checkpoint(n: int, *statuses: str, deliveries: tuple[str, ...] = ("yes",), **kw: object):
    due = START + timedelta(weeks=n)
    values: dict[str, object] = {
        "recorded_on": due,
        "statuses": statuses,
        "deliveries": deliveries,
        "recognised": True,
    }
    values.update(kw)
    return CheckpointFacts(n, due, due + timedelta(days=3), **values)  # type: ignore[arg-type]


def pending(n: int) -> CheckpointFacts:
    due = START + timedelta(weeks=n)
    return CheckpointFacts(n, due, due + timedelta(days=3))


def facts(*checkpoints: CheckpointFacts, **kw: object) -> PipFacts:
    values: dict[str, object] = {"opened_on": START, "acknowledged_on": START}
    values.update(kw)
    return PipFacts(START, END, 8, 2, tuple(checkpoints), **values)  # type: ignore[arg-type]


def codes(signals: list[pi.Signal]) -> list[str]:
    return [s.code for s in signals]


# --- the checkpoint record --------------------------------------------------------------


def test_a_checkpoint_in_the_guides_structure_passes() -> None:
    assert check_checkpoint(GOOD) == []


def test_every_criterion_needs_a_status_and_evidence_and_every_support_item_its_delivery() -> None:
    form = dataclasses.replace(
        GOOD, assessments=(Assessment(None, ""),), deliveries=(Delivered(None),)
    )

    assert [f.code for f in check_checkpoint(form)] == [
        "missing_status",
        "missing_assessment_evidence",
        "missing_delivery",
    ]


def test_support_not_delivered_needs_a_reason() -> None:
    form = dataclasses.replace(GOOD, deliveries=(Delivered("no"),))

    assert [f.code for f in check_checkpoint(form)] == ["delivery_reason_needed"]
    ok = dataclasses.replace(GOOD, deliveries=(Delivered("no", "Priya was on leave"),))
    assert check_checkpoint(ok) == []


def test_progress_with_nothing_named_as_working_is_a_warning() -> None:
    [finding] = check_checkpoint(dataclasses.replace(GOOD, working=""))

    assert (finding.code, finding.severity) == ("nothing_recognised", "warning")


def test_the_next_focus_is_needed_except_at_the_final_review() -> None:
    form = dataclasses.replace(GOOD, next_focus="")

    assert [f.code for f in check_checkpoint(form)] == ["missing_next_focus"]
    assert check_checkpoint(form, is_final=True) == []


# --- integrity signals ------------------------------------------------------------------


def test_an_honest_pip_raises_no_signal() -> None:
    honest = facts(checkpoint(1, "progressing"), checkpoint(2, "met"), pending(3))

    assert integrity_signals(honest, START + timedelta(weeks=3)) == []


def test_missed_and_late_checkpoints() -> None:
    late = checkpoint(1, "progressing", recorded_on=START + timedelta(weeks=1, days=4))
    found = integrity_signals(facts(late, pending(2)), START + timedelta(weeks=2, days=3))

    assert [(s.code, s.params) for s in found] == [
        ("checkpoints_missed", {"count": "1"}),
        ("checkpoints_late", {"count": "1"}),
    ]


def test_the_support_delivery_rate() -> None:
    found = integrity_signals(
        facts(
            checkpoint(1, "not_yet", deliveries=("yes", "no")),
            checkpoint(2, "progressing", deliveries=("partly", "yes")),
        ),
        START,
    )

    assert found == [
        pi.Signal(
            "support_not_delivered",
            {"delivered": "2", "partly": "1", "owed": "4", "percent": "62"},
        )
    ]


def test_progress_unrecognised_at_two_checkpoints_in_which_criteria_moved() -> None:
    quiet = facts(
        checkpoint(1, "not_yet"),
        checkpoint(2, "progressing", recognised=False),
        checkpoint(3, "progressing", recognised=False),  # nothing moved: not counted
        checkpoint(4, "met", recognised=False),
    )

    assert codes(integrity_signals(quiet, START)) == ["progress_unrecognised"]


def test_criteria_changed_without_agreement_short_timeline_and_no_earlier_conversation() -> None:
    shaky = dataclasses.replace(facts(), criteria_unagreed=1, weeks=4, earlier_iterations=0)

    assert codes(integrity_signals(shaky, START)) == [
        "criteria_unagreed",
        "short_timeline",
        "no_earlier_conversation",
    ]


# --- when it is not working ------------------------------------------------------------


def test_the_same_criterion_not_yet_three_times_running_suggests_role_fit() -> None:
    twice = facts(checkpoint(1, "not_yet", "met"), checkpoint(2, "not_yet", "met"))
    thrice = facts(*twice.checkpoints, checkpoint(3, "not_yet", "met"))
    broken = facts(checkpoint(1, "not_yet"), checkpoint(2, "progressing"), checkpoint(3, "not_yet"))

    assert not_working(twice, START) == []
    assert codes(not_working(thrice, START)) == ["role_fit"]
    assert not_working(broken, START) == []


def test_no_acknowledgement_within_a_week_or_support_not_attended_twice() -> None:
    unacknowledged = facts(acknowledged_on=None)
    absent = facts(
        checkpoint(1, "not_yet", deliveries=("not_attended",)),
        checkpoint(2, "not_yet", deliveries=("not_attended",)),
    )

    assert not_working(unacknowledged, START + timedelta(days=6)) == []
    assert codes(not_working(unacknowledged, START + timedelta(days=7))) == ["engagement"]
    assert codes(not_working(absent, START)) == ["engagement"]


def test_support_the_manager_did_not_deliver_tells_hr_to_engage_until_it_is_adjusted() -> None:
    missed = facts(checkpoint(1, "not_yet", deliveries=("no",)))
    adjusted_later = facts(*missed.checkpoints, checkpoint(2, "not_yet", adjusted=True))

    assert codes(not_working(missed, START)) == ["hr_should_engage"]
    assert not_working(adjusted_later, START) == []
    assert outcome_refusal("not_met", adjusted_later, END) is None


# --- outcomes --------------------------------------------------------------------------


def test_met_early_at_a_checkpoint_where_every_criterion_is_met() -> None:
    partly = facts(checkpoint(1, "met", "progressing"))
    met = facts(checkpoint(1, "met", "progressing"), checkpoint(2, "met", "met"))

    assert outcome_refusal("met_early", partly, START) == "criteria_not_all_met"
    assert outcome_refusal("met_early", met, START) is None
    assert outcome_refusal("met", met, START) == "met_before_end"
    assert outcome_refusal("met", met, END) is None


def test_not_met_only_at_or_after_the_end_date() -> None:
    done = facts(checkpoint(1, "not_yet"))

    assert outcome_refusal("not_met", done, END - timedelta(days=1)) == "not_met_before_end"
    assert outcome_refusal("not_met", done, END) is None


def test_not_met_is_refused_while_support_was_missed_without_an_adjustment() -> None:
    missed = facts(checkpoint(1, "not_yet", deliveries=("no",)))
    adjusted = facts(checkpoint(1, "not_yet", deliveries=("no",), adjusted=True))

    assert outcome_refusal("not_met", missed, END) == "support_missed"
    assert outcome_refusal("not_met", adjusted, END) is None


def test_not_met_is_refused_while_checkpoints_were_skipped() -> None:
    skipped = facts(checkpoint(1, "not_yet"), pending(2))

    assert outcome_refusal("not_met", skipped, END) == "checkpoints_skipped"


def test_an_extension_needs_a_later_end_date_and_role_fit_is_always_possible() -> None:
    assert outcome_refusal("extended", facts(), START, END) == "extension_not_later"
    assert outcome_refusal("extended", facts(), START, END + timedelta(weeks=2)) is None
    assert outcome_refusal("role_fit", facts(), START) is None
    assert outcome_refusal("fired", facts(), START) == "unknown_outcome"


# --- every code has its text -------------------------------------------------------------


def _produced() -> dict[str, dict[str, dict[str, str]]]:
    findings = [
        *pr.check_preconditions(pr.Preconditions(frozenset(), "", "", "", "x", ""), 0),
        *pr.check_preconditions(
            dataclasses.replace(
                READY,
                confirmed=frozenset(),
                gap_evidence="He is not very proactive",
                expectations_evidence="x" * 3001,
                hr_user_id=None,
            ),
            0,
        ),
        *pr.check_plan(
            pr.PlanForm(
                (pr.ConcernItem("She lacks executive presence", ""), pr.ConcernItem("", "x")),
                ("Improve communication", "She is not really a team player."),
                None,
                None,
                "",
                None,
                "",
                "",
                (pr.SupportItem("Support", "", ""), pr.SupportItem("", "Priya", "weekly")),
            ),
            START,
        ),
        *pr.check_plan(
            pr.PlanForm((), (), date(2020, 1, 1), 2, "", "fortnightly", "", "", ()), START
        ),
        *pr.check_plan(dataclasses.replace(PLAN, weeks=5, frequency="fortnightly"), START),
        *check_checkpoint(
            CheckpointForm(
                (Assessment(None, ""), Assessment("met", "x"), Assessment("not_yet", "x")),
                "",
                "",
                (Delivered(None), Delivered("no")),
                "She is not really a team player.",
                "",
            )
        ),
    ]
    signals = [
        *integrity_signals(
            dataclasses.replace(
                facts(
                    checkpoint(1, "not_yet", deliveries=("no",), recorded_on=END),
                    checkpoint(2, "progressing", recognised=False),
                    checkpoint(3, "met", recognised=False),
                    pending(4),
                ),
                criteria_unagreed=2,
                weeks=4,
                earlier_iterations=0,
            ),
            END,
        ),
        *not_working(
            facts(
                *(checkpoint(n, "not_yet", deliveries=("no", "not_attended")) for n in (1, 2, 3))
            ),
            START,
        ),
    ]
    met = facts(checkpoint(1, "met"))
    refusals = {
        code
        for code in (
            outcome_refusal("x", met, START),
            outcome_refusal("met", facts(checkpoint(1, "not_yet")), START),
            outcome_refusal("met_early", met, END),
            outcome_refusal("met", met, START),
            outcome_refusal("extended", met, START),
            outcome_refusal("not_met", met, START),
            outcome_refusal("not_met", facts(checkpoint(1, "not_yet", deliveries=("no",))), END),
            outcome_refusal("not_met", facts(pending(1)), END),
        )
        if code
    }
    return {
        "findings": {f.code: f.params for f in findings},
        "signals": {s.code: s.params for s in signals},
        "refusals": {code: {} for code in refusals},
    }


@pytest.mark.parametrize("folder", ["findings", "signals", "refusals"])
def test_every_code_has_a_text_and_every_text_a_code(folder: str) -> None:
    produced = _produced()[folder]

    assert set(produced) == {p.stem for p in (PROMPTS / folder).glob("*.j2")}
    for code, params in produced.items():
        text = prompts.render(f"pip/{folder}/{code}", **params)
        assert 0 < len(text) < 420 and "{" not in text, text


def test_the_organisations_part_is_the_reason_given_first_whatever_the_date() -> None:
    missed = facts(checkpoint(1, "not_yet", deliveries=("no",)), pending(2))

    assert outcome_refusal("not_met", missed, START) == "support_missed"
    assert outcome_refusal("not_met", facts(pending(1)), START + timedelta(weeks=2)) == (
        "checkpoints_skipped"
    )
