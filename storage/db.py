from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **kwargs: Any) -> Engine:
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
    _configure_sqlite(engine)
    return engine


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
        cursor.execute("PRAGMA busy_timeout=30000")
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


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def ping(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return False
    return True
