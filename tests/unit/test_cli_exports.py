"""HR's exports and the purge from the command line, as an operator runs them."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from freezegun import freeze_time
from pypdf import PdfReader
from sqlalchemy import select

from bot.cli import main
from storage.db import make_engine
from storage.models import AuditEvent, Person, Plan
from storage.unit_of_work import UnitOfWork
from tests.cli_support import operator_env
from tests.hr_support import MARK, Org, seed, seed_pip
from tests.integration.test_hr_purge import _closed_concern

pytestmark = pytest.mark.usefixtures("operator_env", "frozen")
__all__ = ["operator_env"]


@pytest.fixture
def frozen() -> Iterator[object]:
    with freeze_time("2027-04-05 10:00:00") as frozen:
        yield frozen


@pytest.fixture
def seeded(capsys: pytest.CaptureFixture[str]) -> UnitOfWork:
    assert main(["migrate"]) == 0
    capsys.readouterr()
    uow = UnitOfWork.for_engine(make_engine("sqlite:///pdpbot.db"))
    with uow:
        seed(uow.session)
        uow.commit()
    return uow


def read_csv(path: str) -> dict[str, dict[str, str]]:
    with Path(path).open(encoding="utf-8") as f:
        return {r["engineer"]: r for r in csv.DictReader(f)}


def last_line(capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    captured = capsys.readouterr()
    return captured.out.strip(), captured.err.strip().removeprefix("pdpbot: ")


def test_calibration_csv_has_one_row_per_engineer_with_goals_reviews_and_commitments(
    seeded: UnitOfWork, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "calibration", "--out", "q1.csv", "--period", "2027Q1"]) == 0
    assert last_line(capsys)[0] == "calibration CSV written to q1.csv (4 rows)"
    rows = read_csv("q1.csv")
    assert sorted(rows) == ["Ana Ruiz", "Chidi Eze", "Otto Berg", "Priya Nair"]
    chidi = rows["Chidi Eze"]
    assert {k: chidi[k] for k in ("manager", "period", "period_start", "period_end")} == {
        "manager": "Maya Okafor",
        "period": "2027Q1",
        "period_start": "2027-01-04",
        "period_end": "2027-03-31",
    }
    assert [chidi[f"goal_{n}_progress"] for n in (1, 2, 3)] == [
        "not_started",
        "on_track",
        "not_started",
    ]
    assert [chidi[f"goal_{n}_carried"] for n in (1, 2, 3)] == ["2", "3", "1"]
    assert chidi["goals_carried_without_progress"] == "1"
    assert (chidi["reviews_held"], chidi["commitments_delivered"], chidi["commitments_made"]) == (
        "1",
        "1",
        "3",
    )
    assert rows["Ana Ruiz"]["goal_1_outcome"] == ""


def test_calibration_reviews_due_count_the_agreed_dates_that_have_passed(
    seeded: UnitOfWork, capsys: pytest.CaptureFixture[str]
) -> None:
    with seeded as uow:
        plan = uow.session.scalars(select(Plan).where(Plan.strengths.contains(MARK))).first()
        assert plan is not None
        plan.review_dates = {"1": "2027-01-04", "4": "2027-02-01", "8": "2027-03-01"}
        uow.commit()
        engineer = plan.engineer.name
    assert main(["export", "calibration", "--out", "q1.csv", "--period", "2027Q1"]) == 0
    rows = read_csv("q1.csv")
    # On 5 April 2027 both agreed dates have passed.
    assert rows[engineer]["reviews_due"] == "2"


def test_a_period_that_is_not_a_quarter_is_refused_and_nothing_is_written(
    seeded: UnitOfWork, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "calibration", "--out", "q.csv", "--period", "spring"]) == 2
    assert last_line(capsys)[1] == '--period "spring" is not a quarter: write it like 2027Q1'
    assert not Path("q.csv").exists()


def test_an_output_path_that_cannot_be_written_is_refused_and_leaves_nothing(
    seeded: UnitOfWork, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "calibration", "--out", "missing/q.csv"]) == 2
    assert last_line(capsys)[1] == (
        "cannot write missing/q.csv (there is no folder missing): nothing was written; "
        "choose a folder that exists and that you may write to"
    )
    Path("locked").mkdir()
    os.chmod("locked", 0o500)
    try:
        if os.access("locked", os.W_OK):  # root writes anywhere: nothing to prove here
            return
        assert main(["export", "calibration", "--out", "locked/q.csv"]) == 2
        assert "cannot write locked/q.csv (Permission denied)" in last_line(capsys)[1]
        assert list(Path("locked").iterdir()) == []
    finally:
        os.chmod("locked", 0o700)


def test_an_existing_file_is_replaced_whole_or_not_at_all(
    seeded: UnitOfWork, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("q1.csv").write_text("old", encoding="utf-8")
    assert main(["export", "calibration", "--out", "q1.csv", "--period", "2027Q1"]) == 0
    assert Path("q1.csv").read_text(encoding="utf-8").startswith("engineer,")
    assert [p.name for p in Path().iterdir() if p.name.startswith(".q1")] == []


def test_the_person_export_holds_their_plan_in_full(
    seeded: UnitOfWork, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "person", "UCHIDI", "--out", "chidi.json"]) == 0
    assert last_line(capsys)[0] == "subject-access export written to chidi.json"
    data = json.loads(Path("chidi.json").read_text(encoding="utf-8"))
    assert data["person"]["slack_user_id"] == "UCHIDI"
    assert data["person"]["name"] == "Chidi Eze"
    assert data["person"]["manager_slack_user_id"] == "UMAYA"
    [plan] = data["plans"]
    assert plan["role"] == "engineer"
    assert plan["strengths"] == f"{MARK} strengths"
    assert [g["outcome"] for g in plan["goals"]] == [f"{MARK} goal {n}" for n in range(3)]
    assert [c["status"] for c in plan["commitments"]] == ["pending", "pending", "delivered"]
    assert plan["reviews"][0]["answers"] == {"looking_back": f"{MARK} answer"}
    assert plan["reviews"][0]["author_slack_user_id"] == "UMAYA"


def test_a_managers_export_holds_what_they_wrote_not_their_reports_plans(
    seeded: UnitOfWork, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "person", "UMAYA", "--out", "maya.json"]) == 0
    data = json.loads(Path("maya.json").read_text(encoding="utf-8"))
    assert {p["role"] for p in data["plans"]} == {"manager"}
    assert all("strengths" not in p and p["reviews"] == [] for p in data["plans"])
    assert all("outcome" not in g for p in data["plans"] for g in p["goals"])
    assert [r["answers"] for r in data["reviews_written"]] == [{"looking_back": f"{MARK} answer"}]


def test_an_export_for_an_unknown_person_is_refused_and_writes_nothing(
    seeded: UnitOfWork, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "person", "UNOBODY", "--out", "x.json"]) == 2
    assert last_line(capsys)[1] == (
        "no one with the Slack id UNOBODY is known to pdpbot: nothing was written"
    )
    assert not Path("x.json").exists()


def test_a_purge_date_in_the_future_is_refused(
    seeded: UnitOfWork, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["purge", "--closed-before", "2027-04-06"]) == 2
    assert last_line(capsys)[1] == (
        "--closed-before 2027-04-06 is in the future (today is 2027-04-05): nothing was "
        "purged; give a date on or before today"
    )


def test_purge_anonymises_closed_plans_keeps_counts_and_dates(
    seeded: UnitOfWork, capsys: pytest.CaptureFixture[str]
) -> None:
    with seeded as uow:
        plan = uow.session.scalars(select(Plan).where(Plan.strengths.contains(MARK))).all()
        closed = next(p for p in plan if p.engineer.slack_user_id == "UOTTO")
        closed.status = "closed"
        closed.closed_at = datetime(2027, 3, 31, tzinfo=timezone.utc)
        uow.commit()
    assert main(["purge", "--closed-before", "2027-04-01", "--dry-run"]) == 0
    assert last_line(capsys)[0].startswith("would anonymise 1 plan, 0 concerns, 0 PIPs and 1")
    assert main(["purge", "--closed-before", "2027-04-01"]) == 0
    assert last_line(capsys)[0] == (
        "anonymised 1 plan, 0 concerns, 0 PIPs and 1 person closed before 2027-04-01; "
        "counts and dates are kept"
    )
    assert main(["export", "person", "UOTTO", "--out", "otto.json"]) == 0
    text = Path("otto.json").read_text(encoding="utf-8")
    assert MARK not in text and "Otto" not in text
    data = json.loads(text)
    assert data["plans"][0]["period_start"] == "2027-01-04"
    assert data["plans"][0]["closed_at"] == "2027-03-31T00:00:00+00:00"


def test_the_readme_documents_every_field_of_the_person_export(
    seeded: UnitOfWork, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n## Subject-access export\n")
    documented = readme[start : readme.index("\n## ", start + 1)]
    with seeded as uow:
        _closed_concern(uow)
        uow.commit()
    assert main(["export", "person", "UANA", "--out", "ana.json"]) == 0
    assert main(["export", "person", "UCHIDI", "--out", "chidi.json"]) == 0
    ana = json.loads(Path("ana.json").read_text(encoding="utf-8"))
    [concern] = ana["concerns"]
    assert (concern["role"], concern["manager_slack_user_id"]) == ("engineer", "UMAYA")
    assert concern["conversations"][0]["context_notes"] == f"{MARK} a personal circumstance"
    assert [e["action"] for e in ana["audit_events"]] == ["concern.opened", "concern.resolved"]
    assert ana["audit_events"][0]["actor_slack_user_id"] == "UMAYA"
    data = json.loads(Path("chidi.json").read_text(encoding="utf-8"))
    data["concerns"], data["audit_events"] = ana["concerns"], ana["audit_events"]

    def keys(value: object) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        if isinstance(value, list):
            return {k for v in value for k in keys(v)}
        return set()

    answers = {k for r in data["plans"][0]["reviews"] for k in r["answers"]}
    answers |= {k for e in data["audit_events"] for k in keys([e["before"], e["after"]])}
    missing = [
        k for k in keys(data) - answers if f"`{k}`" not in documented and f".{k}`" not in documented
    ]
    assert missing == []


def test_the_formal_record_of_a_pip_is_written_as_pdf_or_markdown(
    seeded: UnitOfWork, capsys: pytest.CaptureFixture[str]
) -> None:
    with seeded as uow:
        pip = seed_pip(uow.session, Org(people=_people(uow)))
        uow.commit()
        pip_id = pip.id
    assert main(["export", "pip", str(pip_id), "--out", "record.pdf"]) == 0
    assert last_line(capsys)[0] == "PIP formal record written to record.pdf (8 checkpoints)"
    pages = PdfReader("record.pdf").pages
    assert all(p.extract_text().startswith("Confidential") for p in pages)
    assert main(["export", "pip", str(pip_id), "--out", "record.md"]) == 0
    text = Path("record.md").read_text(encoding="utf-8")
    assert text.startswith(f"# Formal record: Performance Improvement Plan {pip_id}\n")
    assert "**Engineer:** Ольга Петрова" in text
    with seeded as uow:
        froms = [e.after["from"] for e in uow.session.scalars(select(AuditEvent))]
        assert froms == ["command_line", "command_line"]


def test_an_export_of_a_pip_that_does_not_exist_is_refused_and_writes_nothing(
    seeded: UnitOfWork, capsys: pytest.CaptureFixture[str]
) -> None:
    for made_up in ("999", "seven"):
        assert main(["export", "pip", made_up, "--out", "x.pdf"]) == 2
        assert last_line(capsys)[1] == f"there is no PIP {made_up}: nothing was written"
    assert not Path("x.pdf").exists()


def _people(uow: UnitOfWork) -> dict[str, Person]:
    return {p.slack_user_id: p for p in uow.session.scalars(select(Person))}
