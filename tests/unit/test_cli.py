from __future__ import annotations

import io

import pytest
import yaml

from bot.cli import main
from bot.demo import run as run_demo

ENV = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DATABASE_URL", "PORT")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]


def test_serve_without_a_signing_secret_names_it_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "pdpbot: SLACK_SIGNING_SECRET is not set: copy it from your Slack app's "
        "Basic Information page\n"
    )


def test_a_malformed_port_exits_2_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PORT", "http")
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pdpbot: PORT is malformed")
    assert "Traceback" not in err


def test_an_unreachable_database_is_reported_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert main(["migrate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("pdpbot: Cannot reach the database at postgresql+psycopg://")
    assert "DATABASE_URL" in err


def test_serve_refuses_a_database_that_was_never_migrated(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    assert main(["serve"]) == 1
    assert "run `pdpbot migrate` first" in capsys.readouterr().err


def test_migrate_creates_the_default_sqlite_database(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["migrate"]) == 0  # idempotent


def test_tick_rejects_a_time_that_is_not_iso_8601(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["tick", "--now", "next tuesday"])
    assert exited.value.code == 2
    assert "is not an ISO 8601 time" in capsys.readouterr().err


def test_manifest_prints_yaml_with_the_given_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["manifest", "--url", "https://pdp.example.com"]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert (
        data["settings"]["interactivity"]["request_url"] == "https://pdp.example.com/slack/events"
    )


def test_the_demo_prints_a_readable_simulated_quarter() -> None:
    out = io.StringIO()
    assert run_demo(out=out) == 0
    text = out.getvalue()
    assert "Mon 04 Jan 2027" in text
    assert "Ana Ruiz types: /pdp help" in text
    assert "Demo finished:" in text


def test_socket_mode_without_an_app_token_says_where_to_get_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main(["socket"]) == 2
    assert "SLACK_APP_TOKEN is not set: create an app-level token" in capsys.readouterr().err


def test_tick_with_nothing_due_reports_what_it_did(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main(["migrate"]) == 0
    assert main(["tick", "--now", "2027-01-04T10:00:00+00:00"]) == 0
    out = capsys.readouterr().out
    assert "tick at 2027-01-04T10:00:00+00:00: sent 0, missed 0" in out
