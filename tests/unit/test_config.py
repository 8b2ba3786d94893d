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
