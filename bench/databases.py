"""Fresh, migrated databases for one benchmark: a temp SQLite file, or a PostgreSQL database of
its own on TEST_DATABASE_URL's server, created here and dropped at the end."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from storage.migrate import upgrade


def backends() -> list[str]:
    return ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@contextmanager
def fresh_database(backend: str, label: str) -> Iterator[str]:
    """The URL of a new, migrated, empty database."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="pdpbot-bench-") as folder:
            url = f"sqlite:///{Path(folder) / f'{label}.db'}"
            upgrade(url)
            yield url
        return
    base = os.environ["TEST_DATABASE_URL"]
    name = f"pdpbot_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(base).set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def analyze(engine: Engine) -> None:
    """What autovacuum does for a live PostgreSQL database after a bulk load."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))


def version(engine: Engine) -> str:
    if engine.dialect.name == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with engine.connect() as conn:
        return f"PostgreSQL {conn.scalar(text('SHOW server_version'))}"
