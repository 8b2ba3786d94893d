"""Each team's on-time review rate per quarter as a PNG (matplotlib, Agg backend: no display),
and its upload into the thread of HR's digest (files_upload_v2) with the quarter's figures."""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.config import Settings
from bot.domain.cadence import local_date
from bot.services import cycles, health
from bot.slack.gateway import SlackFailure, SlackGateway
from prompts import texts
from storage.hr_models import HrDigest
from storage.models import Prompt
from storage.unit_of_work import UnitOfWork

log = logging.getLogger("pdpbot.hr")

CHART = "health_chart"
WIDTH, HEIGHT, DPI = 8, 4.5, 100  # inches and dots per inch: an 800 x 450 PNG
QUARTERS = 4


def render_png(trend: dict[str, dict[str, int | None]], quarters: Sequence[str]) -> bytes:
    """One line per team: its on-time review rate (percent) in each quarter; a quarter with
    nothing due is a gap. 800 x 450 pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    words = texts("roster/chart")
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(quarters)))
    for team, values in trend.items():
        points = [values.get(q) for q in quarters]
        ys = [math.nan if p is None else p for p in points]
        axes.plot(positions, ys, marker="o", label=team)
    axes.set_xticks(positions, list(quarters))
    axes.set_xlim(-0.5, len(quarters) - 0.5)
    axes.set_ylim(0, 105)
    axes.set_ylabel(words.y_label())
    axes.set_title(words.title())
    axes.grid(True, alpha=0.3)
    if trend:
        axes.legend(loc="lower left", fontsize="small")
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


class ChartPoster:
    """After HR's digest is posted, the tick uploads the chart into its thread, once per digest
    (a `prompt` row keyed by the digest records it: status "uploading", then "sent"), for a
    workspace with a roster (its teams are the roster's)."""

    def __init__(
        self, uow_factory: Callable[[], UnitOfWork], gateway: SlackGateway, settings: Settings
    ) -> None:
        self._uow_factory = uow_factory
        self._gateway = gateway
        self._settings = settings

    def post_pending(self, now: datetime) -> list[str]:
        """The keys of the charts uploaded now."""
        done = []
        with self._uow_factory() as uow:
            digests = uow.session.scalars(
                select(HrDigest).where(HrDigest.form == "digest", HrDigest.on >= _recent(now))
            ).all()
            waiting = [(d.team_id, d.on.isoformat()) for d in digests]
        for team_id, on in waiting:
            key = f"hr_digest:{team_id}:{on}"
            if self._post(key, team_id, now):
                done.append(key)
        return done

    def _post(self, key: str, team_id: str, now: datetime) -> bool:
        settings = self._settings
        with self._uow_factory() as uow:
            uow.write_first()
            top = uow.session.scalar(select(Prompt).where(Prompt.key == key))
            if top is None or top.status != "sent" or not top.ts or not top.channel:
                return False
            if uow.session.scalar(select(Prompt.id).where(Prompt.key == f"{key}:chart")):
                return False
            if not cycles.roster_people(uow, team_id):
                return False  # teams come from the roster: without one there is no chart
            row = Prompt(
                team_id=team_id,
                key=f"{key}:chart",
                kind=CHART,
                occurrence=1,
                planned_on=local_date(now, settings.hr_zone),
                due_at=now,
                status="uploading",
                attempts=1,
                channel=top.channel,
                parent=top,
                created_at=now,
                attempt_started_at=now,
            )
            try:
                with uow.session.begin_nested():
                    uow.session.add(row)
            except IntegrityError:
                return False  # another instance is uploading it
            today = local_date(now, settings.hr_zone)
            label, figures = health.quarter_health(uow, team_id, today, settings)
            trend = health.review_trend(uow, team_id, today, settings, QUARTERS)
            quarters = [q for q, _, _ in health.recent_quarters(today, QUARTERS)]
            completion = cycles.team_completion(uow, team_id, label)
            channel, thread = top.channel, top.ts
            uow.commit()
            row_id = row.id
        comment = texts("roster/chart").comment(label, figures, completion)
        try:
            png = render_png(trend, quarters)
            self._gateway.upload_to_thread(
                channel, thread, f"cadence-health-{label}.png", png, comment
            )
        except SlackFailure as exc:
            log.warning("could not upload the cadence health chart for %s: %s", key, exc.error)
            self._finish(row_id, "failed", exc.error, now)
            return False
        self._finish(row_id, "sent", None, now)
        return True

    def _finish(self, row_id: int, status: str, error: str | None, now: datetime) -> None:
        with self._uow_factory() as uow:
            uow.write_first()
            row = uow.session.get(Prompt, row_id)
            if row is not None:
                row.status, row.error = status, error
                row.sent_at = now if status == "sent" else None
                uow.commit()


def _recent(now: datetime) -> date:
    """Digests of the last two days: a chart is for the digest it answers, not old ones."""
    return (now - timedelta(days=2)).date()
