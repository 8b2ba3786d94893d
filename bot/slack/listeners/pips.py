"""/pip @engineer and every PIP button and modal. Each asks the policy through
bot/services/pips.load_pip (or the checks before a PIP exists); a refusal reads the same
whether or not a PIP exists."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.domain.errors import DomainError
from bot.domain.goals import Finding
from bot.domain.policy import Act
from bot.services import pip_running as running
from bot.services import pips
from bot.services.common import Ctx, today_for
from bot.slack.gateway import SlackFailure, SlackGateway
from bot.slack.ids import Action, Callback
from bot.slack.listeners.context import actor, ctx_of
from bot.slack.payloads import date_of, decode, state_values, text_of
from bot.slack.views import pip as views
from bot.slack.views import pip_messages as messages
from bot.slack.views.messages import Message
from bot.slack.views.pip_refs import CheckpointMeta, PipRef, PlanMeta, PreconditionsMeta
from prompts import render, texts

log = logging.getLogger(__name__)
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
AGREE = re.compile(rf"^{Action.PIP_AGREE}_\d+$")
COMMENT = re.compile(rf"^{Action.PIP_COMMENT}_\d+$")


def register(app: App) -> None:
    app.command("/pip")(pip_command)
    app.view(Callback.PIP_PRECONDITIONS)(submit_preconditions)
    app.action(Action.PIP_HR_ACKNOWLEDGE)(hr_acknowledge)
    app.action(Action.PIP_HR_CHANGES)(hr_changes)
    app.view(Callback.PIP_HR_CHANGES)(submit_changes)
    app.action(_either(Action.PIP_EDIT_PRECONDITIONS))(edit_preconditions)
    app.action(_either(Action.PIP_WRITE_PLAN))(write_plan)
    for action in (Action.PIP_ADD_CONCERN, Action.PIP_ADD_CRITERION, Action.PIP_ADD_SUPPORT):
        app.action(action)(add_slot)
    app.view(Callback.PIP_PLAN)(submit_plan)
    app.action(_either(Action.PIP_MARK_OPENED))(mark_opened)
    app.action(Action.PIP_RECEIVED)(engineer_received)
    app.action(AGREE)(engineer_agrees)
    app.action(COMMENT)(engineer_comment)
    app.view(Callback.PIP_COMMENT)(submit_comment)
    app.action(_either(Action.PIP_OPEN_CHECKPOINT))(open_checkpoint)
    app.view(Callback.PIP_CHECKPOINT)(submit_checkpoint)
    app.action(_either(Action.PIP_OPEN_OUTCOME))(open_outcome)
    app.view(Callback.PIP_OUTCOME)(submit_outcome)


def _either(action: str) -> re.Pattern[str]:
    """The button in a DM (`action`) or in App Home (`action_<pip id>`, unique in the view)."""
    return re.compile(rf"^{action}(_\d+)?$")


def _m() -> Any:
    return texts("pip/modals")


def _notes(findings: list[Finding], field_of: Any) -> dict[str, str]:
    notes: dict[str, str] = {}
    for f in findings:
        notes.setdefault(
            field_of(f.field, f.index), views.finding_text("findings", f.code, f.params)
        )
    return notes


def _ref(body: dict[str, Any]) -> PipRef:
    return decode(PipRef, body["actions"][0].get("value"))


def _open_modal(ctx: Ctx, body: dict[str, Any], view: Any) -> None:
    """On top of the modal it was pressed in, or as a new modal."""
    if (body.get("view") or {}).get("type") == "modal":
        ctx.gateway.push_view(body["trigger_id"], view)
    else:
        ctx.gateway.open_view(body["trigger_id"], view)


def _settle(ctx: Ctx, body: dict[str, Any], message: Message) -> None:
    """The DM message a button was pressed in says what was decided, without its buttons."""
    channel = (body.get("channel") or {}).get("id")
    ts = (body.get("message") or {}).get("ts")
    if not channel or not ts:
        return

    def edit(gateway: SlackGateway) -> None:
        try:
            gateway.update(channel, ts, message.text, message.blocks)
        except SlackFailure as exc:
            log.warning("could not update the PIP message in %s: %s", channel, exc.error)

    ctx.after_response(edit)


# --- /pip and the preconditions ----------------------------------------------------------


def pip_command(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    manager = actor(ctx, body)
    text = (command.get("text") or "").strip()
    if text.lower() in ("help", "?"):
        ack(response_type="ephemeral", text=render("help", unknown=None))
        return
    found = MENTION.search(text)
    engineer = pips.engineer_named(ctx, manager, found.group(1) if found else None)
    begin = pips.start(ctx, manager, engineer)
    ctx.uow.commit()
    ack()
    ctx.gateway.open_view(body["trigger_id"], views.build_preconditions_view(begin))


def submit_preconditions(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    meta = decode(PreconditionsMeta, view.get("private_metadata"))
    form = views.parse_preconditions(state_values(view))
    manager = actor(ctx, body)
    try:
        result = pips.submit_preconditions(
            ctx,
            manager,
            engineer_id=meta.engineer_id,
            pip_id=meta.pip_id,
            form=form,
            warned=meta.warned,
        )
    except DomainError as error:
        if error.template == "pip/errors/hr_not_member":
            ack(
                response_action="errors", errors={"hr_user": render(error.template, **error.params)}
            )
            return
        raise
    m = _m()
    saved = result.pip
    if saved is not None:
        if saved.status == "referred":
            text = m.referred(saved.engineer.name, saved.classification)
        else:
            hr = saved.hr_person.name if saved.hr_person else ""
            text = m.sent_to_hr(saved.engineer.name, hr)
        ack(response_action="update", view=views.done_view(m.title(), text))
        return
    notes = _notes(result.findings, lambda name, _i: name)
    if result.warned:
        engineer = ctx.uow.people.get_by_id(meta.engineer_id)
        assert engineer is not None
        earlier = pips.earlier_conversations(ctx, manager, engineer)
        begin = pips.PipStart(engineer.id, engineer.name, earlier, form, meta.pip_id)
        ack(
            response_action="update",
            view=views.build_preconditions_view(begin, notes, result.warned),
        )
    else:
        ack(response_action="errors", errors=notes)


def edit_preconditions(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    begin = pips.restart(ctx, actor(ctx, body), _ref(body).pip_id)
    ctx.uow.commit()
    _open_modal(ctx, body, views.build_preconditions_view(begin))


# --- HR ---------------------------------------------------------------------------------


def hr_acknowledge(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    pip = pips.acknowledge(ctx, actor(ctx, body), _ref(body).pip_id)
    _settle(ctx, body, messages.hr_answered(pip))


def hr_changes(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    hr = actor(ctx, body)
    pip = pips.load_pip(ctx, hr, _ref(body).pip_id, Act.ACKNOWLEDGE_PIP)
    if pip.hr_person_id != hr.id:
        raise pips.PipRefused()
    ctx.uow.commit()
    _open_modal(ctx, body, views.build_changes_view(pip.id))


def submit_changes(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    ref = decode(PipRef, view.get("private_metadata"))
    changes = text_of(state_values(view), "changes")
    pip = pips.ask_for_changes(ctx, actor(ctx, body), ref.pip_id, changes)
    m = _m()
    ack(
        response_action="update",
        view=views.done_view(m.changes_title(), m.changes_sent(pip.manager.name)),
    )


# --- the plan ---------------------------------------------------------------------------


def write_plan(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    manager = actor(ctx, body)
    pip = pips.plan_to_write(ctx, manager, _ref(body).pip_id)
    view = views.build_plan_view(pip, views.plan_meta(pip), today=today_for(manager, ctx))
    ctx.uow.commit()
    _open_modal(ctx, body, view)


def add_slot(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """ "Add a concern / criterion / support item": the plan modal again, one slot more,
    with what was typed kept."""
    ack()
    ctx = ctx_of(context)
    manager = actor(ctx, body)
    view = body["view"]
    meta = decode(PlanMeta, view.get("private_metadata"))
    form = views.parse_plan(state_values(view), meta)
    pip = pips.plan_to_write(ctx, manager, meta.pip_id)
    action = body["actions"][0]["action_id"]
    field = {Action.PIP_ADD_CONCERN: "concerns", Action.PIP_ADD_CRITERION: "criteria"}.get(
        action, "support"
    )
    grown = meta.model_copy(update={field: getattr(meta, field) + 1})
    rebuilt = views.build_plan_view(pip, grown, form, today=today_for(manager, ctx))
    ctx.uow.commit()
    ctx.gateway.update_view(view["id"], rebuilt)


def submit_plan(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    ctx = ctx_of(context)
    meta = decode(PlanMeta, view.get("private_metadata"))
    form = views.parse_plan(state_values(view), meta)
    manager = actor(ctx, body)
    result = pips.save_plan(ctx, manager, meta.pip_id, meta.version, form, meta.warned)
    m = _m()
    if result.pip is not None:
        text = m.plan_saved(result.pip.engineer.name, result.pip.status)
        ack(response_action="update", view=views.done_view(m.title(), text))
        return
    notes = _notes(result.findings, views.plan_field)
    if result.warned:
        pip = pips.plan_to_write(ctx, manager, meta.pip_id)
        warned_meta = meta.model_copy(update={"warned": result.warned})
        rebuilt = views.build_plan_view(pip, warned_meta, form, notes, today_for(manager, ctx))
        ack(response_action="update", view=rebuilt)
    else:
        ack(response_action="errors", errors=notes)


def mark_opened(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    pip = pips.mark_opened(ctx, actor(ctx, body), _ref(body).pip_id)
    _settle(ctx, body, messages.opened_done(pip))


# --- the engineer -------------------------------------------------------------------------


def engineer_received(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    pip = running.received(ctx, actor(ctx, body), _ref(body).pip_id)
    _settle(ctx, body, messages.plan_for_engineer(pip))


def engineer_agrees(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    ref = _ref(body)
    pip = running.answer(ctx, actor(ctx, body), ref.pip_id, ref.criterion_id or 0, ref.revision)
    _settle(ctx, body, messages.plan_for_engineer(pip))


def engineer_comment(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    ref = _ref(body)
    text = running.criterion_text(ctx, actor(ctx, body), ref.pip_id, ref.criterion_id or 0)
    ctx.uow.commit()
    _open_modal(ctx, body, views.build_comment_view(ref, text))


def submit_comment(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    ref = decode(PipRef, view.get("private_metadata"))
    comment = text_of(state_values(view), "comment")
    pip = running.answer(
        ctx, actor(ctx, body), ref.pip_id, ref.criterion_id or 0, ref.revision, comment
    )
    m = _m()
    ack(
        response_action="update",
        view=views.done_view(m.comment_title(), m.comment_saved(pip.manager.name)),
    )


# --- checkpoints and outcomes ------------------------------------------------------------------


def _signal_lines(pip: Any, today: Any) -> list[str]:
    return [render(f"pip/signals/{s.code}", **s.params) for s in running.signal_texts(pip, today)]


def open_checkpoint(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    manager = actor(ctx, body)
    ref = _ref(body)
    pip, checkpoint = running.checkpoint_to_record(ctx, manager, ref.pip_id, ref.number or 0)
    view = views.build_checkpoint_view(pip, checkpoint, _signal_lines(pip, today_for(manager, ctx)))
    ctx.uow.commit()
    _open_modal(ctx, body, view)


def submit_checkpoint(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    meta = decode(CheckpointMeta, view.get("private_metadata"))
    manager = actor(ctx, body)
    pip, checkpoint = running.checkpoint_to_record(ctx, manager, meta.pip_id, meta.number)
    form = views.parse_checkpoint(state_values(view), len(pip.criteria), len(pip.support))
    result = running.record_checkpoint(ctx, manager, meta.pip_id, meta.number, form, meta.warned)
    m = _m()
    if result.checkpoint is not None:
        lines = [render(f"pip/signals/{s.code}") for s in result.suggestions]
        text = m.checkpoint_saved(pip.engineer.name, lines)
        ack(response_action="update", view=views.done_view(m.checkpoint_title(), text))
        return
    notes = _notes(result.findings, views.checkpoint_field)
    if result.warned:
        signals = _signal_lines(pip, today_for(manager, ctx))
        rebuilt = views.build_checkpoint_view(pip, checkpoint, signals, notes, result.warned, form)
        ack(response_action="update", view=rebuilt)
    else:
        ack(response_action="errors", errors=notes)


def open_outcome(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    pip = running.pip_to_close(ctx, actor(ctx, body), _ref(body).pip_id)
    view = views.build_outcome_view(pip)
    ctx.uow.commit()
    _open_modal(ctx, body, view)


def submit_outcome(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    ref = decode(PipRef, view.get("private_metadata"))
    values = state_values(view)
    outcome = values.get("outcome") if isinstance(values.get("outcome"), str) else None
    note = text_of(values, "outcome_note")
    try:
        pip = running.close(
            ctx, actor(ctx, body), ref.pip_id, outcome, date_of(values, "new_end_on"), note
        )
    except DomainError as error:
        if error.template.startswith("pip/refusals/"):  # nothing to correct in the form
            m = _m()
            ack(
                response_action="update",
                view=views.done_view(m.outcome_title(), render(error.template)),
            )
            return
        raise
    m = _m()
    text = m.outcome_saved(pip.engineer.name, pip.outcome or "")
    ack(response_action="update", view=views.done_view(m.outcome_title(), text))
