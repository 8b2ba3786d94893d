"""PIPs as HR reads them: their items in the digest (names, dates, numbers, the
justification given to HR, the signals; never what the plan says), the formal record as
Markdown and as PDF, the subject-access export, and a purge that keeps counts and dates."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date, datetime, timezone

import pytest
from freezegun import freeze_time
from pypdf import PdfReader
from sqlalchemy import Engine, func, select

from bot.config import Settings
from bot.domain import hr_digest as d
from bot.services import hr_digest, pip_record, purge, subject_access
from bot.slack.views import hr_digest as views
from storage.models import AuditEvent
from storage.pip_models import Pip, PipCheckpoint
from storage.unit_of_work import UnitOfWork
from tests.hr_support import JUSTIFICATION, MARK, NOW, TEAM, seed, seed_pip

SETTINGS = Settings(hr_tz="Europe/London")


@pytest.fixture(autouse=True)
def frozen(engine: Engine) -> Iterator[None]:
    """Under freezegun at NOW: nothing here reads the wall clock. The database driver is
    loaded first (its C extension checks the real datetime types when it loads)."""
    with engine.connect():
        pass
    with freeze_time(NOW):
        yield


OLGA = "*Ольга Петрова* (manager Maya Okafor)"


def test_each_kind_of_pip_item_is_listed_first_and_each_line_reads_as_hr_needs_it(
    uow: UnitOfWork,
) -> None:
    with uow:
        seed_pip(uow.session, seed(uow.session))
        uow.commit()
        digest = hr_digest.compose(uow, TEAM, NOW, SETTINGS)
    lines = {k: [views.item_text(i, None) for i in items] for k, items in digest.groups}
    assert [kind for kind, _ in digest.groups][:4] == list(d.KINDS[:4])
    assert lines[d.PIP_CHECKPOINT] == [
        f"{OLGA}: checkpoint 3 was due Mon 15 Feb 2027, *14 days overdue*",
        f"{OLGA}: checkpoint 4 was due Mon 22 Feb 2027, *7 days overdue*",
    ]
    assert lines[d.PIP_SUPPORT] == [
        f"{OLGA}: support delivered *50%* of the time (1 of 2 missed); a PIP whose support was "
        "not delivered cannot be assessed as not met"
    ]
    assert lines[d.PIP_NO_EARLIER] == [
        f"{OLGA}: no earlier documented conversation. Justification given: {JUSTIFICATION}"
    ]
    assert lines[d.PIP_SIGNAL] == [f"{OLGA}: 1 checkpoint recorded late"]


def test_no_pip_text_reaches_the_digest_only_names_dates_numbers_and_the_justification(
    uow: UnitOfWork,
) -> None:
    with uow:
        seed_pip(uow.session, seed(uow.session))
        uow.commit()
        digest = hr_digest.compose(uow, TEAM, NOW, SETTINGS)
    shown = [views.summary(digest)] + [
        views.part(1, page, n, 1, {}) for n, page in enumerate(views.pages(digest), 1)
    ]
    everything = json.dumps([[b.to_dict() for b in m.blocks] for m in shown], ensure_ascii=False)
    assert "Ольга Петрова" in everything and JUSTIFICATION in everything
    assert MARK not in everything
    assert MARK not in json.dumps(hr_digest.snapshot(digest), ensure_ascii=False)
    assert d.PIP_KINDS.isdisjoint(k for k, _ in digest.without_pips().groups)


def test_the_formal_record_holds_every_part_of_the_pip(uow: UnitOfWork) -> None:
    with uow:
        pip = seed_pip(uow.session, seed(uow.session))
        uow.audit.append(
            team_id=TEAM,
            at=datetime(2027, 1, 21, 15, tzinfo=timezone.utc),
            actor_id=pip.hr_person_id,
            action="pip.hr_acknowledged",
            subject_type="pip",
            subject_id=pip.id,
            engineer_id=pip.engineer_id,
        )
        uow.commit()
        text = pip_record.markdown(pip_record.record_of(uow, pip, NOW, "Europe/London"))
    for expected in (
        f"# Formal record: Performance Improvement Plan {pip.id}",
        "**Engineer:** Ольга Петрова",
        "**HR:** Hana Sato",
        "- **The gap is real and persistent:** confirmed. Evidence: SECRETWORDS gap",
        "- **Earlier documented conversations:** 0. Justification given to HR: " + JUSTIFICATION,
        "**Acknowledged:** Thu 21 Jan 2027 15:00 UTC",
        "**Timeline:** Mon 25 Jan 2027 to Fri 19 Mar 2027 (8 weeks)",
        "**Consequence if the standard is not met:** SECRETWORDS consequence",
        "- **Concern 1:** SECRETWORDS concern",
        "- **Evidence:** SECRETWORDS ev",
        "- **Criterion 1:** SECRETWORDS criterion",
        '- **Engineer:** agreed: "if I achieve that, I should be considered to have met the '
        'requirement" (Mon 25 Jan 2027 16:00 UTC)',
        "- **Support 1:** SECRETWORDS pairing; who: Priya; how often: weekly",
        "### Checkpoint 2, due Mon 8 Feb 2027",
        "**Recorded:** Fri 12 Feb 2027 (late)",
        "- **Criterion 1:** progressing. Evidence: SECRETWORDS seen",
        "- **Support 1 delivered:** no: SECRETWORDS reason",
        "### Checkpoint 3, due Mon 15 Feb 2027",
        "**Not recorded:** overdue since Wed 17 Feb 2027",
        "- 2 checkpoints missed",
        "- Support delivered in full: 1 of 2 sessions (50%)",
        "- No earlier documented conversation: this PIP is likely a surprise",
        "**Outcome:** none yet",
        "- **Thu 21 Jan 2027 15:00 UTC:** pip.hr_acknowledged, by Hana Sato",
    ):
        assert expected in text, expected


def test_the_pdf_says_confidential_and_its_page_on_every_page_and_renders_the_names(
    uow: UnitOfWork,
) -> None:
    with uow:
        pip = seed_pip(uow.session, seed(uow.session))
        uow.commit()
        data = pip_record.pdf(pip_record.record_of(uow, pip, NOW, "Europe/London"))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        assert page.startswith("Confidential")
        assert f"Confidential · page {number} of {len(pages)}" in page
    whole = "\n".join(pages)
    assert "Engineer: Ольга Петрова" in whole
    assert "Checkpoint 8, due Mon 22 Mar 2027" in whole
    assert "Support delivered in full: 1 of 2 sessions (50%)" in whole


def test_the_subject_access_export_holds_the_pip_for_each_person_in_it(uow: UnitOfWork) -> None:
    with uow:
        org = seed(uow.session)
        pip = seed_pip(uow.session, org)
        uow.commit()
        olga = subject_access.export_person(uow, pip.engineer, NOW)
        hana = subject_access.export_person(uow, org.people["UHANA"], NOW)
    [mine] = olga["pips"]
    assert (mine["role"], mine["id"], mine["hr_slack_user_id"]) == ("engineer", pip.id, "UHANA")
    assert mine["criteria"][0]["text"] == f"{MARK} criterion"
    assert mine["checkpoints"][1]["deliveries"][0]["delivery"] == "no"
    assert [p["role"] for p in hana["pips"]] == ["hr"]


def test_a_purge_keeps_the_closed_pips_counts_and_dates_and_removes_names_and_texts(
    uow: UnitOfWork,
) -> None:
    with uow:
        org = seed(uow.session)
        pip = seed_pip(uow.session, org, closed=True)
        pip.engineer.deleted = True
        uow.commit()
        pip_id, olga_id = pip.id, pip.engineer_id
        report = purge.purge(uow, date(2027, 4, 1), NOW)
        assert report.pips == 1
    with uow:
        kept = uow.session.get(Pip, pip_id)
        assert kept is not None and kept.purged_at is not None
        record = json.dumps(subject_access.export_person(uow, kept.engineer, NOW), default=str)
        assert MARK not in record and "Ольга" not in record
        assert (kept.start_on, kept.end_on, kept.outcome) == (
            date(2027, 1, 25),
            date(2027, 3, 19),
            "met",
        )
        assert (
            kept.preconditions["confirmed"] and kept.preconditions["justification"] == "[removed]"
        )
        count = uow.session.scalar(
            select(func.count()).select_from(PipCheckpoint).where(PipCheckpoint.pip_id == pip_id)
        )
        assert count == 8
        assert [c.recorded_on is not None for c in kept.checkpoints][:3] == [True, True, False]
        assert kept.checkpoints[1].deliveries[0]["delivery"] == "no"
        events = uow.session.scalars(
            select(AuditEvent.action).where(AuditEvent.engineer_id == olga_id)
        ).all()
        assert "pip.purged" in events
