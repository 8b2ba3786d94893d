"""One unit of work per Slack request, handed to listeners through Bolt's context.

No Slack call is made while the request's transaction is open: the request's gateway commits
what was read and written before each call (`SlackGateway.for_request`). A request that only
reads takes no write lock (on SQLite a transaction takes it at its first write: storage/db.py).

Bolt's global middleware cannot wrap a listener (its `next()` only marks the chain as
continued), so the app's `dispatch` opens the unit of work around everything: middleware,
listener and error handler. With `process_before_response` the listener runs inside it.
Messages to other people go to the outbox in the request's transaction and are sent once it
commits (bot/services/outbox). Edits of the bot's own messages that can wait (`Ctx.after_response`)
run on a small worker once Slack has its answer; they touch no database."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.clock import Clock
from bot.config import Settings
from bot.services.common import Later
from bot.slack import errors
from bot.slack.gateway import SlackGateway
from storage.db import database_unavailable
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class PdpApp(App):
    def __init__(
        self,
        *,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        settings: Settings,
        settle: Callable[[float], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._uow_factory = uow_factory
        self._clock = clock
        self._settings = settings
        self._settle = settle
        self._gateway = SlackGateway(self.client)
        self._worker = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pdpbot-after")
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        later: list[Later] = []
        try:
            with self._uow_factory() as uow:
                req.context["uow"] = uow
                # Reads and writes, commit, then Slack: the transaction ends before any Slack
                # call.
                req.context["gateway"] = self._gateway.for_request(
                    lambda _method: uow.end_transaction()
                )
                req.context["now"] = self._clock()
                req.context["settings"] = self._settings
                req.context["later"] = later
                response = super().dispatch(req)
                if response.status == 404:  # no listener for it: acknowledged all the same
                    response = errors.unmatched(req.body, req.context)
        except Exception as error:  # outside Bolt's error handler: the database at the door
            if not database_unavailable(error):
                raise
            return errors.response_for(error, req.body)
        for job in later:
            self._start(job)
        return response

    def _start(self, job: Later) -> None:
        future = self._worker.submit(self._run, job)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def _run(self, job: Later) -> None:
        try:
            job(self._gateway)
        except Exception:  # the person's change is saved; this only mirrors it in Slack
            log.exception("work after the response failed")

    def wait_for_background(self, timeout: float = 30) -> None:
        """Tests and the demo read what was sent; production never waits."""
        with self._lock:
            pending = list(self._pending)
        wait(pending, timeout=timeout)
        if self._settle is not None:
            self._settle(timeout)
