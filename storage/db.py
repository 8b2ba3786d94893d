from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from storage.watchdog import Watchdog

# PostgreSQL: no request, tick or health check waits for ever on a server that is gone, slow or
# that accepts connections and never answers (issue 9, fault 11).
PG_CONNECT_TIMEOUT = 5  # seconds to connect (libpq connect_timeout: the whole start-up)
PG_STATEMENT_TIMEOUT_MS = 15_000  # the server cancels a statement running longer
PG_LOCK_TIMEOUT_MS = 10_000  # or waiting longer for a row or table lock
PG_IDLE_IN_TRANSACTION_MS = 60_000  # and ends a session left idle inside a transaction
PG_TCP_USER_TIMEOUT_MS = 20_000  # the kernel gives up on data the server never acknowledges
# A statement the server has not answered after this long has its connection broken by us:
# the server's own timeout cannot help when the server (or the network to it) is not there.
PG_UNANSWERED_AFTER = 20.0
# SQLite: how long a connection waits for the write lock before "database is locked".
SQLITE_BUSY_TIMEOUT_S = 30


def make_engine(url: str, *, statement_timeout: bool = True, **kwargs: Any) -> Engine:
    """An engine for `url`. On PostgreSQL with connect, statement, lock and read timeouts
    (`statement_timeout=False` for migrations, whose statements may run long); on SQLite with
    WAL, foreign keys and a busy timeout."""
    if make_url(url).get_backend_name() != "sqlite":
        engine = create_engine(
            url, pool_pre_ping=True, connect_args=_pg_connect_args(statement_timeout), **kwargs
        )
        if statement_timeout:
            Watchdog(PG_UNANSWERED_AFTER).guard(engine)
        return engine
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S},
        **kwargs,
    )
    _configure_sqlite(engine)
    return engine


def _pg_connect_args(statement_timeout: bool) -> dict[str, Any]:
    options = [f"-c lock_timeout={PG_LOCK_TIMEOUT_MS}"]
    if statement_timeout:
        options += [
            f"-c statement_timeout={PG_STATEMENT_TIMEOUT_MS}",
            f"-c idle_in_transaction_session_timeout={PG_IDLE_IN_TRANSACTION_MS}",
        ]
    return {
        "connect_timeout": PG_CONNECT_TIMEOUT,
        "options": " ".join(options),
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": PG_TCP_USER_TIMEOUT_MS,
    }


# Every pooled SQLite connection keeps its own page cache (2 MB by default). `serve` holds about
# ten (waitress threads, the after-response worker, the tick), and each cache fills slowly as
# requests touch different plans: at 10,000 plans resident memory climbed run after run
# (83 -> 108 -> 113 -> 117 MB). 512 KiB each bounds that to a few MB; the OS caches the file
# anyway, and the benchmarks showed no slower request (python -m bench, README "Performance").
SQLITE_CACHE_KIB = 512


# Statements that write: the first one in a transaction begun as a read takes the write lock.
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "CREATE", "DROP", "ALTER")


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout and a small page cache; transactions begun by us.

    SQLite has one writer. A transaction begins as a read (`BEGIN`), holding no lock, so
    requests that only read never queue behind each other or behind a writer. At its first
    write it takes the write lock: a read transaction cannot be upgraded in place once another
    connection has committed (SQLITE_BUSY_SNAPSHOT, "database is locked" at once, no waiting),
    so its reads end there (`COMMIT`) and `BEGIN IMMEDIATE` waits its turn for the lock; from
    then on it sees every committed write, as PostgreSQL's READ COMMITTED does. The version
    columns (Plan, Prompt) refuse an update based on a stale read, on both databases. Work that
    must decide under the lock from what it reads asks for `BEGIN IMMEDIATE` up front
    (`UnitOfWork.write_first`)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        conn.info["sqlite_writing"] = immediate

    @event.listens_for(engine, "before_cursor_execute")
    def _before_write(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if conn.info.get("sqlite_writing", True) or not conn.in_transaction():
            return
        if not statement.lstrip()[:9].upper().startswith(_WRITES):
            return
        conn.info["sqlite_writing"] = True
        dbapi = conn.connection.dbapi_connection
        dbapi.execute("COMMIT")  # the reads so far: nothing written yet
        dbapi.execute("BEGIN IMMEDIATE")


def database_unavailable(error: BaseException) -> bool:
    """The database could not serve the work: unreachable, not answering in time, restarting,
    or (SQLite) its write lock not free in time. The transaction was rolled back, so nothing of
    it was saved, and the same work later succeeds."""
    if isinstance(error, (PoolTimeout, OperationalError, InterfaceError)):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
