"""Socket Mode: the first connection is checked (one line when it fails), later drops are
the library's to reconnect."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.preflight import CannotStart, startup_client
from prompts import texts

log = logging.getLogger("pdpbot")
# slack_sdk's Socket Mode client logs here; quiet while the first connection is tried, so
# that a failure is the one line CannotStart prints rather than the library's error lines.
LIBRARY_LOG = logging.getLogger("slack_sdk.socket_mode")


def connect(app: App, settings: Settings) -> SocketModeHandler:
    token = settings.slack_app_token
    web = startup_client(settings, token)  # only for apps.connections.open
    handler = SocketModeHandler(app, token, logger=LIBRARY_LOG, web_client=web)
    errors: list[Exception] = []
    handler.client.on_error_listeners.append(errors.append)
    LIBRARY_LOG.disabled = True  # until the library's threads are stopped, or it is connected
    try:
        handler.connect()
        if not handler.client.is_connected():
            raise CannotStart(texts("cli").socket_unreachable(errors[-1] if errors else "-"))
    except SlackApiError as exc:  # apps.connections.open refused the app-level token
        handler.close()
        raise CannotStart(texts("cli").socket_refused(exc.response.get("error"))) from None
    except OSError as exc:  # the Web API that hands out the Socket Mode URL is unreachable
        handler.close()
        reason = getattr(exc, "reason", None) or exc
        raise CannotStart(texts("cli").socket_unreachable(reason)) from None
    except CannotStart:
        handler.close()
        raise
    LIBRARY_LOG.disabled = False
    log.info(texts("cli").socket_connected())
    return handler
