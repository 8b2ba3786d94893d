"""When a manager's answer about a commitment needs a reason, and when it is due. Pure."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.commitments import Answer, Standing, default_due, missing_reasons, one_line

TODAY = date(2027, 2, 1)


@pytest.mark.parametrize(
    ("state", "due", "needed"),
    [
        ("withdrawn", date(2027, 3, 1), True),  # "no longer needed" always says why
        ("withdrawn", None, True),
        ("pending", date(2027, 1, 29), True),  # not yet, and it was due
        ("pending", TODAY, False),  # due today: the day is not over
        ("pending", date(2027, 2, 2), False),  # not yet, and not due yet: nothing to explain
        ("pending", None, False),
        ("delivered", date(2027, 1, 29), False),
    ],
)
def test_a_reason_is_needed_for_no_longer_needed_and_for_not_yet_once_due(
    state: str, due: date | None, needed: bool
) -> None:
    answers = {7: Answer(state)}
    assert missing_reasons(answers, {7: Standing("pending", due)}, TODAY) == ([7] if needed else [])
    assert (
        missing_reasons({7: Answer(state, "  why  ")}, {7: Standing("pending", due)}, TODAY) == []
    )


def test_blank_reasons_count_as_missing_and_are_listed_in_id_order() -> None:
    answers = {9: Answer("withdrawn", "   "), 3: Answer("withdrawn"), 5: Answer("delivered")}
    standings = {i: Standing("pending", TODAY) for i in (3, 5, 9)}
    assert missing_reasons(answers, standings, TODAY) == [3, 9]


def test_a_commitment_without_a_date_is_due_by_the_next_check_or_the_periods_end() -> None:
    end = date(2027, 3, 31)
    assert default_due(None, date(2027, 2, 22), end) == date(2027, 2, 22)
    assert default_due(None, None, end) == end
    assert default_due(date(2027, 2, 5), date(2027, 2, 22), end) == date(2027, 2, 5)


def test_a_reason_is_kept_to_one_line() -> None:
    assert one_line("  the release\nfreeze   won ") == "the release freeze won"
    assert len(one_line("x" * 500)) == 200 and one_line("x" * 500).endswith("…")
