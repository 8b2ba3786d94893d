from __future__ import annotations

from typing import Literal

from pydantic import AnyHttpUrl, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

WHERE_TO_FIND = {
    "SLACK_BOT_TOKEN": "copy the Bot User OAuth Token (xoxb-...) from your Slack app's "
    "OAuth & Permissions page",
    "SLACK_SIGNING_SECRET": "copy it from your Slack app's Basic Information page",
    "SLACK_APP_TOKEN": "create an app-level token (xapp-...) with connections:write on your "
    "Slack app's Basic Information page",
    "SLACK_API_URL": "leave it unset for Slack itself, or give a URL such as http://127.0.0.1:8080/api/",
    "DATABASE_URL": "use a SQLAlchemy URL such as sqlite:///pdpbot.db or "
    "postgresql+psycopg://user@host/db",
    "HR_CHANNEL_ID": "open the private HR channel in Slack, View channel details, copy the ID",
    "PORT": "use a TCP port number such as 3000",
    "DEFAULT_TZ": "use an IANA time zone name such as Europe/London",
    "PROMPT_HOUR": "use an hour from 0 to 23",
    "HR_DIGEST": "use daily or weekly",
    "HOLIDAY_COUNTRY": "use a two-letter country code such as GB, US or IN",
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    slack_bot_token: str | None = Field(default=None, pattern=r"^xoxb-")
    slack_signing_secret: str | None = None
    slack_app_token: str | None = Field(default=None, pattern=r"^xapp-")
    slack_api_url: AnyHttpUrl | None = None
    database_url: str = "sqlite:///pdpbot.db"
    hr_channel_id: str | None = Field(default=None, pattern=r"^[CG][A-Z0-9]+$")
    port: int = Field(default=3000, ge=1, le=65535)
    default_tz: str = "UTC"
    prompt_hour: int = Field(default=10, ge=0, le=23)
    hr_digest: Literal["daily", "weekly"] = "weekly"
    holiday_country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("only sqlite and postgresql are supported")
        return value

    @property
    def has_slack_credentials(self) -> bool:
        return bool(self.slack_bot_token)

    @property
    def api_url(self) -> str | None:
        return str(self.slack_api_url) if self.slack_api_url else None


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line for the person starting pdpbot."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "configuration"
        hint = WHERE_TO_FIND.get(name, "see the configuration table in README.md")
        raise ConfigError(f"{name} is malformed ({error['msg']}): {hint}") from None


def require(settings: Settings, *names: str) -> None:
    for name in names:
        if not getattr(settings, name.lower()):
            hint = WHERE_TO_FIND.get(name, "see the configuration table in README.md")
            raise ConfigError(f"{name} is not set: {hint}")
