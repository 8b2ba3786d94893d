"""The digest read from a seeded organisation: each kind of item, each line as HR reads it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from freezegun import freeze_time
from sqlalchemy import Engine

from bot.config import Settings
from bot.domain import hr_digest as d
from bot.services import hr_digest
from bot.slack.views import hr_digest as views
from storage.unit_of_work import UnitOfWork
from tests.hr_support import MARK, NOW, TEAM, seed

SETTINGS = Settings(hr_tz="Europe/London")


@pytest.fixture(autouse=True)
def frozen(engine: Engine) -> Iterator[None]:
    """Under freezegun at NOW: nothing here reads the wall clock. The database driver is
    loaded first (its C extension checks the real datetime types when it loads)."""
    with engine.connect():
        pass
    with freeze_time(NOW):
        yield


def lines_of(uow: UnitOfWork) -> dict[str, list[str]]:
    digest = hr_digest.compose(uow, TEAM, NOW, SETTINGS)
    return {kind: [views.item_text(item, None) for item in items] for kind, items in digest.groups}


def test_every_kind_of_pdp_item_is_found_and_each_line_reads_as_hr_needs_it(
    uow: UnitOfWork,
) -> None:
    with uow:
        seed(uow.session)
        uow.commit()
        lines = lines_of(uow)
    assert lines == {
        d.UNREVIEWED: [
            "*Ana Ruiz* (manager Maya Okafor): no review for *56 days* (never reviewed)",
        ],
        d.COMMITMENT: [
            "*Chidi Eze* (manager Maya Okafor): the manager's commitment 1 was due "
            "Mon 1 Feb 2027, *28 days overdue*",
        ],
        d.STUCK_GOAL: [
            "*Chidi Eze* (manager Maya Okafor): goal 1 carried *2 periods*, still not started",
        ],
        d.UNDELIVERABLE: [
            "*Priya Nair* (manager Ben Carter): a commitment reminder on Fri 26 Feb 2027 "
            "could not be delivered (messages_tab_disabled)",
        ],
        d.PAUSED: [
            "*Otto Berg* (manager Ben Carter): plan paused: Otto Berg is deactivated in Slack",
        ],
        d.UNANSWERED: [
            "*Priya Nair* (manager Ben Carter): the progress check was nudged Thu 25 Feb 2027 "
            "and still waits for Ben Carter",
        ],
    }


def test_the_digest_reads_no_text_anyone_typed(uow: UnitOfWork) -> None:
    with uow:
        seed(uow.session)
        uow.commit()
        digest = hr_digest.compose(uow, TEAM, NOW, SETTINGS)
    shown = [views.summary(digest)] + [
        views.part(1, page, n, 1, {}) for n, page in enumerate(views.pages(digest), 1)
    ]
    everything = repr([[b.to_dict() for b in m.blocks] for m in shown])
    assert "Ana Ruiz" in everything
    assert MARK not in everything
    assert MARK not in repr(hr_digest.snapshot(digest))


def test_a_digest_kept_as_posted_reads_back_the_same(uow: UnitOfWork) -> None:
    from storage.hr_models import HrDigest

    with uow:
        seed(uow.session)
        uow.commit()
        digest = hr_digest.compose(uow, TEAM, NOW, SETTINGS)
        row = HrDigest(
            team_id=TEAM, on=digest.today, items=hr_digest.snapshot(digest), created_at=NOW
        )
        uow.session.add(row)
        uow.commit()
        again = hr_digest.restore(uow.session.get(HrDigest, row.id))  # type: ignore[arg-type]
    assert again == digest
