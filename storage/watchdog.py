"""A client-side deadline for PostgreSQL round trips.

The server's statement_timeout cannot end a statement when the server itself is not answering
(stopped, or a proxy or network that holds the connection open and forwards nothing), and libpq
has no read timeout: the call would wait for ever, holding a request, App Home or the tick. The
watchdog notes when each round trip (statement, commit, rollback, ping) starts; one still
unanswered after `limit` seconds has its socket shut down, so the driver raises at once and
SQLAlchemy discards the connection. Healthy round trips cost a dictionary insert and delete."""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Engine

log = logging.getLogger(__name__)

# The dialect methods that wait for the server: (name, index of the argument holding the
# DB-API cursor or connection).
ROUND_TRIPS = (
    ("do_execute", 0),
    ("do_executemany", 0),
    ("do_execute_no_params", 0),
    ("do_commit", 0),
    ("do_rollback", 0),
    ("do_ping", 0),
)


class Watchdog:
    def __init__(self, limit: float) -> None:
        self.limit = limit
        self._watched: dict[int, tuple[float, int]] = {}  # ticket: (deadline, socket fd)
        self._tickets = itertools.count()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.broken = 0  # connections broken so far

    def guard(self, engine: Engine) -> None:
        """Watch every round trip `engine`'s dialect makes."""
        dialect = engine.dialect
        for name, position in ROUND_TRIPS:
            original = getattr(dialect, name)
            setattr(dialect, name, self._watching(original, position))

    def _watching(self, call: Callable[..., Any], position: int) -> Callable[..., Any]:
        @functools.wraps(call)
        def watched(*args: Any, **kwargs: Any) -> Any:
            with self.watch(_fileno(args[position])):
                return call(*args, **kwargs)

        return watched

    @contextlib.contextmanager
    def watch(self, fd: int | None) -> Iterator[None]:
        if fd is None or fd < 0:
            yield
            return
        ticket = next(self._tickets)
        with self._lock:
            self._watched[ticket] = (time.monotonic() + self.limit, fd)
            self._start()
        try:
            yield
        finally:
            with self._lock:
                self._watched.pop(ticket, None)

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, daemon=True, name="pg-watchdog")
            self._thread.start()

    def _run(self) -> None:
        while True:
            time.sleep(min(1.0, self.limit / 4))
            now = time.monotonic()
            with self._lock:  # held while breaking: the watched call cannot close its fd meanwhile
                late = [t for t, (deadline, _) in self._watched.items() if deadline <= now]
                for ticket in late:
                    _, fd = self._watched.pop(ticket)
                    _shut_down(fd)
                    self.broken += 1
            if late:
                log.warning(
                    "the database did not answer within %g s: %d connection(s) dropped",
                    self.limit,
                    len(late),
                )


def _fileno(handle: Any) -> int | None:
    """The socket of a DB-API connection, of the pool's proxy for one, or of a cursor's."""
    if hasattr(handle, "dbapi_connection"):
        handle = handle.dbapi_connection
    elif not hasattr(handle, "fileno"):
        handle = getattr(handle, "connection", None)
    try:
        return int(handle.fileno())
    except Exception:  # closed, or a driver without a socket
        return None


def _shut_down(fd: int) -> None:
    """Shut the socket down (both ways) without closing the driver's descriptor."""
    with contextlib.suppress(OSError):
        duplicate = socket.socket(fileno=os.dup(fd))
        try:
            duplicate.shutdown(socket.SHUT_RDWR)
        finally:
            duplicate.close()
