"""`pdpbot tick` and `pdpbot serve` SIGKILLed at random moments (seeded), several times, and
started again: every due prompt is posted, none twice. Real processes on a simulated clock
against the fake Slack; the full size is `python -m bench.chaos`."""

from __future__ import annotations

import os

import pytest

from bench.chaos import crashes
from tests.conftest import PG_SKIP_REASON


def _clean(result: crashes.Result, config: crashes.Config) -> None:
    ledger = result.ledger
    assert result.kills >= min(2, config.kills)  # killed, several times
    assert ledger.due >= config.engineers
    assert (ledger.duplicated, ledger.lost, ledger.unrecorded) == (0, 0, 0), (
        ledger.duplicate_keys,
        ledger.lost_keys,
    )
    assert ledger.posted == ledger.due


def test_tick_killed_at_random_moments_loses_nothing_and_posts_nothing_twice() -> None:
    _clean(crashes.run(crashes.QUICK_TICKS, "tick", "sqlite"), crashes.QUICK_TICKS)


def test_serve_killed_at_random_moments_loses_nothing_and_posts_nothing_twice() -> None:
    backend = "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"
    _clean(crashes.run(crashes.QUICK, "serve", backend), crashes.QUICK)


def test_serve_on_sqlite_killed_at_random_moments_loses_nothing() -> None:
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip(PG_SKIP_REASON)  # the test above ran on SQLite already
    _clean(crashes.run(crashes.QUICK, "serve", "sqlite"), crashes.QUICK)
