from __future__ import annotations

from typing import Literal

from pydantic import AnyHttpUrl, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from prompts import texts


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

    @field_validator("holiday_country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        import holidays

        if value is not None and value not in holidays.list_supported_countries():
            raise ValueError("the holidays package has no calendar for that country")
        return value

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
        raise ConfigError(texts("cli").malformed(name, error["msg"])) from None


def require(settings: Settings, *names: str) -> None:
    for name in names:
        if not getattr(settings, name.lower()):
            raise ConfigError(texts("cli").not_set(name))
