"""HR's buttons: *Nudge the manager* on an item of the digest; the exports of App Home's HR
overview (calibration CSV, subject-access JSON, a PIP's formal record), each uploaded to the HR
member's DM."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.services import hr_exports, hr_nudge
from bot.services.common import edit_later
from bot.slack.ids import Action, Callback
from bot.slack.listeners.context import actor, ctx_of
from bot.slack.payloads import NudgeButton, decode, state_values
from bot.slack.views.done import build_done_view
from bot.slack.views.hr_home import (
    PERSON_BLOCK,
    ExportCalibration,
    ExportPip,
    person_export_modal,
)

CALIBRATION_ACTIONS = re.compile(rf"^{Action.HR_EXPORT_CALIBRATION}_\d+$")


def register(app: App) -> None:
    app.action(Action.HR_NUDGE)(nudge_manager)
    app.action(CALIBRATION_ACTIONS)(export_calibration)
    app.action(Action.HR_OPEN_PERSON_EXPORT)(open_person_export)
    app.view(Callback.HR_PERSON_EXPORT)(export_person)
    app.action(Action.HR_EXPORT_PIP)(export_pip)


def nudge_manager(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    person = actor(ctx, body)
    action = (body.get("actions") or [{}])[0]
    button = decode(NudgeButton, action.get("value"))
    hr_nudge.nudge(ctx, person, button.digest_id, button.key)
    ctx.uow.commit()
    channel = str((body.get("channel") or {}).get("id") or "")
    ts = str((body.get("message") or {}).get("ts") or "")
    message = hr_nudge.redrawn_part(ctx, channel, ts) if channel and ts else None
    if message is not None:  # the nudge is recorded; the next digest shows it anyway
        edit_later(ctx, channel, ts, message.text, message.blocks)


def export_calibration(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    person = actor(ctx, body)
    period = decode(ExportCalibration, body["actions"][0].get("value")).period
    hr_exports.send_later(ctx, person, hr_exports.calibration_file(ctx, person, period))


def open_person_export(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    hr_exports.require_hr(ctx, actor(ctx, body))
    ctx.gateway.open_view(body["trigger_id"], person_export_modal())


def export_person(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ctx = ctx_of(context)
    person = actor(ctx, body)
    chosen = state_values(body.get("view") or {}).get(PERSON_BLOCK)
    export = hr_exports.person_file(ctx, person, str(chosen or ""))
    ack(response_action="update", view=build_done_view(hr_exports.words().on_its_way()))
    ctx.uow.commit()
    hr_exports.send_later(ctx, person, export)


def export_pip(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    person = actor(ctx, body)
    pip_id = decode(ExportPip, body["actions"][0].get("value")).pip_id
    export = hr_exports.pip_file(ctx, person, pip_id)
    ctx.uow.commit()
    hr_exports.send_later(ctx, person, export)
