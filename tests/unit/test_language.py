"""The guide's language rules: personality characterisations and unobservable expectations."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from bot.domain.language import classify_expectation, find_personality_language, rewrite_topic
from tests.unit.language_examples import (
    CSV_ROWS,
    GUIDE_ACTION,
    GUIDE_CONCERN,
    GUIDE_NOT_AN_ACTION,
    GUIDE_OBSERVABLE,
    GUIDE_PERSONALITY,
    GUIDE_UNOBSERVABLE,
    OWN_OBSERVABLE,
    OWN_OBSERVED_BEHAVIOUR,
    OWN_PERSONALITY,
    OWN_UNOBSERVABLE,
)

REPO = Path(__file__).resolve().parents[2]
# The shared workspace sits beside the main checkout (../shared) or beside the worktrees.
SHARED_CSV = next(
    (
        p / "shared" / "data" / "pip-language.csv"
        for p in (REPO.parent, REPO.parent.parent)
        if (p / "shared" / "data" / "pip-language.csv").exists()
    ),
    None,
)


def is_flagged(text: str, field: str) -> bool:
    """What the modal warns about: personality anywhere; unobservable criteria too."""
    if field == "concern":
        return bool(find_personality_language(text))
    return classify_expectation(text) == "unobservable"


# --- the guide's own examples -----------------------------------------------------------


@pytest.mark.parametrize(("text", "phrase"), GUIDE_PERSONALITY)
def test_the_guides_personality_characterisations_are_found(text: str, phrase: str) -> None:
    assert find_personality_language(text) == [phrase]


def test_be_more_proactive_is_not_an_action_and_the_guides_rewrite_is() -> None:
    assert find_personality_language(GUIDE_NOT_AN_ACTION) == ["be more proactive"]
    assert classify_expectation(GUIDE_NOT_AN_ACTION) == "unobservable"
    assert find_personality_language(GUIDE_ACTION) == []
    assert classify_expectation(GUIDE_ACTION) == "observable"


@pytest.mark.parametrize("text", GUIDE_UNOBSERVABLE)
def test_the_guides_vague_criteria_cannot_be_observed(text: str) -> None:
    assert classify_expectation(text) == "unobservable"


@pytest.mark.parametrize("text", GUIDE_OBSERVABLE)
def test_the_guides_rewritten_criteria_can_be_observed(text: str) -> None:
    assert classify_expectation(text) == "observable"
    assert find_personality_language(text) == []


def test_the_guides_description_of_a_concern_is_behaviour_not_personality() -> None:
    assert find_personality_language(GUIDE_CONCERN) == []


# --- the shared CSV ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "field", "kind"), CSV_ROWS, ids=[r[0][:40] for r in CSV_ROWS])
def test_every_labelled_row_of_the_shared_csv(text: str, field: str, kind: str) -> None:
    assert is_flagged(text, field) == (kind in ("personality", "unmeasurable"))


def test_the_shared_csv_file_itself_when_present() -> None:
    if SHARED_CSV is None:
        pytest.skip("../shared/data/pip-language.csv not present (a fresh clone)")
    with SHARED_CSV.open(newline="") as handle:
        rows = [(r["text"], r["field"], r["kind"]) for r in csv.DictReader(handle)]
    assert rows, "the CSV has rows"
    wrong = [r for r in rows if is_flagged(r[0], r[1]) != (r[2] in ("personality", "unmeasurable"))]
    assert wrong == []


# --- our own phrasings, unlike the guide's and the CSV's --------------------------------


@pytest.mark.parametrize("text", OWN_PERSONALITY)
def test_character_judgements_in_other_words_are_found(text: str) -> None:
    assert find_personality_language(text), text


@pytest.mark.parametrize("text", OWN_OBSERVED_BEHAVIOUR)
def test_observed_behaviour_is_not_personality_even_with_trait_words_about_things(
    text: str,
) -> None:
    assert find_personality_language(text) == []


@pytest.mark.parametrize("text", OWN_UNOBSERVABLE)
def test_expectations_nobody_could_check_are_unobservable(text: str) -> None:
    assert classify_expectation(text) == "unobservable"


@pytest.mark.parametrize("text", OWN_OBSERVABLE)
def test_expectations_a_third_person_could_check_are_observable(text: str) -> None:
    assert classify_expectation(text) == "observable"


# --- what is quoted back, and what is not flagged --------------------------------------


def test_personality_phrases_are_returned_lowercased_in_order() -> None:
    text = "He's LAZY and abrasive, with a bad attitude; honestly not a culture fit."

    assert find_personality_language(text) == [
        "lazy",
        "abrasive",
        "bad attitude",
        "not a culture fit",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "She isn't a team player",
        "not proactive in planning",
        "a negative attitude in retros",
        "lacks passion for the product",
        "seems not engaged",
    ],
)
def test_other_character_judgements_are_found_once(text: str) -> None:
    assert len(find_personality_language(text)) == 1


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Needs to be more proactive", "needs to be more proactive"),
        ("Has an attitude problem", "attitude problem"),
        ("Too quiet to lead", "too quiet"),
        ("Isn't passionate about the work", "isn't passionate"),
        ("She is lacking in confidence", "lacking in confidence"),
    ],
)
def test_the_phrase_quoted_back_is_the_judgement_itself(text: str, phrase: str) -> None:
    assert find_personality_language(text) == [phrase]


@pytest.mark.parametrize(
    "text",
    [
        "I'm not confident we can ship the billing migration this sprint",
        "Has not committed to a date for the search migration",
        "Switched the API client to lazy loading without a benchmark",
        "The migration was difficult because the schema had no tests",
        "His code was sloppy in the last two PRs: no tests, debug logging left in",
        "The runbook he wrote is difficult to follow at step 4",
        "Agreed an aggressive timeline for the launch without asking the team",
        "The API is not reliable under load: 3 timeouts in 100 requests",
        "The dashboard was quiet during the outage because the alert was muted",
        "Defensive programming around the payment callbacks was removed",
    ],
)
def test_trait_words_about_things_or_the_speaker_are_not_flagged(text: str) -> None:
    assert find_personality_language(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Improve communication: every PR description includes context and testing notes",
        "Fewer review rounds, so that no PR needs more than two rounds of review",
        "Every change to the billing schema is reviewed by a second engineer",
    ],
)
def test_a_vague_lead_followed_by_a_checkable_standard_is_observable(text: str) -> None:
    assert classify_expectation(text) == "observable"


@pytest.mark.parametrize(
    "text",
    [
        "Communicate better over the next four weeks",
        "Write better PR descriptions over the next four weeks",
        "Consistently meet deadlines",
        "",
        "   ",
    ],
)
def test_a_period_or_a_bare_frequency_does_not_make_a_vague_standard_observable(
    text: str,
) -> None:
    assert classify_expectation(text) == "unobservable"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Improve communication", "communication"),
        ("Deliver more consistently", "delivery"),
        ("Take more initiative", "initiative"),
        ("Be more collaborative", "collaboration"),
        ("Be more careful in production", "quality"),
        ("Raise your game", "communication"),
    ],
)
def test_the_rewrite_offered_follows_what_the_expectation_is_about(text: str, topic: str) -> None:
    assert rewrite_topic(text) == topic


def test_long_texts_are_classified_quickly_enough_to_run_inside_a_modal_submission() -> None:
    """Slack waits three seconds for a modal; nested optional words must not backtrack."""
    import time

    texts = ["very " * 600, "not really very quite so " * 120, GUIDE_CONCERN * 10, "a" * 3000]
    started = time.perf_counter()
    for text in texts:
        find_personality_language(text)
        classify_expectation(text)
    assert time.perf_counter() - started < 2.0


def test_the_language_rules_are_pure() -> None:
    probe = (
        "import sys, bot.domain.language, bot.domain.concerns, bot.domain.policy; "
        "banned = {'slack_bolt', 'slack_sdk', 'sqlalchemy', 'jinja2', 'pydantic'}; "
        "print(sorted(banned & {name.split('.')[0] for name in sys.modules}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"
