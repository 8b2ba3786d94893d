"""Sends what a request has just enqueued, moments after it committed, in the background:
the person acting is not kept waiting for Slack, and the minute tick sends whatever this
misses (the process died, Slack failed)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime

from bot.config import Settings
from bot.services.due_work import UowFactory, send_now
from bot.services.outbox.dispatch import Dispatcher
from bot.services.outbox.pacing import Pacer
from bot.slack.gateway import SlackGateway

log = logging.getLogger(__name__)


class Sender:
    def __init__(
        self,
        uow_factory: UowFactory,
        gateway: SlackGateway,
        settings: Settings,
        clock: Callable[[], datetime],
        dispatcher: Dispatcher | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._gateway = gateway
        self._settings = settings
        self._clock = clock
        self.dispatcher = dispatcher or Dispatcher(Pacer(app_clock=clock))
        # One wake after another, in the order their rows were committed (a reply after the
        # message it answers); each sends its rows on the dispatcher's workers.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdpbot-sender")
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    def wake(self, ids: list[int]) -> None:
        """Rows `ids` were committed to the outbox: send those that are due."""
        future = self._executor.submit(self._send, ids)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def _send(self, ids: list[int]) -> None:
        try:
            send_now(
                self._uow_factory,
                self._gateway,
                ids,
                self._clock(),
                self._settings,
                self.dispatcher,
            )
        except Exception:  # the rows stay due: the next tick sends them
            log.exception("sending %d enqueued message(s) failed; the tick will retry", len(ids))

    def wait_idle(self, timeout: float = 30) -> None:
        """Tests and the demo read what was sent; production never waits."""
        with self._lock:
            pending = list(self._pending)
        wait(pending, timeout=timeout)
