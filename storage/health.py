"""Whether the database can serve requests: it answers, in time, at this release's schema.

`GET /healthz` asks this: a database that is unreachable, does not answer within
HEALTH_TIMEOUT, has no schema, or has one older than this release's migrations (`pdpbot
migrate` not run) is unhealthy, and every request would fail. A schema newer than this release
(the next release migrated first, during a deploy) is healthy: migrations only add."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

HEALTH_TIMEOUT = 2.0  # seconds


@dataclass(frozen=True)
class Health:
    ok: bool
    detail: str  # one line for the operator: "ok", or what is wrong


class HealthCheck:
    def __init__(self, engine: Engine, timeout: float = HEALTH_TIMEOUT) -> None:
        from alembic.script import ScriptDirectory

        from storage.migrate import MIGRATIONS

        scripts = ScriptDirectory(str(MIGRATIONS))
        self._engine = engine
        self._timeout = timeout
        self._head = scripts.get_current_head()
        self._ours = {script.revision for script in scripts.walk_revisions()}
        # Two threads: a database that hangs holds at most two, and later checks time out.
        self._workers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pdpbot-health")

    def __call__(self) -> Health:
        try:
            return self._workers.submit(self._check).result(timeout=self._timeout)
        except FutureTimeout:
            return Health(False, f"the database did not answer within {self._timeout:g} s")

    def _check(self) -> Health:
        try:
            with self._engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                try:
                    with conn.begin_nested():
                        found = conn.execute(text("SELECT version_num FROM alembic_version"))
                        revisions = set(found.scalars())
                except SQLAlchemyError:
                    return Health(False, "the database has no schema: run pdpbot migrate")
        except SQLAlchemyError as exc:
            return Health(
                False, f"database unreachable ({type(getattr(exc, 'orig', None) or exc).__name__})"
            )
        if self._head in revisions:
            return Health(True, "ok")
        if not revisions:
            return Health(False, "the database has no schema: run pdpbot migrate")
        if revisions <= self._ours:
            at = ", ".join(sorted(revisions))
            return Health(False, f"the schema is at {at}, behind {self._head}: run pdpbot migrate")
        return Health(True, "ok (the schema is newer than this release)")
