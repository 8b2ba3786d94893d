"""The Slack app manifest, rendered from prompts/manifest.yaml.j2 so its wording is editable."""

from __future__ import annotations

from typing import Any

import yaml

from bot.slack.listeners import SLASH_COMMANDS
from prompts import render

BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "mpim:write",
    "users:read",
    "im:history",
    "mpim:history",
)
BOT_EVENTS = ("app_home_opened", "user_change")


def manifest(url: str | None = None) -> dict[str, Any]:
    request_url = f"{url.rstrip('/')}/slack/events" if url else None
    text = render(
        "manifest.yaml",
        request_url=request_url,
        commands=SLASH_COMMANDS,
        scopes=BOT_SCOPES,
        events=BOT_EVENTS,
    )
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def manifest_yaml(url: str | None = None) -> str:
    return yaml.safe_dump(manifest(url), sort_keys=False, allow_unicode=True)
