"""Sending claimed rows on several threads at once, each channel at its own pace.

A row is prepared (checked, rendered, its attempt marked: bot/services/outbox/delivery.py) by a
worker; then it waits, in memory and holding no thread, for its channel's next turn
(bot/services/outbox/pacing.py: about one post a second per channel, longer after a 429);
then a worker posts it and records the result. Rows to other channels are prepared and
posted meanwhile, so one busy channel delays only its own rows. A row whose channel is blocked
for longer than `HOLD` goes back to the queue, pending until then, its attempt not counted.
Claims are taken lazily, a batch when the workers run out of work, so a crash strands only
what was claimed and not yet sent (their leases run out and a later tick takes them).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from typing import Protocol

from bot.config import Settings
from bot.services.outbox.delivery import (
    Clock,
    Prepared,
    UowFactory,
    post,
    prepare,
    record_failure,
    release,
)
from bot.services.outbox.pacing import Pacer
from bot.slack.gateway import SlackGateway

log = logging.getLogger("bot.services.due_work")

WORKERS = 8
# Seconds a prepared row may wait, in memory and claimed, for its channel's turn; a later turn
# gives it back to the queue, due then (the tick a minute later takes it).
HOLD = 60.0


class Batch(Protocol):
    """A claim: rows marked as this sender's, with their token (bot/services/due_work.py)."""

    @property
    def token(self) -> str: ...

    @property
    def ids(self) -> list[int]: ...

    @property
    def after(self) -> dict[int, int]: ...


class Counter(Protocol):
    def count(self, outcome: str) -> None: ...


class Dispatcher:
    """One per process: the tick and the sender share its pacer."""

    def __init__(self, pacer: Pacer | None = None, workers: int = WORKERS) -> None:
        self.pacer = pacer or Pacer()
        self.workers = workers

    def run(
        self,
        uow_factory: UowFactory,
        gateway: SlackGateway,
        batches: Iterable[Batch],
        now: datetime,
        settings: Settings,
        clock: Clock,
        report: Counter,
    ) -> None:
        """Send every row of `batches` (asked for one at a time, when there is room)."""
        pacer = self.pacer
        pacer.observe(now)
        paced = gateway.paced(pacer.before_call, pacer.rate_limited)
        todo: deque[tuple[int, str]] = deque()
        waiting: list[tuple[float, int, Prepared]] = []  # (turn, order, row): a heap
        order = itertools.count()
        running: dict[Future[Prepared | str], int] = {}  # the row each worker is on
        unfinished: set[int] = set()  # rows of this run not yet posted or given up
        parked: dict[int, list[tuple[int, str]]] = {}  # parent row -> replies waiting for it
        more = iter(batches)
        exhausted = False
        after: dict[int, int] = {}

        def guarded(
            work: Callable[[], Prepared | str], prompt_id: int, token: str
        ) -> Callable[[], Prepared | str]:
            def run() -> Prepared | str:
                try:
                    return work()
                except Exception as exc:  # a bug or an outage for this row: retry it later
                    log.exception("delivering prompt %s failed", prompt_id)
                    try:
                        reason = f"{type(exc).__name__}: {exc}"
                        return record_failure(
                            uow_factory, prompt_id, token, reason, False, now, settings, clock
                        )
                    except Exception:
                        log.exception("could not record the failure of prompt %s", prompt_id)
                        return "retrying"  # its lease runs out and a later tick takes it

            return run

        with ThreadPoolExecutor(self.workers, thread_name_prefix="pdpbot-send") as pool:
            while True:
                at = pacer.now()
                while waiting and waiting[0][0] <= at and len(running) < self.workers:
                    _, _, ready = heapq.heappop(waiting)
                    may = pacer.ready_at(ready.channel)
                    if may > at:  # the last post there was slow, or a 429: a little later
                        if may - at <= HOLD:
                            heapq.heappush(waiting, (may, next(order), ready))
                            continue
                        until = clock() + timedelta(seconds=may - at)
                        job = _release(uow_factory, ready, until, clock)
                    else:
                        job = _post(uow_factory, pacer, paced, ready, now, settings, clock)
                    running[pool.submit(guarded(job, ready.prompt_id, ready.token))] = (
                        ready.prompt_id
                    )
                while len(running) < self.workers:
                    if not todo and not exhausted:
                        batch = next(more, None)
                        if batch is None:
                            exhausted = True
                        else:
                            todo.extend((prompt_id, batch.token) for prompt_id in batch.ids)
                            unfinished.update(batch.ids)
                            after.update(batch.after)
                    if not todo:
                        break
                    prompt_id, token = todo.popleft()
                    parent = after.get(prompt_id)
                    if parent is not None and parent in unfinished:  # a reply waits for it
                        parked.setdefault(parent, []).append((prompt_id, token))
                        continue
                    job = _prepare(uow_factory, paced, prompt_id, token, now, settings, clock)
                    running[pool.submit(guarded(job, prompt_id, token))] = prompt_id
                if not running:
                    if not waiting and not todo and exhausted:
                        return
                    time.sleep(max(0.0, waiting[0][0] - pacer.now()) if waiting else 0)
                    continue
                timeout = max(0.0, waiting[0][0] - pacer.now()) if waiting else None
                done, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
                for future in done:
                    prompt_id = running.pop(future)
                    result = future.result()
                    if isinstance(result, str):
                        report.count(result)
                        unfinished.discard(prompt_id)
                        todo.extendleft(reversed(parked.pop(prompt_id, [])))
                        continue
                    # prepared, or refused with a 429 (its channel is blocked meanwhile)
                    turn = pacer.reserve_post(result.channel)
                    if turn - pacer.now() <= HOLD:
                        heapq.heappush(waiting, (turn, next(order), result))
                        continue
                    until = clock() + timedelta(seconds=turn - pacer.now())
                    job = _release(uow_factory, result, until, clock)
                    running[pool.submit(guarded(job, result.prompt_id, result.token))] = prompt_id


def _prepare(
    uow_factory: UowFactory,
    gateway: SlackGateway,
    prompt_id: int,
    token: str,
    now: datetime,
    settings: Settings,
    clock: Clock,
) -> Callable[[], Prepared | str]:
    return lambda: prepare(uow_factory, gateway, prompt_id, token, now, settings, clock)


def _post(
    uow_factory: UowFactory,
    pacer: Pacer,
    gateway: SlackGateway,
    ready: Prepared,
    now: datetime,
    settings: Settings,
    clock: Clock,
) -> Callable[[], Prepared | str]:
    def run() -> Prepared | str:
        try:
            return post(uow_factory, gateway, ready, now, settings, clock)
        finally:
            pacer.done_post(ready.channel)

    return run


def _release(
    uow_factory: UowFactory, ready: Prepared, until: datetime, clock: Clock
) -> Callable[[], Prepared | str]:
    limited = ready.retry_after is not None  # Slack answered 429, or its channel is just busy
    reason = "chat.postMessage: ratelimited" if limited else "waiting for its channel's turn"
    return lambda: release(uow_factory, ready, until, clock, reason)
