"""The PDP lifecycle in Slack: /pdp, the draft, the manager's part, confirmation."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.domain.goals import Finding
from bot.domain.policy import Act
from bot.services import plans, reviews
from bot.services.common import Ctx, plan_for
from bot.services.reviews import can_reflect, first_check, next_review
from bot.slack.ids import Action, Callback
from bot.slack.listeners.context import actor, ctx_of
from bot.slack.payloads import DraftMeta, PlanButton, PlanMeta, decode, form_of, state_values
from bot.slack.views import draft as draft_view
from bot.slack.views import plan as plan_view
from bot.slack.views.done import build_done_view
from prompts import render, texts
from storage.models import Person

PERIOD_BLOCKS = re.compile(r"^period_(start|end)$")


def register(app: App) -> None:
    app.view(Callback.PDP_DRAFT)(submit_draft)
    app.action(Action.ADD_GOAL)(add_goal)
    app.action(Action.CHANGE_DATES)(change_dates)
    app.block_action({"block_id": PERIOD_BLOCKS, "action_id": "value"})(period_changed)
    app.action(Action.OPEN_MANAGER_MODAL)(open_manager_modal)
    app.view(Callback.PDP_MANAGER)(submit_manager)
    app.action(Action.OPEN_CONFIRM_MODAL)(open_confirm_modal)
    app.action(Action.EDIT_DRAFT)(edit_draft)
    app.view(Callback.PDP_CONFIRM)(submit_confirm)
    app.action(Action.START_NEXT_QUARTER)(start_next_quarter)


def finding_text(finding: Finding) -> str:
    return render(f"findings/{finding.code}", **finding.params)


def notes_for(findings: list[Finding], block_of: Any) -> dict[str, str]:
    notes: dict[str, str] = {}
    for finding in findings:
        notes.setdefault(block_of(finding), finding_text(finding))
    return notes


# --- /pdp ------------------------------------------------------------------------------------


def open_pdp(ctx: Ctx, body: dict[str, Any]) -> None:
    """`/pdp`: the engineer's current plan, or a new draft."""
    engineer = actor(ctx, body)
    plan = ctx.uow.plans.current_for(engineer)
    trigger = body["trigger_id"]
    if plan is not None and plan.status == "awaiting_engineer":
        ctx.gateway.open_view(trigger, plan_view.build_confirm_view(plan))
    elif plan is not None and plan.status == "active":
        today = plans.today_for(engineer, ctx)
        view = plan_view.build_plan_view(plan, next_review(plan, today), can_reflect(plan, today))
        ctx.gateway.open_view(trigger, view)
    else:
        ctx.gateway.open_view(trigger, _draft_view(plans.start_draft(ctx, engineer, plan)))
    ctx.uow.commit()


def _draft_view(start: plans.DraftStart, notes: dict[str, str] | None = None) -> Any:
    meta = DraftMeta(
        plan_id=start.plan_id,
        version=start.version,
        slots=max(1, len(start.form.goals)),
        reviews={k: v for k, v in start.form.review_dates.items() if v is not None},
        previous_plan_id=start.previous_plan_id,
        carried=start.carried,
        carried_from=start.slots.carried_from,
        goal_ids=start.slots.goal_ids,
    )
    return draft_view.build_draft_view(start.form, meta, notes)


# --- the draft modal -------------------------------------------------------------------------


def submit_draft(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    meta = decode(DraftMeta, view.get("private_metadata"))
    form = draft_view.parse_draft(state_values(view), meta)
    engineer = actor(ctx, body)
    if not meta.editing_dates and form.period_start and form.period_end:
        form = dataclasses.replace(form, review_dates=plans.shown_or_fresh(ctx, engineer, form))
    result = plans.submit_draft(
        ctx,
        engineer,
        form,
        plan_id=meta.plan_id,
        version=meta.version,
        warned=meta.warned,
        slots=plans.DraftSlots(goal_ids=meta.goal_ids, carried_from=meta.carried_from),
        previous_plan_id=meta.previous_plan_id,
    )
    if result.plan is not None:
        done = texts("views/done").draft_sent(result.plan.manager.name)
        ack(response_action="update", view=build_done_view(done))
        return
    notes = notes_for(result.findings, lambda f: draft_view.block_for(f, form, meta))
    if result.warned:
        warned = meta.model_copy(update={"warned": result.warned})
        ack(response_action="update", view=draft_view.build_draft_view(form, warned, notes))
    else:
        ack(response_action="errors", errors=notes)


def add_goal(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    _rebuild_draft(ctx_of(context), body, "add_goal")


def change_dates(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    _rebuild_draft(ctx_of(context), body, "change_dates")


def period_changed(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    _rebuild_draft(ctx_of(context), body, "period")


def _rebuild_draft(ctx: Ctx, body: dict[str, Any], what: str) -> None:
    """Keep what was typed; add a goal slot, show the review dates as pickers, or move the
    proposed dates with a changed period; show the modal again in place."""
    view = form_of(body, Callback.PDP_DRAFT)
    meta = decode(DraftMeta, view.get("private_metadata"))
    form = draft_view.parse_draft(state_values(view), meta)
    if what == "add_goal":
        meta = meta.model_copy(update={"slots": min(meta.slots + 1, draft_view.MAX_SLOTS)})
    elif what == "change_dates":
        meta = meta.model_copy(update={"editing_dates": True})
    elif form.period_start and form.period_end and form.period_start < form.period_end:
        proposed = plans.proposed_dates(ctx, actor(ctx, body), form)
        form = dataclasses.replace(form, review_dates=proposed)
        reviews = {k: v for k, v in proposed.items() if v is not None}
        meta = meta.model_copy(update={"dates_rev": meta.dates_rev + 1, "reviews": reviews})
    ctx.gateway.update_view(view["id"], draft_view.build_draft_view(form, meta))
    ctx.uow.commit()


# --- the manager's part ----------------------------------------------------------------------


def _button_plan(body: dict[str, Any]) -> int:
    return decode(PlanButton, body["actions"][0].get("value")).plan_id


def open_manager_modal(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    manager = actor(ctx, body)
    plan = plans.open_for_manager(ctx, manager, _button_plan(body))
    due = plans.first_check_ahead(plan, plans.today_for(manager, ctx))
    ctx.gateway.open_view(body["trigger_id"], plan_view.build_manager_view(plan, by_default=due))


def submit_manager(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    meta = decode(PlanMeta, view.get("private_metadata"))
    manager = actor(ctx, body)
    plan = plans.open_for_manager(ctx, manager, meta.plan_id)
    form = plan_view.parse_manager(state_values(view), len(plan.goals))
    result = plans.submit_manager(ctx, manager, meta.plan_id, meta.version, form, meta.warned)
    if result.plan is not None:
        done = texts("views/done").manager_sent(result.plan.engineer.name)
        ack(response_action="update", view=build_done_view(done))
        return
    notes = notes_for(result.findings, lambda f: plan_view.manager_block_for(f.field, f.index))
    if result.warned:
        due = plans.first_check_ahead(plan, plans.today_for(manager, ctx))
        rebuilt = plan_view.build_manager_view(plan, form, notes, result.warned, due)
        ack(response_action="update", view=rebuilt)
    else:
        ack(response_action="errors", errors=notes)


# --- confirmation ----------------------------------------------------------------------------


def open_confirm_modal(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    plan = plans.open_for_confirmation(ctx, actor(ctx, body), _button_plan(body))
    ctx.gateway.open_view(body["trigger_id"], plan_view.build_confirm_view(plan))


def edit_draft(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    engineer = actor(ctx, body)
    plan = plans.open_for_confirmation(ctx, engineer, _button_plan(body))
    ctx.gateway.push_view(body["trigger_id"], _draft_view(plans.start_draft(ctx, engineer, plan)))


def submit_confirm(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    ctx = ctx_of(context)
    meta = decode(PlanMeta, view.get("private_metadata"))
    engineer = actor(ctx, body)
    plan = plans.confirm(ctx, engineer, meta.plan_id, meta.version)
    first = first_check(plan, plans.today_for(engineer, ctx))
    ack(response_action="update", view=build_done_view(texts("views/done").confirmed(first)))


# --- next quarter ----------------------------------------------------------------------------


def start_next_quarter(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    ctx = ctx_of(context)
    engineer: Person = actor(ctx, body)
    previous = plan_for(ctx, engineer, Act.DRAFT_PLAN, _button_plan(body))
    if previous.status == "active":
        # the period is over but not reflected on: the reflection first, then the new draft
        reflection = plan_view.build_reflection_view(
            reviews.open_reflection(ctx, engineer, previous.id)
        )
        ctx.gateway.open_view(body["trigger_id"], reflection)
        return
    start = plans.next_quarter(ctx, engineer, previous)
    ctx.gateway.open_view(body["trigger_id"], _draft_view(start))
