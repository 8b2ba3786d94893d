"""What `pdpbot` checks before it serves: the Slack token, the database, the Socket Mode
connection. Each refusal is one line for the person starting it (`CannotStart`)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from prompts import render, texts

log = logging.getLogger("pdpbot")


class CannotStart(Exception):
    """pdpbot cannot start as configured; the message says what to change."""


def _reason(exc: BaseException) -> str:
    inner = getattr(exc, "orig", None) or getattr(exc, "reason", None) or exc
    lines = str(inner).strip().splitlines()
    return lines[0] if lines else type(inner).__name__


def startup_client(settings: Settings, token: str | None = None) -> WebClient:
    """A Web API client for start-up checks; its failures are told in one CannotStart line,
    so the library's own error line per attempt is not logged."""
    quiet = logging.getLogger("slack_sdk.web.startup")
    quiet.setLevel(logging.CRITICAL)
    return WebClient(
        token=token or settings.slack_bot_token,
        base_url=settings.api_url or WebClient.BASE_URL,
        timeout=10,
        logger=quiet,
    )


def check_slack(settings: Settings) -> dict[str, Any]:
    """auth.test with the bot token: refused or unreachable is CannotStart; else logged once."""
    client = startup_client(settings)
    try:
        data = client.auth_test().data
    except SlackApiError as exc:
        raise CannotStart(texts("cli").slack_refused(exc.response.get("error"))) from None
    except OSError as exc:  # URLError, timeouts, refused connections, after the retries
        raise CannotStart(texts("cli").slack_unreachable(client.base_url, _reason(exc))) from None
    info = dict(data) if isinstance(data, dict) else {}
    domain = str(info.get("url") or "").removeprefix("https://").rstrip("/")
    log.info(
        texts("cli").slack_connected(
            info.get("team"), domain, info.get("user"), info.get("user_id")
        )
    )
    return info


def check_app_token(settings: Settings) -> None:
    """apps.connections.open with SLACK_APP_TOKEN, before the database is touched; the URL it
    hands out is not used (the Socket Mode client asks for its own)."""
    client = startup_client(settings, settings.slack_app_token)
    try:
        client.apps_connections_open(app_token=settings.slack_app_token or "")
    except SlackApiError as exc:
        raise CannotStart(texts("cli").socket_refused(exc.response.get("error"))) from None
    except OSError as exc:
        raise CannotStart(texts("cli").slack_unreachable(client.base_url, _reason(exc))) from None


def _missing_sqlite_file(database_url: str) -> Path | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    path = Path(url.database)
    return None if path.exists() else path


def _unreachable(database_url: str, exc: SQLAlchemyError) -> CannotStart:
    shown = make_url(database_url).render_as_string(hide_password=True)
    return CannotStart(render("cli_db_unreachable", url=shown, reason=_reason(exc)))


def _revision(database_url: str) -> str | None:
    from storage.db import make_engine
    from storage.migrate import current_revision

    engine = make_engine(database_url)
    try:
        return current_revision(engine)
    except SQLAlchemyError as exc:
        raise _unreachable(database_url, exc) from None
    finally:
        engine.dispose()


def require_migrated(settings: Settings) -> None:
    """The schema is at the latest revision; a SQLite file that is not there stays not there."""
    from storage.migrate import head_revision

    missing = _missing_sqlite_file(settings.database_url)
    if missing is not None:
        raise CannotStart(texts("cli").no_database(missing))
    if _revision(settings.database_url) != head_revision():
        raise CannotStart(texts("cli").not_migrated())


def migrate(settings: Settings) -> tuple[str | None, str | None]:
    """Upgrade to the latest revision; (revision before, revision after)."""
    from storage.migrate import head_revision, upgrade

    before = _revision(settings.database_url)
    try:
        upgrade(settings.database_url)
    except SQLAlchemyError as exc:
        raise _unreachable(settings.database_url, exc) from None
    return before, head_revision()
