"""/pdp-concern, the conversation modal, and a concern's record and follow-up buttons."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.domain.concerns import ConcernStart, ConversationForm, Outcome
from bot.domain.goals import Finding
from bot.services import concern_followups as followups
from bot.services import concerns
from bot.services.common import Ctx, edit_later, today_for
from bot.services.home import home_data
from bot.slack.gateway import SlackFailure, SlackGateway
from bot.slack.ids import Action, Callback
from bot.slack.listeners.context import actor, ctx_of
from bot.slack.payloads import decode, state_values
from bot.slack.views import concern as views
from bot.slack.views import concern_messages
from bot.slack.views.home import build_home_view
from bot.slack.views.messages import Message
from prompts import render
from storage.models import Person

log = logging.getLogger(__name__)
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# App Home buttons are `open_concern_<id>` (action ids stay unique in the view).
OPEN_CONCERN_ACTIONS = re.compile(rf"^{Action.OPEN_CONCERN}(_\d+)?$")


def register(app: App) -> None:
    app.command("/pdp-concern")(pdp_concern)
    app.view(Callback.CONCERN_CONVERSATION)(submit_conversation)
    app.action(OPEN_CONCERN_ACTIONS)(open_record)
    app.action(Action.CONCERN_RESOLVED)(resolved)
    app.action(Action.CONCERN_FORMAL)(formal)
    app.action(Action.CONCERN_ANOTHER)(another_conversation)
    app.action(Action.CLOSE_CONCERN)(close)


def finding_text(finding: Finding) -> str:
    return render(f"concerns/findings/{finding.code}", **finding.params)


def notes_for(findings: list[Finding]) -> dict[str, str]:
    notes: dict[str, str] = {}
    for finding in findings:
        notes.setdefault(finding.field, finding_text(finding))
    return notes


# --- /pdp-concern and the conversation modal ---------------------------------------------


def pdp_concern(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    manager = actor(ctx, body)
    found = MENTION.search(command.get("text") or "")
    engineer = concerns.engineer_named(ctx, manager, found.group(1) if found else None)
    begin = concerns.start(ctx, manager, engineer)
    ack()
    ctx.gateway.open_view(body["trigger_id"], views.build_conversation_view(begin))
    ctx.uow.commit()


def submit_conversation(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    meta = decode(views.ConcernMeta, view.get("private_metadata"))
    form = views.parse_conversation(state_values(view))
    manager = actor(ctx, body)
    result = concerns.record(
        ctx,
        manager,
        engineer_id=meta.engineer_id,
        thread_id=meta.thread_id,
        number=meta.number,
        form=form,
        warned=meta.warned,
    )
    saved = result.conversation
    if saved is not None:
        engineer = saved.thread.engineer.name
        ack(
            response_action="update",
            view=views.build_saved_view(
                engineer, saved.number, saved.follow_up_on, saved.recap_requested
            ),
        )
        _refresh_home(ctx, manager)
        return
    notes = notes_for(result.findings)
    if result.warned:
        begin = _restart(ctx, meta, form)
        rebuilt = views.build_conversation_view(begin, form, notes, warned=result.warned)
        ack(response_action="update", view=rebuilt)
    else:
        ack(response_action="errors", errors=notes)


def _restart(ctx: Ctx, meta: views.ConcernMeta, form: ConversationForm) -> ConcernStart:
    """The modal's frame again, to show warnings (record() already checked the actor)."""
    engineer = ctx.uow.people.get_by_id(meta.engineer_id)
    assert engineer is not None
    thread = ctx.uow.concerns.get(meta.thread_id) if meta.thread_id else None
    opened = thread.conversations[0].held_on if thread else None
    return ConcernStart(
        engineer.id,
        engineer.name,
        engineer.slack_user_id,
        meta.thread_id,
        meta.number,
        opened,
        form,
    )


# --- the record, and its follow-up ------------------------------------------------------


def _ref(body: dict[str, Any]) -> views.ConcernRef:
    return decode(views.ConcernRef, body["actions"][0].get("value"))


def open_record(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    manager = actor(ctx, body)
    concern = followups.view(ctx, manager, _ref(body).concern_id)
    formal_due = followups.may_consider_formal(ctx, manager, concern)
    recaps = followups.recaps(ctx, concern)
    _show(ctx, body, views.build_record_view(concern, formal_due, recaps=recaps))


def resolved(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    _answer(ack, body, context, "resolved")


def formal(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    _answer(ack, body, context, "formal")


def _answer(ack: Ack, body: dict[str, Any], context: BoltContext, outcome: Outcome) -> None:
    ack()
    ctx = ctx_of(context)
    manager = actor(ctx, body)
    ref = _ref(body)
    done = followups.follow_up(ctx, manager, ref.concern_id, ref.number or 0, outcome)
    note = views.outcome_text(outcome, done.concern.engineer.name, done.number)
    recaps = followups.recaps(ctx, done.concern)
    _show(ctx, body, views.build_record_view(done.concern, False, note, recaps), replace=True)
    _settle_message(
        ctx, body, concern_messages.answered(done.concern, outcome, today_for(manager, ctx))
    )
    _refresh_home(ctx, manager)


def another_conversation(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    ref = _ref(body)
    begin = concerns.continue_thread(ctx, actor(ctx, body), ref.concern_id, ref.number or 0)
    _show(ctx, body, views.build_conversation_view(begin))


def close(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    manager = actor(ctx, body)
    concern = followups.close(ctx, manager, _ref(body).concern_id)
    note = views.closed_text(concern.engineer.name)
    recaps = followups.recaps(ctx, concern)
    _show(ctx, body, views.build_record_view(concern, False, note, recaps), replace=True)
    _settle_message(
        ctx, body, concern_messages.answered(concern, "closed", today_for(manager, ctx))
    )
    _refresh_home(ctx, manager)


def _show(ctx: Ctx, body: dict[str, Any], view: Any, *, replace: bool = False) -> None:
    """In place of the record modal it was pressed in, on top of it, or as a new modal."""
    pressed_in = body.get("view") or {}
    if replace and pressed_in.get("callback_id") == Callback.CONCERN_RECORD:
        ctx.gateway.update_view(pressed_in["id"], view)
    elif pressed_in.get("type") == "modal":
        ctx.gateway.push_view(body["trigger_id"], view)
    else:
        ctx.gateway.open_view(body["trigger_id"], view)


def _settle_message(ctx: Ctx, body: dict[str, Any], answered: Message) -> None:
    """A follow-up answered from its DM: the message says what was decided, without buttons."""
    channel = (body.get("channel") or {}).get("id")
    ts = (body.get("message") or {}).get("ts")
    if channel and ts:
        edit_later(ctx, channel, ts, answered.text, answered.blocks)


def _refresh_home(ctx: Ctx, manager: Person) -> None:
    """The manager's App Home with the change, built now and published once Slack has its
    answer (a modal must not wait for it)."""
    view = build_home_view(home_data(ctx, manager))
    user_id = manager.slack_user_id

    def publish(gateway: SlackGateway) -> None:
        try:
            gateway.publish_home(user_id, view)
        except SlackFailure as exc:  # the record is saved; the tab shows it next time
            log.warning("could not publish App Home for %s: %s", user_id, exc.error)

    ctx.after_response(publish)
