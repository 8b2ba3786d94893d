"""`pdpbot` as an operator meets it: each mistake is one line on stderr and exit code 2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.cli import main
from bot.demo import run as run_demo
from bot.fakeslack import FakeSlack
from storage.migrate import head_revision
from tests.cli_support import closed_port, lines, operator_env

pytestmark = pytest.mark.usefixtures("operator_env")
__all__ = ["operator_env"]

PG_HINT = (
    "write sqlite:///pdpbot.db (a file in this folder), sqlite:////var/lib/pdpbot/pdpbot.db "
    "(an absolute path) or postgresql://user:password@host:5432/dbname"
)


def refusal(capsys: pytest.CaptureFixture[str]) -> str:
    """The one line pdpbot refused with: stderr holds it and nothing but log lines."""
    err = capsys.readouterr().err
    assert "Traceback" not in err
    said = [line for line in lines(err) if line.startswith("pdpbot: ")]
    others = [line for line in lines(err) if not line.startswith(("pdpbot: ", "INFO pdpbot "))]
    assert len(said) == 1, err
    assert others == [], err
    return said[0].removeprefix("pdpbot: ")


def test_serve_without_a_signing_secret_names_it_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main(["serve"]) == 2
    assert refusal(capsys) == (
        "SLACK_SIGNING_SECRET is not set: copy it from your Slack app's Basic Information page"
    )


def test_a_malformed_port_exits_2_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PORT", "http")
    assert main(["migrate"]) == 2
    assert refusal(capsys).startswith("PORT is malformed")


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        (
            "PROMPT_HOUR",
            "25",
            "PROMPT_HOUR is malformed: use an hour from 0 to 23",
        ),
        (
            "HOLIDAY_COUNTRY",
            "XX",
            "HOLIDAY_COUNTRY is malformed (the holidays package has no calendar for that "
            "country): use a two-letter country code such as GB, US or IN",
        ),
        (
            "HR_DIGEST",
            "monthly",
            "HR_DIGEST is malformed: use daily, weekly or off",
        ),
        (
            "PORT",
            "0",
            "PORT is malformed: use a TCP port number such as 3000",
        ),
        (
            "DEFAULT_TZ",
            "Mars/Base",
            'DEFAULT_TZ is malformed ("Mars/Base" is not a time zone this machine knows): '
            "use an IANA time zone name such as Europe/London, America/New_York or UTC",
        ),
        (
            "RETENTION_DAYS",
            "10",
            "RETENTION_DAYS is malformed: "
            "use a number of days, at least 30, or leave it unset to keep records",
        ),
        (
            "HR_DIGEST_WEEKDAY",
            "funday",
            "HR_DIGEST_WEEKDAY is malformed: use a day of the week such as monday",
        ),
        (
            # A token never appears in what pdpbot prints, not even a wrong one.
            "SLACK_BOT_TOKEN",
            "xoxp-user-token-1234",
            "SLACK_BOT_TOKEN is malformed: copy the Bot User OAuth Token (xoxb-...) from "
            "your Slack app's OAuth & Permissions page",
        ),
    ],
)
@pytest.mark.parametrize("verb", [["demo"], ["demo", "--quiet"], [], ["migrate"], ["serve"]])
def test_a_malformed_setting_is_one_line_for_the_demo_as_for_every_verb(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    verb: list[str],
    name: str,
    value: str,
    line: str,
) -> None:
    monkeypatch.setenv(name, value)
    assert main(verb) == 2
    assert refusal(capsys) == line
    assert list(Path().iterdir()) == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("sqlite", "not a database URL"),
        ("sqlite:/relative", "not a database URL"),
        (
            "sqlitex://foo",
            '"sqlitex" is not a database pdpbot supports; it runs on SQLite and PostgreSQL',
        ),
        (
            "postgresql+psycopg://pdp@db.internal:port/pdp",
            'the port "port" is not a number from 1 to 65535',
        ),
        (
            "postgresql+asyncpg://pdp@db.internal/pdp",
            "the asyncpg driver is not installed; "
            "pdpbot talks to postgresql through psycopg, so leave the driver out",
        ),
        (
            "postgresql+psycopg2://pdp@db.internal/pdp",
            "the psycopg2 driver is not installed; "
            "pdpbot talks to postgresql through psycopg, so leave the driver out",
        ),
    ],
)
@pytest.mark.parametrize("verb", ["migrate", "tick", "serve", "socket"])
def test_a_database_url_pdpbot_cannot_use_is_one_line_from_every_verb(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    verb: str,
    url: str,
    reason: str,
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main([verb]) == 2
    assert refusal(capsys) == f"DATABASE_URL is malformed ({reason}): {PG_HINT}"


@pytest.mark.postgres
def test_migrate_takes_the_postgres_url_a_hosting_platform_hands_out(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], postgres_url: str
) -> None:
    given = postgres_url.replace("postgresql+psycopg://", "postgres://", 1)
    assert given.startswith("postgres://")
    monkeypatch.setenv("DATABASE_URL", given)
    assert main(["migrate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("database ")
    assert out.endswith(f"revision {head_revision()}\n") or out.endswith(
        f"revision {head_revision()})\n"
    )


def test_an_unreachable_database_is_reported_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgres://nobody:secret@127.0.0.1:{closed_port()}/none")
    assert main(["migrate"]) == 2
    line = refusal(capsys)
    assert line.startswith("Cannot reach the database at postgresql+psycopg://nobody:***@127.0.0.1")
    assert line.endswith("Check DATABASE_URL (README.md, Configuration).")
    assert "secret" not in line


def test_bare_pdpbot_checks_every_setting_before_it_touches_the_database(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main([]) == 2
    assert refusal(capsys) == (
        "SLACK_SIGNING_SECRET is not set: copy it from your Slack app's Basic Information page"
    )
    assert list(Path().iterdir()) == []  # no pdpbot.db: nothing was migrated


def test_bare_pdpbot_checks_the_token_with_slack_before_it_touches_the_database(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next("auth.test", "invalid_auth")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-stale")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    assert main([]) == 2
    assert refusal(capsys).startswith("Slack refused SLACK_BOT_TOKEN (invalid_auth)")
    assert list(Path().iterdir()) == []


def test_tick_on_a_database_that_was_never_migrated_creates_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main(["tick"]) == 2
    assert refusal(capsys) == (
        "there is no database at pdpbot.db: run `pdpbot migrate` first (or check DATABASE_URL)"
    )
    assert list(Path().iterdir()) == []


def test_tick_on_an_empty_database_file_asks_for_migrate(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    Path("pdpbot.db").touch()
    assert main(["tick"]) == 2
    assert refusal(capsys) == ("the database schema is not up to date: run `pdpbot migrate` first")


def test_serve_refuses_a_database_that_was_never_migrated_and_creates_none(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fake_slack: FakeSlack
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    assert main(["serve"]) == 2
    assert refusal(capsys) == (
        "there is no database at pdpbot.db: run `pdpbot migrate` first (or check DATABASE_URL)"
    )
    assert list(Path().iterdir()) == []


def test_migrate_creates_the_default_sqlite_database_and_says_where_it_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    head = head_revision()
    assert main(["migrate"]) == 0
    assert capsys.readouterr().out == (
        f"database upgraded from an empty database to revision {head}\n"
    )
    assert main(["migrate"]) == 0  # idempotent
    captured = capsys.readouterr()
    assert captured.out == f"database is up to date (revision {head})\n"
    assert captured.err == ""  # no alembic chatter at the default level


@pytest.mark.parametrize(
    ("verb", "refused"),
    [
        (
            "serve",
            "Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the current Bot User OAuth "
            "Token (xoxb-...) from your Slack app's OAuth & Permissions page, and reinstall "
            "the app if it was uninstalled",
        ),
        (
            "socket",
            "Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the current Bot User OAuth "
            "Token (xoxb-...) from your Slack app's OAuth & Permissions page, and reinstall "
            "the app if it was uninstalled",
        ),
    ],
)
def test_a_token_slack_refuses_stops_serve_and_socket_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fake_slack: FakeSlack,
    verb: str,
    refused: str,
) -> None:
    fake_slack.fail_next("auth.test", "invalid_auth")
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-revoked",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_APP_TOKEN": "xapp-1",
        "SLACK_API_URL": fake_slack.api_url,
    }.items():
        monkeypatch.setenv(name, value)
    assert main([verb]) == 2
    assert refusal(capsys) == refused
    assert [c.method for c in fake_slack.calls] == ["auth.test"]


@pytest.mark.parametrize("verb", ["serve", "socket"])
def test_a_web_api_that_cannot_be_reached_stops_serve_and_socket_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    api = f"http://127.0.0.1:{closed_port()}/api/"
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_APP_TOKEN": "xapp-1",
        "SLACK_API_URL": api,
    }.items():
        monkeypatch.setenv(name, value)
    assert main([verb]) == 2
    line = refusal(capsys)
    assert line.startswith(f"Cannot reach the Slack Web API at {api} (")
    assert line.endswith("Connection refused): check the network and SLACK_API_URL")


def test_socket_with_an_app_token_slack_refuses_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next("apps.connections.open", "invalid_auth")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-revoked")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    assert main(["socket"]) == 2
    assert refusal(capsys) == (
        "Slack refused SLACK_APP_TOKEN (invalid_auth): create an app-level token (xapp-...) "
        "with connections:write on your Slack app's Basic Information page, and check that "
        "Socket Mode is on"
    )
    assert list(Path().iterdir()) == []


def test_socket_against_an_unreachable_socket_mode_endpoint_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fake_slack: FakeSlack
) -> None:
    fake_slack.socket_mode_url = f"ws://127.0.0.1:{closed_port()}/link/?ticket=t"
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    assert main(["socket"]) == 2
    assert refusal(capsys) == (
        "Cannot connect to Slack's Socket Mode endpoint ([Errno 111] Connection refused): "
        "check the network, or use `pdpbot serve` behind HTTPS"
    )


def test_tick_rejects_a_time_that_is_not_iso_8601(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["tick", "--now", "next tuesday"])
    assert exited.value.code == 2
    assert "is not an ISO 8601 time" in capsys.readouterr().err


def test_the_demo_prints_a_readable_simulated_quarter() -> None:
    out = io.StringIO()
    assert run_demo(out=out) == 0
    text = out.getvalue()
    assert "Mon 4 Jan 2027" in text
    assert "Ana Ruiz types: /pdp help" in text
    assert "The quarter as Maya Okafor sees it" in text


def test_socket_mode_without_an_app_token_says_where_to_get_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main(["socket"]) == 2
    assert refusal(capsys).startswith("SLACK_APP_TOKEN is not set: create an app-level token")


def test_tick_with_nothing_due_reports_what_it_did(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main(["migrate"]) == 0
    assert main(["tick", "--now", "2027-01-04T10:00:00+00:00"]) == 0
    captured = capsys.readouterr()
    assert "tick at Mon 4 Jan 2027 10:00 UTC: sent 0, missed 0" in captured.out
    assert captured.err == ""


def test_serve_on_a_port_already_in_use_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fake_slack: FakeSlack
) -> None:
    import socket

    assert main(["migrate"]) == 0
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for name, value in {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_SIGNING_SECRET": "s",
            "SLACK_API_URL": fake_slack.api_url,
            "PORT": str(port),
        }.items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        assert main(["serve"]) == 2
    assert refusal(capsys) == (
        f"Cannot listen on port {port} (Address already in use): stop what uses it, "
        "or set PORT to a free port"
    )
