"""APScheduler runs one short tick a minute; the database holds every piece of due work."""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)


def start_ticking(tick: Callable[[], object], seconds: float = 60) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        tick,
        "interval",
        seconds=seconds,
        id="pdpbot-tick",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=max(1, round(seconds)),
    )
    scheduler.start()
    log.info("tick scheduled every %g seconds", seconds)
    return scheduler
