"""Posting HR's digest on its day: the tick asks every minute; the first tick at or after the
configured hour composes it, keeps it (`hr_digest`, one per team and day) and enqueues its
messages in the same transaction. A second instance finds the day's digest (or loses the race
on its unique key) and does nothing, so HR gets it once. The outbox sends it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.config import Settings
from bot.services import hr_channel, hr_digest
from bot.services.outbox.kinds.hr import DIGEST, PART
from bot.services.outbox.queue import enqueue
from bot.slack.gateway import SlackGateway
from bot.slack.views.hr_digest import pages
from storage.hr_models import HrDigest
from storage.models import Person
from storage.unit_of_work import UnitOfWork

log = logging.getLogger("pdpbot.hr")


class DigestPoster:
    def __init__(
        self, uow_factory: Callable[[], UnitOfWork], gateway: SlackGateway, settings: Settings
    ) -> None:
        self._uow_factory = uow_factory
        self._gateway = gateway
        self._settings = settings
        self._told: dict[str, date] = {}  # problems already logged today, by kind
        self._done_on: date | None = None  # every team's digest of that day exists

    def post_if_due(self, now: datetime) -> list[int]:
        """The ids of the digests composed now (none when not due or already done)."""
        settings = self._settings
        day = hr_digest.due_on(now, settings)
        if day is None or not settings.hr_channel_id or day == self._done_on:
            return []
        with self._uow_factory() as uow:
            teams = set(uow.session.scalars(select(Person.team_id).distinct()))
            done = set(uow.session.scalars(select(HrDigest.team_id).where(HrDigest.on == day)))
        waiting = sorted(teams - done)
        if not waiting:
            self._done_on = day
            return []
        channel = hr_channel.look(self._gateway, settings, now)
        if channel.state == "unreachable":
            self._tell_once("unreachable", day, channel)
            return []
        if channel.state == "not_private":
            self._tell_once("not_private", day, channel)
        return [d for team in waiting if (d := self._compose(team, day, channel, now))]

    def _compose(
        self, team: str, day: date, channel: hr_channel.HrChannel, now: datetime
    ) -> int | None:
        settings = self._settings
        with self._uow_factory() as uow:
            uow.write_first()
            private = channel.usable
            digest = hr_digest.compose(uow, team, now, settings) if private else None
            if digest is None:
                form = "not_private"
            elif digest.empty:
                form = "skipped" if settings.hr_digest_when_empty == "skip" else "empty"
            else:
                form = "digest"
            row = HrDigest(
                team_id=team,
                on=day,
                channel=channel.channel_id,
                form=form,
                items=hr_digest.snapshot(digest) if digest else [],
                created_at=now,
            )
            try:
                with uow.session.begin_nested():
                    uow.session.add(row)
            except IntegrityError:  # another instance composed it a moment ago
                return None
            if form != "skipped":
                self._enqueue(uow, row, now)
            uow.commit()
            return row.id

    def _enqueue(self, uow: UnitOfWork, row: HrDigest, now: datetime) -> None:
        key = f"hr_digest:{row.team_id}:{row.on.isoformat()}"
        top = enqueue(
            uow,
            DIGEST,
            key=key,
            team_id=row.team_id,
            now=now,
            settings=self._settings,
            channel=row.channel,
            subject=("hr_digest", row.id),
        )
        if row.form != "digest":
            return
        for number in range(1, len(pages(hr_digest.restore(row))) + 1):
            enqueue(
                uow,
                PART,
                key=f"{key}:part:{number}",
                team_id=row.team_id,
                now=now,
                settings=self._settings,
                parent=top,
                subject=("hr_digest", row.id),
                due_at=now + timedelta(microseconds=number),  # replies in order
                args={"part": number},
            )

    def _tell_once(self, problem: str, day: date, channel: hr_channel.HrChannel) -> None:
        if self._told.get(problem) == day:
            return
        self._told[problem] = day
        if problem == "not_private":
            log.error(
                "the HR channel %s is not private: the digest of %s names nobody; "
                "pdpbot posts one line there saying why (use a private channel for HR)",
                channel.channel_id,
                day,
            )
        else:
            log.error(
                "the HR channel %s cannot be reached (%s): no HR digest for %s; "
                "invite pdpbot to it (/invite @pdpbot) and run `pdpbot doctor`",
                channel.channel_id,
                channel.error,
                day,
            )
