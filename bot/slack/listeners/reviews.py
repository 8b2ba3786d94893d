"""/pdp-review, the review modal, the end-of-period reflection."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.services import commitments, reviews
from bot.services.people import ensure_person
from bot.slack.ids import Action, Callback
from bot.slack.listeners.context import actor, ctx_of
from bot.slack.payloads import (
    PlanButton,
    PlanMeta,
    decode,
    form_of,
    number_after,
    state_values,
    text_of,
)
from bot.slack.views import plan as plan_view
from bot.slack.views.done import build_done_view
from prompts import render, texts

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
END_STATE_BLOCK = re.compile(r"^end_state\d+$")


def register(app: App) -> None:
    app.command("/pdp-review")(pdp_review)
    app.view(Callback.PDP_REVIEW)(submit_review)
    app.action(Action.OPEN_REFLECTION)(open_reflection)
    app.block_action({"block_id": END_STATE_BLOCK, "action_id": "end_state"})(end_state_changed)
    app.view(Callback.PDP_REFLECTION)(submit_reflection)
    app.action(Action.OPEN_PERSPECTIVE)(open_perspective)
    app.view(Callback.PDP_PERSPECTIVE)(submit_perspective)


def pdp_review(
    ack: Ack, body: dict[str, Any], command: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    found = MENTION.search(command.get("text") or "")
    if not found:
        ack(response_type="ephemeral", text=render("errors/review_usage"))
        return
    manager = actor(ctx, body)
    engineer = ctx.uow.people.get(ctx.team_id, found.group(1))
    if engineer is None:
        engineer = ensure_person(
            ctx.uow, ctx.gateway, ctx.team_id, found.group(1), ctx.now, ctx.settings
        )
    plan = reviews.active_plan_for_review(ctx, manager, engineer)
    ack()
    ctx.gateway.open_view(body["trigger_id"], plan_view.build_review_view(plan))
    ctx.uow.commit()


def submit_review(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    meta = decode(PlanMeta, view.get("private_metadata"))
    values = state_values(view)
    form = reviews.ReviewForm(
        progress={
            number_after("progress", k): v
            for k, v in values.items()
            if k.startswith("progress") and v
        },
        delivered={
            number_after("delivered", k): commitments.Answer(
                str(v), text_of(values, plan_view.reason_block(number_after("delivered", k)))
            )
            for k, v in values.items()
            if k.startswith("delivered") and v
        },
        done=text_of(values, "done"),
        blockers=text_of(values, "blockers"),
        learned=text_of(values, "learned"),
        focus=text_of(values, "focus"),
        adjustments=text_of(values, "adjustments"),
        seeing=text_of(values, "seeing"),
    )
    manager = actor(ctx, body)
    try:
        entry = reviews.record_review(ctx, manager, meta.plan_id, meta.version, form)
    except reviews.ReasonsMissing as missing:
        t = texts("cadence/modals")
        errors = {
            plan_view.reason_block(c): t.reason_required(form.delivered[c].state)
            for c in missing.commitment_ids
        }
        ack(response_action="errors", errors=errors)
        return
    done = texts("views/done").reviewed(entry.plan.engineer.name)
    ack(response_action="update", view=build_done_view(done))


def _show(ctx: Any, body: dict[str, Any], view: Any) -> None:
    if body.get("view"):  # pressed inside the plan modal
        ctx.gateway.push_view(body["trigger_id"], view)
    else:
        ctx.gateway.open_view(body["trigger_id"], view)


def open_reflection(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """The engineer writes the reflection; their manager pressing it adds their perspective."""
    ack()
    ctx = ctx_of(context)
    plan_id = decode(PlanButton, body["actions"][0].get("value")).plan_id
    person = actor(ctx, body)
    plan = ctx.uow.plans.get(plan_id)
    if plan is not None and plan.team_id == ctx.team_id and plan.manager_id == person.id:
        _show(
            ctx,
            body,
            plan_view.build_perspective_view(reviews.open_perspective(ctx, person, plan_id)),
        )
        return
    plan = reviews.open_reflection(ctx, person, plan_id)
    _show(ctx, body, plan_view.build_reflection_view(plan))


def _end_states(values: dict[str, Any]) -> dict[int, str]:
    return {
        number_after("end_state", k): str(v)
        for k, v in values.items()
        if END_STATE_BLOCK.match(k) and v
    }


def end_state_changed(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Only the goals now unfinished are offered for carrying: the modal updates in place."""
    ack()
    ctx = ctx_of(context)
    view = form_of(body, Callback.PDP_REFLECTION)
    meta = decode(PlanMeta, view.get("private_metadata"))
    plan = reviews.open_reflection(ctx, actor(ctx, body), meta.plan_id)
    states = _end_states(state_values(view))
    ctx.gateway.update_view(view["id"], plan_view.build_reflection_view(plan, states))


def submit_reflection(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    meta = decode(PlanMeta, view.get("private_metadata"))
    values = state_values(view)
    ticked = next((v for k, v in values.items() if k.startswith("carry_goals")), None) or []
    form = reviews.ReflectionForm(
        achieved=text_of(values, "achieved"),
        changed=text_of(values, "changed"),
        carry=text_of(values, "carry"),
        carry_goal_ids=[number_after("", str(v)) for v in ticked],
        end_states=_end_states(values),
    )
    missing = {
        k: texts("views/plan").end_state_required()
        for k, v in values.items()
        if END_STATE_BLOCK.match(k) and not v
    }
    if not form.achieved:
        missing["achieved"] = render("findings/missing_text")
    if missing:
        ack(response_action="errors", errors=missing)
        return
    reviews.reflect(ctx, actor(ctx, body), meta.plan_id, meta.version, form)
    ack(response_action="update", view=build_done_view(texts("views/done").closed()))


def open_perspective(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    plan_id = decode(PlanButton, body["actions"][0].get("value")).plan_id
    plan = reviews.open_perspective(ctx, actor(ctx, body), plan_id)
    _show(ctx, body, plan_view.build_perspective_view(plan))


def submit_perspective(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    meta = decode(PlanMeta, view.get("private_metadata"))
    text = text_of(state_values(view), "perspective")
    if not text:
        ack(response_action="errors", errors={"perspective": render("findings/missing_text")})
        return
    plan = reviews.add_perspective(ctx, actor(ctx, body), meta.plan_id, meta.version, text)
    done = texts("views/done").perspective_added(plan.engineer.name)
    ack(response_action="update", view=build_done_view(done))
