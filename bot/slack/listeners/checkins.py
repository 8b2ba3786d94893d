"""Buttons and modals of the cadence prompts: check-ins, reminders, moving a review, away."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.services import checkins, commitments
from bot.slack.ids import Action, Callback
from bot.slack.listeners.context import actor, ctx_of
from bot.slack.payloads import date_of, number_after, state_values, text_of
from bot.slack.views import checkin as modals
from bot.slack.views.refs import PromptRef, ReminderAnswer, decode
from prompts import texts


def register(app: App) -> None:
    app.action(Action.OPEN_CHECKIN)(open_checkin)
    app.view(Callback.CHECKIN_ENGINEER)(submit_engineer)
    app.view(Callback.CHECKIN_MANAGER)(submit_manager)
    app.action(Action.REMIND_DELIVERED)(remind_delivered)
    app.action(Action.REMIND_NEXT_WEEK)(remind_next_week)
    app.action(Action.REMIND_WITHDRAW)(remind_withdraw)
    app.view(Callback.REMINDER_REASON)(submit_reminder_answer)
    app.action(Action.OPEN_RESCHEDULE)(open_reschedule)
    app.view(Callback.RESCHEDULE)(submit_reschedule)
    app.action(Action.OPEN_AWAY)(open_away)
    app.view(Callback.AWAY)(submit_away)


def _ref(action: dict[str, Any]) -> int:
    return decode(PromptRef, action.get("value")).prompt_id


def _meta(view: dict[str, Any]) -> int:
    return decode(PromptRef, view.get("private_metadata")).prompt_id


def open_checkin(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    person = actor(ctx, body)
    prompt, role = checkins.start_checkin(ctx, person, _ref(action))
    assert prompt.plan is not None
    build = modals.engineer_checkin if role == "engineer" else modals.manager_checkin
    ack()
    ctx.gateway.open_view(body["trigger_id"], build(prompt, prompt.plan))
    ctx.uow.commit()


def submit_engineer(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    values = state_values(view)
    keys = (*modals.ENGINEER_BACK, *modals.ENGINEER_FORWARD)
    answers = checkins.EngineerAnswers(**{key: text_of(values, key) for key in keys})
    if not answers.done:
        ack(response_action="errors", errors={"done": texts("cadence/modals").required()})
        return
    checkins.submit_engineer(ctx, actor(ctx, body), _meta(view), answers)
    ack()


def submit_manager(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    values = state_values(view)
    given = {
        number_after("commitment_", block): commitments.Answer(
            str(value), text_of(values, modals.reason_block(number_after("commitment_", block)))
        )
        for block, value in values.items()
        if block.startswith("commitment_") and value
    }
    answers = checkins.ManagerAnswers(
        given, text_of(values, "seeing"), text_of(values, "conditions")
    )
    missing = checkins.submit_manager(ctx, actor(ctx, body), _meta(view), answers)
    if missing:
        t = texts("cadence/modals")
        errors = {modals.reason_block(c): t.reason_required(given[c].state) for c in missing}
        ack(response_action="errors", errors=errors)
        return
    ack()


def remind_delivered(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()  # a button needs no answer; the message changes after the response
    ctx = ctx_of(context)
    checkins.mark_delivered(ctx, actor(ctx, body), _ref(action))


def remind_next_week(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    """ "Not yet…": a modal asks what got in the way."""
    _open_reminder_answer(ack, body, action, context, "pending")


def remind_withdraw(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    """ "No longer needed…": a modal asks why."""
    _open_reminder_answer(ack, body, action, context, "withdrawn")


def _open_reminder_answer(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, state: str
) -> None:
    ctx = ctx_of(context)
    prompt = checkins.start_reminder_answer(ctx, actor(ctx, body), _ref(action))
    assert prompt.commitment is not None
    ack()
    ctx.gateway.open_view(
        body["trigger_id"], modals.reminder_answer(prompt, prompt.commitment, state)
    )
    ctx.uow.commit()


def submit_reminder_answer(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    meta = decode(ReminderAnswer, view.get("private_metadata"))
    reason = text_of(state_values(view), "reason")
    if not reason:
        t = texts("cadence/modals")
        state = "withdrawn" if meta.state == "withdrawn" else "pending"
        ack(response_action="errors", errors={"reason": t.reason_required(state)})
        return
    person = actor(ctx, body)
    if meta.state == "withdrawn":
        checkins.withdraw(ctx, person, meta.prompt_id, reason)
    else:
        checkins.remind_next_week(ctx, person, meta.prompt_id, reason)
    ack()


def open_reschedule(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    prompt = checkins.start_reschedule(ctx, actor(ctx, body), _ref(action))
    assert prompt.plan is not None
    ack()
    ctx.gateway.open_view(body["trigger_id"], modals.reschedule(prompt, prompt.plan))
    ctx.uow.commit()


def submit_reschedule(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    on = date_of(state_values(view), "date")
    if on is None:
        ack(response_action="errors", errors={"date": texts("cadence/modals").new_date()})
        return
    checkins.reschedule(ctx, actor(ctx, body), _meta(view), on)
    ack()


def open_away(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ctx = ctx_of(context)
    person = actor(ctx, body)
    prompt = checkins.start_reschedule(ctx, person, _ref(action))
    ack()
    ctx.gateway.open_view(body["trigger_id"], modals.away(prompt, person.away_until))
    ctx.uow.commit()


def submit_away(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    ctx = ctx_of(context)
    until = date_of(state_values(view), "until")
    if until is None:
        ack(response_action="errors", errors={"until": texts("cadence/modals").away_until()})
        return
    person = actor(ctx, body)
    channel = checkins.away_from(ctx, person, _meta(view)).channel
    back = checkins.set_away(ctx, person, until)
    ack()
    if channel:
        text = texts("cadence/modals").away_saved(until, back)
        ctx.gateway.post_ephemeral(channel, person.slack_user_id, text)
