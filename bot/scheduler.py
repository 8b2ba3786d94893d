"""APScheduler runs one short tick a minute; the database holds every piece of due work."""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)


def start_ticking(tick: Callable[[], object], seconds: int = 60) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        tick,
        "interval",
        seconds=seconds,
        id="pdpbot-tick",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=seconds,
    )
    scheduler.start()
    log.info("tick scheduled every %s seconds", seconds)
    return scheduler
