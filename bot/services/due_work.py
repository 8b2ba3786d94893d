"""The tick: find due work in the database, claim it, send it, record the result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.config import Settings
from bot.slack.gateway import SlackGateway
from storage.unit_of_work import UnitOfWork


@dataclass
class TickReport:
    sent: int = 0
    missed: int = 0
    undeliverable: int = 0
    failed: int = 0

    def summary(self) -> str:
        return (
            f"sent {self.sent}, missed {self.missed}, "
            f"undeliverable {self.undeliverable}, failed {self.failed}"
        )


def run_tick(
    uow_factory: Callable[[], UnitOfWork],
    gateway: SlackGateway,
    now: datetime,
    settings: Settings,
) -> TickReport:
    return TickReport()
