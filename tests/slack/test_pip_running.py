"""A PIP once open, through signed requests and the tick: checkpoints on their dates in the
manager's DM, the summary in the pair's DM, overdue reminders with HR told, integrity
signals sent to HR when they change, the guide's "when it is not working", and outcomes:
met early, extended, and "not met" refused while the organisation has not met its part."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import Bot
from tests.slack.helpers import dm_messages
from tests.slack.pip_helpers import (
    ENGINEER,
    HR,
    MANAGER,
    at,
    audit_actions,
    close_pip,
    opened_pip,
    pair_texts,
    pip_row,
    record_checkpoint,
    refusal_of,
    seed_team,
    text_of,
    tick,
)


@pytest.fixture(autouse=True)
def team(bot: Bot) -> None:
    seed_team(bot)


def dm_texts(bot: Bot, user: str) -> list[str]:
    return [text_of(m) for m in dm_messages(bot, user)]


def test_a_checkpoint_comes_on_its_date_and_its_summary_goes_to_the_pair(bot: Bot) -> None:
    pid = opened_pip(bot)  # Mon 4 Jan 2027: eight weeks, weekly
    tick(bot, 2027, 1, 8, 17, 0)
    assert not any("Checkpoint 1 of 8" in t for t in dm_texts(bot, MANAGER))
    tick(bot, 2027, 1, 11, 10, 30)  # Maya's Monday morning in London

    assert any(
        "Checkpoint 1 of 8 of Ana Ruiz’s PIP is due today" in t for t in dm_texts(bot, MANAGER)
    )
    record_checkpoint(bot, pid, 1)

    [summary] = [t for t in pair_texts(bot) if "PIP checkpoint 1 of 8" in t]
    assert "PR descriptions now explain the approach" in summary
    assert "Pairing on the search service: delivered" in summary
    assert "pip.checkpoint" in audit_actions(bot, pid)
    assert pip_row(bot, pid).checkpoints[0].recorded_on is not None


def test_a_checkpoint_not_recorded_in_two_working_days_reminds_the_manager_once_and_tells_hr(
    bot: Bot,
) -> None:
    pid = opened_pip(bot)
    for day in (11, 12, 13, 14, 15):
        tick(bot, 2027, 1, day, 10, 0)

    reminders = [t for t in dm_texts(bot, MANAGER) if "is not recorded yet" in t]
    told_hr = [t for t in dm_texts(bot, HR) if "was not recorded" in t]
    assert len(reminders) == 1 and len(told_hr) == 1
    assert "due Mon 11 Jan 2027" in reminders[0]
    record_checkpoint(bot, pid, 1)
    signals = [t for t in dm_texts(bot, HR) if "integrity signals" in t]
    assert signals and "1 checkpoint recorded late" in signals[-1]


def test_support_not_delivered_tells_hr_and_not_met_is_refused_for_it(bot: Bot) -> None:
    pid = opened_pip(bot)
    at(bot, 2027, 1, 11, 10, 0)
    record_checkpoint(bot, pid, 1, ("not_yet",), ("no",), adjustments="")

    assert any("HR should engage" in t for t in dm_texts(bot, HR))
    assert any("Support delivered in full: 0 of 1 sessions (0%)" in t for t in dm_texts(bot, HR))
    for number in range(2, 9):
        when = date(2027, 1, 4) + timedelta(weeks=number)
        at(bot, when.year, when.month, when.day, 10, 0)
        record_checkpoint(bot, pid, number, ("not_yet",))
    at(bot, 2027, 3, 1, 12, 0)

    response = close_pip(bot, pid, "not_met")

    error = refusal_of(response)
    assert "named support was missed without a recorded adjustment" in error
    assert "organisation has not met its part" in error
    assert pip_row(bot, pid).status == "open"
    assert "pip.outcome_refused" in audit_actions(bot, pid)


def test_not_met_is_refused_before_the_end_date_and_while_checkpoints_were_skipped(
    bot: Bot,
) -> None:
    pid = opened_pip(bot)
    at(bot, 2027, 1, 11, 10, 0)
    record_checkpoint(bot, pid, 1, ("not_yet",))

    early = refusal_of(close_pip(bot, pid, "not_met"))
    at(bot, 2027, 3, 1, 12, 0)
    skipped = refusal_of(close_pip(bot, pid, "not_met"))

    assert "only at or after the end date" in early
    assert "checkpoints were skipped" in skipped


def test_met_early_at_a_checkpoint_where_every_criterion_is_met(bot: Bot) -> None:
    pid = opened_pip(bot)
    at(bot, 2027, 1, 11, 10, 0)
    record_checkpoint(bot, pid, 1, ("progressing",))
    at(bot, 2027, 1, 18, 10, 0)
    refused = refusal_of(close_pip(bot, pid, "met_early"))
    assert "Every criterion must be met" in refused
    record_checkpoint(bot, pid, 2, ("met",))

    close_pip(bot, pid, "met_early")

    pip = pip_row(bot, pid)
    assert (pip.status, pip.outcome) == ("closed", "met_early")
    assert any("ahead of its end date" in t for t in pair_texts(bot))
    assert any("PIP: met early" in t for t in dm_texts(bot, HR))
    tick(bot, 2027, 1, 25, 10, 0)
    assert not any("Checkpoint 3 of 8" in t for t in dm_texts(bot, MANAGER))
    assert audit_actions(bot, pid)[-1] == "pip.met_early"


def test_an_extension_moves_the_end_date_adds_checkpoints_and_tells_the_engineer(
    bot: Bot,
) -> None:
    pid = opened_pip(bot)
    at(bot, 2027, 1, 11, 10, 0)

    close_pip(bot, pid, "extended", new_end_on="2027-03-15")

    pip = pip_row(bot, pid)
    assert (pip.status, pip.end_on.isoformat() if pip.end_on else None) == ("open", "2027-03-15")
    assert len(pip.checkpoints) == 10
    assert any("extended to Mon 15 Mar 2027" in t for t in pair_texts(bot))


def test_the_same_criterion_not_yet_three_times_suggests_role_fit(bot: Bot) -> None:
    pid = opened_pip(bot)
    response = None
    for number, day in ((1, 11), (2, 18), (3, 25)):
        at(bot, 2027, 1, day, 10, 0)
        response = record_checkpoint(bot, pid, number, ("not_yet",))

    assert response is not None
    from tests.slack.helpers import text_of_view

    assert "consider whether this is a role-fit issue" in text_of_view(response.json()["view"])
    assert ENGINEER  # the engineer sees the summaries only
