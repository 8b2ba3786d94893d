"""Settings, read from the environment (or a `.env` file) and checked before anything starts."""

from __future__ import annotations

import re
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AnyHttpUrl, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from prompts import texts

# The database drivers pdpbot installs; `postgres://` and `postgresql://` mean psycopg.
DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg"}
_POSTGRES = re.compile(r"^postgres(?=[+:])", re.IGNORECASE)  # postgres:// is PostgreSQL's alias
_NO_DRIVER = re.compile(r"^postgresql://", re.IGNORECASE)
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[str, ...] = Weekday.__args__  # type: ignore[attr-defined]


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
    hr_digest: Literal["daily", "weekly", "off"] = "weekly"
    hr_digest_hour: int = Field(default=9, ge=0, le=23)
    hr_digest_weekday: Weekday = "monday"
    hr_digest_when_empty: Literal["post", "skip"] = "post"
    hr_tz: str | None = None
    retention_days: int | None = Field(default=None, ge=30)
    cycles: Literal["on", "off"] = "on"
    cycle_teams: str | None = None
    holiday_country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    log_level: LogLevel = "INFO"
    tick_seconds: float = Field(default=60, ge=0.1, le=3600)

    @field_validator("holiday_country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        import holidays

        if value is not None and value not in holidays.list_supported_countries():
            raise ValueError(texts("cli").no_calendar())
        return value

    @field_validator("default_tz", "hr_tz")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(texts("cli").unknown_zone(value)) from None
        return value

    @field_validator(
        "hr_digest_weekday", "hr_digest_when_empty", "hr_digest", "cycles", mode="before"
    )
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _usable_url(cls, value: str) -> str:
        return normalise_database_url(value)

    @property
    def has_slack_credentials(self) -> bool:
        return bool(self.slack_bot_token)

    @property
    def api_url(self) -> str | None:
        return str(self.slack_api_url) if self.slack_api_url else None

    @property
    def hr_zone(self) -> str:
        """The HR channel's time zone: the digest's day and hour are read in it."""
        return self.hr_tz or self.default_tz

    @property
    def on_sqlite(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "sqlite"


def normalise_database_url(value: str) -> str:
    """The SQLAlchemy URL for `value`, with the driver pdpbot installs; ValueError (one line,
    for the operator) when it is not a URL, names another database, driver or a bad port."""
    text = texts("cli")
    value = _NO_DRIVER.sub("postgresql+psycopg://", _POSTGRES.sub("postgresql", value.strip()))
    scheme = value.split("://", 1)[0] if "://" in value else ""
    backend, _, driver = scheme.partition("+")
    if not scheme or not re.fullmatch(r"[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)?", scheme):
        raise ValueError(text.db_not_a_url())
    if backend.lower() not in DRIVERS:
        raise ValueError(text.db_unknown_backend(backend))
    expected = DRIVERS[backend.lower()]
    if driver and driver.lower() != expected:
        raise ValueError(text.db_driver(driver, backend.lower(), expected))
    try:
        port = make_url(value).port
    except ValueError as exc:  # make_url reads the port as an int
        port_text = value.split("://", 1)[1].split("/", 1)[0].rpartition(":")[2]
        raise ValueError(text.db_port(port_text)) from exc
    except ArgumentError:
        raise ValueError(text.db_not_a_url()) from None
    if port is not None and not 1 <= port <= 65535:
        raise ValueError(text.db_port(str(port)))
    return value


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line for the person starting pdpbot."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "configuration"
        # Our own validators explain themselves; pydantic's built-in wording ("Input should be
        # less than or equal to 23") repeats the hint in its own terms, so only the hint is said.
        reason = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] != "value_error":
            reason = ""
        raise ConfigError(texts("cli").malformed(name, reason)) from None


def require(settings: Settings, *names: str) -> None:
    for name in names:
        if not getattr(settings, name.lower()):
            raise ConfigError(texts("cli").not_set(name))
