"""Build the Bolt app and the WSGI application around it; nothing else."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.services.outbox.sender import Sender
from bot.slack import errors, listeners
from bot.slack.gate import guard
from bot.slack.middleware import PdpApp
from storage.db import make_session_factory
from storage.health import HealthCheck
from storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment


def create_app(
    settings: Settings,
    client: WebClient,
    engine: Engine,
    clock: Clock = system_clock,
    sender: Sender | None = None,
) -> PdpApp:
    """`sender` sends what a request adds to the outbox once it commits; without one, the
    tick does."""
    session_factory = make_session_factory(engine)
    app = PdpApp(
        uow_factory=lambda: UnitOfWork(session_factory, sender.wake if sender else None),
        clock=clock,
        settings=settings,
        settle=sender.wait_idle if sender is not None else None,
        signing_secret=settings.slack_signing_secret,
        client=client,
        token_verification_enabled=False,
        # Listeners finish before Slack gets its answer: one transaction per request,
        # and modal validation errors come back in the same response.
        process_before_response=True,
    )
    errors.register(app)
    listeners.register(app)
    return app


WsgiApp = Callable[["WSGIEnvironment", "StartResponse"], Iterable[bytes]]


def create_wsgi(app: App, engine: Engine) -> WsgiApp:
    slack = guard(SlackRequestHandler(app, path="/slack/events"), _signing_secret(app))
    health = HealthCheck(engine)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            found = health()
            status = "200 OK" if found.ok else "503 Service Unavailable"
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [f"{found.detail}\n".encode()]
        return slack(environ, start_response)

    return application


def _signing_secret(app: App | None) -> str | None:
    return getattr(app, "_signing_secret", None) if app is not None else None
