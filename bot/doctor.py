"""`pdpbot doctor`: checks an installation and says, one line per finding, what is wrong and
what to do. Slack: the token and its scopes (auth.test and its x-oauth-scopes header), the HR
channel (conversations.info: exists, private, pdpbot a member). The database schema. The
clock (against the Date Slack answers with) and the time zones pdpbot will schedule in."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot import preflight
from bot.config import Settings
from bot.slack.manifest import BOT_SCOPES
from prompts import Texts, texts

MAX_SKEW_SECONDS = 60
log = logging.getLogger("pdpbot")


@dataclass(frozen=True)
class Finding:
    ok: bool
    text: str


def words() -> Texts:
    return texts("cli_doctor")


def examine(settings: Settings, now: datetime | None = None) -> list[Finding]:
    client = preflight.startup_client(settings)
    findings = _slack(client, settings, now)
    findings.append(_database(settings))
    findings.append(_zones(settings))
    return findings


def _slack(client: WebClient, settings: Settings, now: datetime | None) -> list[Finding]:
    t = words()
    try:
        response = client.auth_test()
    except SlackApiError as exc:
        return [Finding(False, t.token_refused(exc.response.get("error")))]
    except OSError as exc:
        return [Finding(False, t.slack_unreachable(preflight._reason(exc)))]
    data: dict[str, Any] = dict(response.data) if isinstance(response.data, dict) else {}
    headers = {k.lower(): v for k, v in (response.headers or {}).items()}
    found = [Finding(True, t.token_ok(data.get("team"), data.get("user")))]
    found.append(_scopes(_header(headers, "x-oauth-scopes")))
    found.append(_clock(_header(headers, "date"), now or datetime.now(timezone.utc)))
    found.append(_hr_channel(client, settings))
    return found


def _header(headers: dict[str, Any], name: str) -> str | None:
    value = headers.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value is not None else None


def _scopes(header: str | None) -> Finding:
    t = words()
    if header is None:
        return Finding(False, t.scopes_unknown())
    granted = {s.strip() for s in header.split(",") if s.strip()}
    missing = [s for s in BOT_SCOPES if s not in granted]
    return Finding(
        not missing, t.scopes_missing(missing) if missing else t.scopes_ok(len(BOT_SCOPES))
    )


def _clock(header: str | None, now: datetime) -> Finding:
    t = words()
    if header is None:
        return Finding(False, t.clock_unknown())
    skew = abs((parsedate_to_datetime(header) - now).total_seconds())
    if skew > MAX_SKEW_SECONDS:
        return Finding(False, t.clock_off(round(skew)))
    return Finding(True, t.clock_ok(MAX_SKEW_SECONDS))


def _hr_channel(client: WebClient, settings: Settings) -> Finding:
    t = words()
    channel = settings.hr_channel_id
    if not channel:
        return Finding(False, t.hr_unset())
    try:
        answer = client.conversations_info(channel=channel).data
        info = dict(answer["channel"]) if isinstance(answer, dict) else {}
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error == "channel_not_found":
            return Finding(False, t.hr_missing(channel))
        return Finding(False, t.hr_error(channel, error))
    except OSError as exc:
        return Finding(False, t.hr_error(channel, preflight._reason(exc)))
    name = info.get("name") or channel
    if not info.get("is_private") or info.get("is_im") or info.get("is_mpim"):
        return Finding(False, t.hr_public(channel, name))
    if info.get("is_member") is False:
        return Finding(False, t.hr_not_member(channel, name))
    return Finding(True, t.hr_ok(channel, name))


def _database(settings: Settings) -> Finding:
    from storage.migrate import head_revision

    try:
        preflight.require_migrated(settings)
    except preflight.CannotStart as exc:
        return Finding(False, words().db_problem(str(exc)))
    return Finding(True, words().db_ok(head_revision()))


def _zones(settings: Settings) -> Finding:
    from storage.db import make_engine
    from storage.models import Person

    unknown: list[str] = []
    zones: set[str] = set()
    try:
        engine = make_engine(settings.database_url)
        with engine.connect() as conn:
            zones = {z for z in conn.scalars(select(Person.tz).distinct()) if z}
        engine.dispose()
    except Exception:  # the database finding already says what is wrong with it
        zones = set()
    for zone in sorted(zones | {settings.default_tz, settings.hr_zone}):
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            unknown.append(zone)
    if unknown:
        return Finding(False, words().zones_unknown(unknown))
    return Finding(True, words().zones_ok(settings.default_tz, settings.hr_zone, len(zones)))


def report(findings: list[Finding]) -> tuple[list[str], int]:
    t = words()
    lines = [t.line(f.ok, f.text) for f in findings]
    problems = sum(1 for f in findings if not f.ok)
    lines.append(t.summary(problems))
    return lines, problems


def log_hr_channel(settings: Settings) -> None:
    """At start-up: say once whether the HR channel can take the digest."""
    if not settings.hr_channel_id:
        return
    finding = _hr_channel(preflight.startup_client(settings), settings)
    if finding.ok:
        log.info(finding.text)
    else:
        log.error(finding.text)
