from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings, require


def test_defaults_need_no_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_BOT_TOKEN", "DATABASE_URL", "PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.database_url == "sqlite:///pdpbot.db"
    assert settings.port == 3000
    assert not settings.has_slack_credentials


def test_a_missing_secret_names_the_variable_and_where_to_find_it() -> None:
    settings = load_settings(slack_bot_token="xoxb-1")
    with pytest.raises(ConfigError) as caught:
        require(settings, "SLACK_SIGNING_SECRET")
    assert str(caught.value) == (
        "SLACK_SIGNING_SECRET is not set: copy it from your Slack app's Basic Information page"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "eighty"),
        ("SLACK_BOT_TOKEN", "xoxp-user-token"),
        ("DATABASE_URL", "mysql://root@localhost/x"),
        ("HR_DIGEST", "hourly"),
        ("HOLIDAY_COUNTRY", "XX"),
    ],
)
def test_a_malformed_variable_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{name} is malformed")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("sqlite", "not a database URL"),
        ("sqlite:/relative", "not a database URL"),
        ("sqlitex://foo", '"sqlitex" is not a database pdpbot supports'),
        (
            "postgresql+psycopg://pdp@db.internal:fivefour/pdp",
            'the port "fivefour" is not a number',
        ),
        ("postgresql+psycopg://pdp@db.internal:70000/pdp", 'the port "70000" is not a number'),
        ("postgresql+asyncpg://pdp@db.internal/pdp", "the asyncpg driver is not installed"),
        ("postgresql+psycopg2://pdp@db.internal/pdp", "the psycopg2 driver is not installed"),
    ],
)
def test_a_database_url_pdpbot_cannot_use_is_one_line_saying_what_to_write(
    monkeypatch: pytest.MonkeyPatch, value: str, reason: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"DATABASE_URL is malformed ({reason}")
    assert message.endswith(
        "write sqlite:///pdpbot.db (a file in this folder), sqlite:////var/lib/pdpbot/pdpbot.db "
        "(an absolute path) or postgresql://user:password@host:5432/dbname"
    )
    assert "\n" not in message


@pytest.mark.parametrize(
    ("value", "used"),
    [
        (
            "postgres://pdp:s%40cret@db.internal/pdp",
            "postgresql+psycopg://pdp:s%40cret@db.internal/pdp",
        ),
        ("postgresql://pdp@db.internal:5433/pdp", "postgresql+psycopg://pdp@db.internal:5433/pdp"),
        ("postgres+psycopg://pdp@db.internal/pdp", "postgresql+psycopg://pdp@db.internal/pdp"),
        ("postgresql+psycopg://pdp@db.internal/pdp", "postgresql+psycopg://pdp@db.internal/pdp"),
        ("sqlite:////var/lib/pdpbot/pdpbot.db", "sqlite:////var/lib/pdpbot/pdpbot.db"),
    ],
)
def test_the_postgres_urls_hosting_platforms_hand_out_run_on_psycopg(
    monkeypatch: pytest.MonkeyPatch, value: str, used: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", value)
    assert load_settings().database_url == used


def test_an_unknown_default_time_zone_is_refused_at_start_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEFAULT_TZ", "Mars/Base")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value) == (
        'DEFAULT_TZ is malformed ("Mars/Base" is not a time zone this machine knows): '
        "use an IANA time zone name such as Europe/London, America/New_York or UTC"
    )


def test_log_level_is_read_in_any_case_and_refused_when_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "debug")
    assert load_settings().log_level == "DEBUG"
    monkeypatch.setenv("LOG_LEVEL", "loud")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith("LOG_LEVEL is malformed")
    assert str(caught.value).endswith("use DEBUG, INFO, WARNING or ERROR")
