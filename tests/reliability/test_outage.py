"""PostgreSQL unreachable (a TCP proxy cut, then restored) under a running `pdpbot serve`:
people are told to try again and nothing is half-written, /healthz answers 503, the tick backs
off and resumes, and nothing owed is lost or posted twice. The full minute is
`python -m bench.chaos`."""

from __future__ import annotations

import os

import pytest

from bench.chaos import outage
from tests.conftest import PG_SKIP_REASON


def test_a_database_outage_is_survived_politely_and_loses_nothing() -> None:
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip(PG_SKIP_REASON)
    result = outage.run(outage.QUICK)
    during = result.during
    assert during["healthz"] == during["healthz_late"] == 503
    assert during["pdp"] == (200, True) and during["review"] == (200, True)
    assert during["home"] == 200
    assert during["reviews_written"] == 0  # nothing half-written
    assert during["review_again"] == 200 and during["reviews_after"] == 1
    assert during["healthz_after"] == 200
    assert during["tick_backed_off"] == 1 and during["tick_resumed"]
    assert outage.held(result)
    ledger = result.ledger
    assert (ledger.duplicated, ledger.lost, ledger.unrecorded) == (0, 0, 0), (
        ledger.duplicate_keys,
        ledger.lost_keys,
    )
