"""A cycle's messages: the week-1 prompt in the pair's DM (not sent once the engineer has a
plan for the quarter, or has left), each manager's list of their reports' draft status
(rendered as it stands when sent), and HR's list of reports whose manager has left."""

from __future__ import annotations

from datetime import datetime

from bot.config import Settings
from bot.domain.calibration import parse_period
from bot.domain.cycles import in_scope, stage_of
from bot.services.cycles import MANAGER_LEFT, MANAGER_STATUS, WEEK_ONE, plans_for
from bot.services.health_chart import CHART
from bot.services.outbox.registry import Close, Decision, Kind, Rendered, register
from bot.slack.views import roster as views
from storage.models import Person, Prompt
from storage.unit_of_work import UnitOfWork


def _quarter(prompt: Prompt) -> str:
    return str((prompt.args or {}).get("quarter", ""))


def _pair(prompt: Prompt) -> list[Person]:
    engineer = prompt.recipient
    if engineer is None or engineer.manager is None:
        return []
    return [engineer, engineer.manager]


def _no_plan_yet(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Decision | None:
    engineer = prompt.recipient
    if engineer is None or engineer.manager is None or not engineer.on_roster:
        return Close("cancelled", "no longer on the roster with a manager")
    start, end = parse_period(_quarter(prompt))
    if plans_for(uow, [engineer], start, end):
        return Close("cancelled", "a plan for the quarter exists already")
    return None


def _week_one(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    engineer = prompt.recipient
    assert engineer is not None and engineer.manager is not None
    start, end = parse_period(_quarter(prompt))
    return views.cycle_week_one(engineer, engineer.manager, start, end)


def _status(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    manager = prompt.recipient
    assert manager is not None
    start, end = parse_period(_quarter(prompt))
    scope = str((prompt.args or {}).get("scope", ""))
    reports = [
        r
        for r in uow.people.reports_of(manager)
        if r.on_roster and not r.deleted and in_scope(r.team_name, scope)
    ]
    plans = plans_for(uow, reports, start, end)
    lines = [
        views.ReportStage(
            r.slack_user_id,
            stage_of(plans[r.id].status if r.id in plans else None),
            plans[r.id].status if r.id in plans else None,
        )
        for r in reports
    ]
    return views.cycle_manager_status(_quarter(prompt), start, end, lines)


def _left(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    args = prompt.args or {}
    return views.cycle_manager_left(_quarter(prompt), list(args.get("people") or []))


register(
    Kind(
        WEEK_ONE,
        to="pair",
        render=_week_one,
        working_hours=True,
        people=_pair,
        check=_no_plan_yet,
    )
)
register(Kind(MANAGER_STATUS, to="dm", render=_status, working_hours=True))
register(Kind(MANAGER_LEFT, to="channel", render=_left))


def _chart(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    """Never sent by the outbox: the chart is uploaded by bot/services/health_chart.py, which
    records it in this row (status "uploading", then "sent")."""
    return views.chart_note()


register(Kind(CHART, to="thread", render=_chart))
