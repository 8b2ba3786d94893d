"""RETENTION_DAYS applied by the tick: once a day per process, whatever closed more than that
many days ago is anonymised as `pdpbot purge` does. Idempotent: anonymised records are
marked, so several instances doing it on the same day change nothing twice."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

from bot.config import Settings
from bot.domain.cadence import local_date
from bot.services.purge import PurgeReport, purge
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class Retention:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], settings: Settings) -> None:
        self._uow_factory = uow_factory
        self._settings = settings
        self._done_on: date | None = None

    def apply(self, now: datetime) -> PurgeReport | None:
        days = self._settings.retention_days
        today = local_date(now, self._settings.hr_zone)
        if days is None or self._done_on == today:
            return None
        with self._uow_factory() as uow:
            uow.write_first()
            report = purge(uow, today - timedelta(days=days), now)
        self._done_on = today
        if report.plans or report.concerns or report.pips or report.people:
            log.info("retention (%d days) anonymised %s", days, report.as_dict())
        return report
