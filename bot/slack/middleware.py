"""One unit of work per Slack request, handed to listeners through Bolt's context.

Bolt's global middleware cannot wrap a listener (its `next()` only marks the chain as
continued), so the app's `dispatch` opens the unit of work around everything: middleware,
listener and error handler. With `process_before_response` the listener runs inside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.clock import Clock
from bot.config import Settings
from bot.slack.gateway import SlackGateway
from storage.unit_of_work import UnitOfWork


class PdpApp(App):
    def __init__(
        self,
        *,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        settings: Settings,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._uow_factory = uow_factory
        self._clock = clock
        self._settings = settings
        self._gateway = SlackGateway(self.client)

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        with self._uow_factory() as uow:
            req.context["uow"] = uow
            req.context["gateway"] = self._gateway
            req.context["now"] = self._clock()
            req.context["settings"] = self._settings
            return super().dispatch(req)
