"""A simulated stretch of the quarter while the fake Slack fails a fifth of all calls (429 with
Retry-After, a 500, a timeout or a dropped connection after accepting the message): every due
prompt and every message to another person is posted exactly once, no request answers 500, and
nothing anyone typed pings. The full size (200 engineers, a quarter) is `python -m bench.chaos`."""

from __future__ import annotations

from bench.chaos import slack_faults


def test_a_fifth_of_slack_calls_failing_loses_nothing_and_posts_nothing_twice() -> None:
    result = slack_faults.run(slack_faults.QUICK)
    ledger = result.ledger
    assert sum(result.faults.values()) > 0.1 * result.calls  # the faults did happen
    assert set(result.faults) == {"ratelimited", "server_error", "timeout", "dropped"}
    assert result.reviews == slack_faults.QUICK.engineers
    assert ledger.due > 3 * slack_faults.QUICK.engineers
    assert (ledger.duplicated, ledger.lost, ledger.unrecorded) == (0, 0, 0), (
        ledger.duplicate_keys,
        ledger.lost_keys,
    )
    assert ledger.posted + sum(ledger.undeliverable.values()) == ledger.due
    assert (ledger.http_500, ledger.pings) == (0, 0)
    assert ledger.typed > slack_faults.QUICK.engineers  # what they typed was sent, as typed
