"""Several `pdpbot serve` processes on one database: three ticking against one PostgreSQL
through simulated weeks post each prompt once; on SQLite, people's requests served while ticks
run never show "database is locked" (or a "try again")."""

from __future__ import annotations

import os

import pytest

from bench.chaos import instances
from tests.conftest import PG_SKIP_REASON


def test_three_instances_on_one_postgresql_post_each_prompt_once() -> None:
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip(PG_SKIP_REASON)
    result = instances.run(instances.QUICK, "postgresql")
    ledger = result.ledger
    assert result.instances == 3 and ledger.due >= instances.QUICK.engineers
    assert (ledger.duplicated, ledger.lost, ledger.unrecorded) == (0, 0, 0), (
        ledger.duplicate_keys,
        ledger.lost_keys,
    )


def test_on_sqlite_requests_during_ticks_never_meet_a_locked_database() -> None:
    result = instances.run(instances.QUICK, "sqlite")
    ledger = result.ledger
    assert result.requests > 20
    assert result.refused == []
    assert ledger.http_500 == 0
    assert (ledger.duplicated, ledger.lost) == (0, 0), (ledger.duplicate_keys, ledger.lost_keys)
