"""`pdpbot doctor`: one line per finding, non-zero exit when something is wrong."""

from __future__ import annotations

import logging

import pytest

from bot.cli import main
from bot.fakeslack import FakeSlack
from bot.slack.manifest import BOT_SCOPES
from tests.cli_support import operator_env

pytestmark = pytest.mark.usefixtures("operator_env")
__all__ = ["operator_env"]


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch, fake_slack: FakeSlack) -> FakeSlack:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    monkeypatch.setenv("HR_CHANNEL_ID", "CHR")
    fake_slack.add_channel("CHR", name="hr-private", is_private=True, members=["UHANA", "UBOT"])
    fake_slack.scopes = list(BOT_SCOPES)
    assert main(["migrate"]) == 0
    return fake_slack


def doctor(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = main(["doctor"])
    return code, capsys.readouterr().out.splitlines()


def test_a_healthy_installation_passes_every_check(
    installed: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = doctor(capsys)
    assert code == 0
    assert lines[0] == "ok      SLACK_BOT_TOKEN is valid: workspace Acme, bot @pdpbot"
    assert lines[1] == f"ok      the token has all {len(BOT_SCOPES)} scopes the manifest asks for"
    assert lines[2].startswith("ok      this machine's clock agrees with Slack's")
    assert lines[3] == "ok      the HR channel CHR (#hr-private) is private and pdpbot is a member"
    assert lines[4].startswith("ok      the database schema is up to date (revision ")
    assert lines[5].startswith("ok      time zones: DEFAULT_TZ UTC")
    assert lines[-1] == "all checks passed"


def test_a_public_hr_channel_a_missing_scope_and_an_old_schema_are_each_a_finding(
    installed: FakeSlack, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    installed.add_channel("CPUB", name="general", is_private=False, members=["UBOT"])
    monkeypatch.setenv("HR_CHANNEL_ID", "CPUB")
    installed.scopes = [s for s in BOT_SCOPES if s != "im:history"]
    monkeypatch.setenv("DATABASE_URL", "sqlite:///other.db")
    code, lines = doctor(capsys)
    assert code == 1
    assert (
        "PROBLEM the token lacks im:history: reinstall the app from `pdpbot manifest` "
        "so Slack grants them"
    ) in lines
    assert (
        "PROBLEM the HR channel CPUB (#general) is not private: pdpbot posts no names or "
        "PIPs there; use a private channel"
    ) in lines
    assert (
        "PROBLEM there is no database at other.db: run `pdpbot migrate` first "
        "(or check DATABASE_URL)"
    ) in lines
    assert lines[-1] == "3 problems found"


def test_a_bot_removed_from_the_private_hr_channel_is_a_finding(
    installed: FakeSlack, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    installed.add_channel("CHR2", name="hr-people", is_private=True, members=["UHANA"])
    monkeypatch.setenv("HR_CHANNEL_ID", "CHR2")
    code, lines = doctor(capsys)
    assert code == 1
    assert (
        "PROBLEM the HR channel CHR2 cannot be found: it does not exist, or it is private "
        "and pdpbot is not in it (invite it with /invite @pdpbot)"
    ) in lines


def test_a_token_slack_refuses_is_the_finding_and_the_rest_still_runs(
    installed: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    installed.fail_next("auth.test", "invalid_auth")
    code, lines = doctor(capsys)
    assert code == 1
    assert lines[0].startswith("PROBLEM Slack refused SLACK_BOT_TOKEN (invalid_auth)")
    assert any(line.startswith("ok      the database schema is up to date") for line in lines)


def test_at_start_up_a_public_or_unreachable_hr_channel_is_logged_as_an_error(
    installed: FakeSlack, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.config import load_settings
    from bot.doctor import log_hr_channel

    installed.add_channel("CPUB", name="general", is_private=False, members=["UBOT"])
    with caplog.at_level(logging.INFO, logger="pdpbot"):
        log_hr_channel(load_settings())
        monkeypatch.setenv("HR_CHANNEL_ID", "CPUB")
        log_hr_channel(load_settings())
        monkeypatch.setenv("HR_CHANNEL_ID", "CGONE")
        log_hr_channel(load_settings())
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("INFO", "the HR channel CHR (#hr-private) is private and pdpbot is a member"),
        (
            "ERROR",
            "the HR channel CPUB (#general) is not private: pdpbot posts no names or PIPs "
            "there; use a private channel",
        ),
        (
            "ERROR",
            "the HR channel CGONE cannot be found: it does not exist, or it is private and "
            "pdpbot is not in it (invite it with /invite @pdpbot)",
        ),
    ]
