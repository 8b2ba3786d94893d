from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext

from bot.clock import Clock
from bot.config import Settings
from bot.slack.gateway import SlackGateway
from storage.unit_of_work import UnitOfWork


def register(
    app: App, uow_factory: Callable[[], UnitOfWork], clock: Clock, settings: Settings
) -> None:
    gateway = SlackGateway(app.client)

    @app.middleware
    def open_unit_of_work(context: BoltContext, next: Callable[[], Any]) -> None:
        """One database transaction per Slack request, handed to listeners as `uow`."""
        with uow_factory() as uow:
            context["uow"] = uow
            context["gateway"] = gateway
            context["now"] = clock()
            context["settings"] = settings
            next()
