"""The Slack app manifest, rendered from prompts/manifest.yaml.j2 so its wording is editable."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.slack.listeners import SLASH_COMMANDS
from prompts import render, texts

BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "mpim:write",
    "users:read",
    "users:read.email",
    "im:history",
    "mpim:history",
    "groups:read",
    "files:write",
)
BOT_EVENTS = ("app_home_opened", "user_change")
EVENTS_PATH = "/slack/events"
_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


class BadUrl(ValueError):
    """--url cannot be Slack's request URL; the message is one line saying what to write."""


def request_url(base: str) -> str:
    """The URL Slack posts to for the public address `base`: https only, `/slack/events`
    added once, whatever trailing slashes or `/slack/events` the operator already wrote."""
    text = texts("cli")
    given = base.strip()
    if not given:
        raise BadUrl(text.url_empty())
    if "://" not in given:
        raise BadUrl(text.url_no_scheme(given))
    parts = urlsplit(given)
    if parts.scheme.lower() != "https":
        raise BadUrl(text.url_not_https(given, f"https://{parts.netloc}{parts.path}".rstrip("/")))
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise BadUrl(text.url_extra(given))
    host = parts.hostname or ""
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a port that is not a number
        raise BadUrl(text.url_no_host(given)) from None
    if not host or not all(_LABEL.match(label) for label in host.split(".")):
        raise BadUrl(text.url_no_host(given))
    path = parts.path.rstrip("/")
    while path.endswith(EVENTS_PATH):
        path = path.removesuffix(EVENTS_PATH).rstrip("/")
    return f"https://{host}{port}{path}{EVENTS_PATH}"


def manifest(url: str | None = None) -> dict[str, Any]:
    text = render(
        "manifest.yaml",
        request_url=request_url(url) if url is not None else None,
        commands=SLASH_COMMANDS,
        scopes=BOT_SCOPES,
        events=BOT_EVENTS,
    )
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def manifest_yaml(url: str | None = None) -> str:
    return yaml.safe_dump(manifest(url), sort_keys=False, allow_unicode=True)
