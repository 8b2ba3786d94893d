"""`pdpbot import org.csv [--dry-run]` as an operator runs it: what would change, what did,
and a refused file's problems by line with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.fakeslack import FakeSlack
from tests.cli_support import operator_env

pytestmark = pytest.mark.usefixtures("operator_env")
__all__ = ["operator_env"]

ORG = (
    "person,manager,team,country\n"
    "maya@acme.test,,Platform,GB\n"
    "ana@acme.test,maya@acme.test,Platform,US\n"
    "UBEN,UMAYA,Platform,GB\n"
)


@pytest.fixture
def installed(
    monkeypatch: pytest.MonkeyPatch, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> FakeSlack:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    fake_slack.add_user("UMAYA", real_name="Maya Okafor", email="maya@acme.test")
    fake_slack.add_user(
        "UANA", real_name="Ana Ruiz", tz="America/Los_Angeles", email="ana@acme.test"
    )
    assert main(["migrate"]) == 0
    capsys.readouterr()
    return fake_slack


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(list(argv))
    out = capsys.readouterr()
    err = out.err.splitlines()
    said = next((i for i, line in enumerate(err) if line.startswith("pdpbot: ")), len(err))
    return code, out.out.splitlines(), err[said:]  # log lines before pdpbot's own left out


def test_a_dry_run_prints_the_difference_and_changes_nothing(
    installed: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("org.csv").write_text(ORG, encoding="utf-8")
    code, out, _ = run(capsys, "import", "org.csv", "--dry-run")
    assert code == 0
    assert out[0] == (
        "org.csv: 3 people added, 0 managers changed, 0 people with a new team, country or "
        "working days, 0 people removed (dry run: nothing was changed)"
    )
    assert "  + Ana Ruiz (UANA): manager Maya Okafor (UMAYA), team Platform, US" in out
    code, out, _ = run(capsys, "import", "org.csv")
    assert code == 0 and out[0].startswith("org.csv: 3 people added")
    code, out, _ = run(capsys, "import", "org.csv")
    assert out == ["org.csv: the roster already matches it; nothing changed"]


def test_a_refused_file_lists_every_problem_by_line_with_exit_code_2(
    installed: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("org.csv").write_text(
        ORG + "nobody@acme.test,UMAYA,Platform,GB\nUBEN,UMAYA,Platform,GB\nUANA,UMAYA,X,UK1\n",
        encoding="utf-8",
    )
    code = main(["import", "org.csv"])
    out = capsys.readouterr()
    assert code == 2 and out.out == ""
    assert out.err.splitlines()[-4:] == [
        "pdpbot: org.csv refused, the roster is as it was (3 problems); fix the file and "
        "import it again:",
        "  line 5: nobody in Slack is nobody@acme.test",
        "  line 6: UBEN is listed already, on line 4",
        '  line 7: "UK1" is not a two-letter country code with a holiday calendar '
        "(e.g. GB, US, DE, IN)",
    ]
    assert "WARNING" not in out.err  # Slack's users_not_found is an answer, listed by line


def test_a_u_shaped_reference_too_short_for_a_slack_id_is_called_too_short(
    installed: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("org.csv").write_text(ORG + "U1,UMAYA,Platform,GB\nUCHIDI,U,Platform,GB\n", "utf-8")
    code, _, err = run(capsys, "import", "org.csv")
    assert code == 2
    assert err[1:] == [
        '  line 5: "U1" is too short for a Slack user id (they look like U024BE7LH) and is '
        "not an email",
        '  line 6: the manager "U" is too short for a Slack user id (they look like U024BE7LH) '
        "and is not an email",
    ]


def test_a_file_in_another_encoding_or_missing_a_column_is_refused(
    installed: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("latin.csv").write_bytes("person,manager,team,country\nJosé,,A,ES\n".encode("latin-1"))
    code, _, err = run(capsys, "import", "latin.csv")
    assert code == 2 and err[1] == "  line 2: the file is not UTF-8 text; save it as CSV UTF-8"
    Path("short.csv").write_text("person,manager,country\nUBEN,UMAYA,GB\n", encoding="utf-8")
    code, _, err = run(capsys, "import", "short.csv")
    assert code == 2 and 'the header has no column "team"' in err[1]
    code, _, err = run(capsys, "import", "missing.csv")
    assert code == 2 and err[0].startswith("pdpbot: cannot read missing.csv")


def test_cycle_start_prompts_the_roster_and_a_second_start_is_refused(
    installed: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "cycle", "start", "2027Q1")  # no roster yet
    assert code == 2 and out == []
    assert err == [
        "pdpbot: there is no org roster yet: import it first (pdpbot import org.csv), then "
        "start the 2027Q1 cycle; nothing was started"
    ]
    Path("org.csv").write_text(ORG, encoding="utf-8")
    assert run(capsys, "import", "org.csv")[0] == 0
    code, out, err = run(capsys, "cycle", "start", "2027Q1", "--team", "Nope")
    assert code == 2 and out == []
    assert err == [
        "pdpbot: there is no team called Nope on the roster (its teams: Platform); "
        "nothing was started"
    ]
    code, out, _ = run(capsys, "cycle", "start", "2027Q1")
    assert code == 0
    assert out[0].startswith(
        "2027Q1 cycle started for every team: 2 engineers without a plan prompted, "
        "0 with a plan already, 1 manager sent their reports' status."
    )
    code, out, err = run(capsys, "cycle", "start", "2027Q1", "--team", "Platform")
    assert code == 2 and out == []
    assert err == [
        "pdpbot: the 2027Q1 cycle was started already for every team: nothing was sent again"
    ]
    code, _, err = run(capsys, "cycle", "start", "2027-01")
    assert code == 2 and err == ['pdpbot: "2027-01" is not a quarter: write it like 2027Q1']
