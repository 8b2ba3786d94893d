"""The PDP lifecycle: the engineer drafts, the manager commits, the engineer confirms."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError

from bot.domain.cadence import Calendar, quarter_bounds
from bot.domain.commitments import default_due
from bot.domain.errors import Conflict, PermissionDenied
from bot.domain.goals import Finding, GoalDraft
from bot.domain.periods import next_review, propose_period, propose_reviews
from bot.domain.plans import (
    DraftForm,
    ManagerFacts,
    ManagerForm,
    check_draft,
    check_manager_form,
    errors_of,
    fingerprint,
    warnings_of,
)
from bot.domain.policy import Act
from bot.services import cadence, claims, manager_change, notify, week_one
from bot.services.cadence import calendar_of, schedule_plan
from bot.services.common import Ctx, agreed_dates, plan_for, today_for, touch
from bot.services.people import ensure_person
from storage.models import Commitment, Goal, Person, Plan

DRAFTABLE = ("draft", "awaiting_manager", "awaiting_engineer")


@dataclass
class Submission:
    """What became of a modal submission: refused with findings, or saved."""

    findings: list[Finding] = field(default_factory=list)
    warned: str | None = None
    plan: Plan | None = None

    @property
    def accepted(self) -> bool:
        return self.plan is not None


@dataclass(frozen=True)
class DraftSlots:
    """What each goal slot of the draft modal stands for: the goal it shows (editing a plan)
    or the goal it continues (next quarter's draft)."""

    goal_ids: list[int | None] = field(default_factory=list)
    carried_from: list[int | None] = field(default_factory=list)

    def goal_id(self, slot: int) -> int | None:
        return self.goal_ids[slot] if slot < len(self.goal_ids) else None

    def origin(self, slot: int) -> int | None:
        return self.carried_from[slot] if slot < len(self.carried_from) else None


@dataclass(frozen=True)
class DraftStart:
    form: DraftForm
    plan_id: int | None
    version: int | None
    carried: list[int]
    slots: DraftSlots
    previous_plan_id: int | None = None


def form_of(plan: Plan) -> DraftForm:
    return DraftForm(
        manager_user_id=plan.manager.slack_user_id,
        period_start=plan.period_start,
        period_end=plan.period_end,
        review_dates=dict(agreed_dates(plan)),
        strengths=plan.strengths,
        difficulties=plan.difficulties,
        aspiration=plan.aspiration,
        target_role=plan.target_role,
        goals=[
            GoalDraft(g.outcome, g.success, g.target_date, g.how, g.support, g.capability_ref)
            for g in plan.goals
        ],
    )


def pair_calendar(
    ctx: Ctx, engineer: Person, manager_user_id: str | None, around: date
) -> Calendar:
    """The days both people work: the engineer's, and their manager's once one is picked."""
    calendar = calendar_of(engineer, ctx.settings, around)
    manager = ctx.uow.people.get(ctx.team_id, manager_user_id) if manager_user_id else None
    if manager is not None and manager.id != engineer.id:
        calendar = calendar.joined(calendar_of(manager, ctx.settings, around))
    return calendar


def proposed_dates(ctx: Ctx, engineer: Person, form: DraftForm) -> dict[str, date | None]:
    """The review dates the period proposes, from the engineer's today, on days both work."""
    if form.period_start is None or form.period_end is None:
        return {}
    today = today_for(engineer, ctx)
    calendar = pair_calendar(ctx, engineer, form.manager_user_id, form.period_start)
    return dict(propose_reviews(form.period_start, form.period_end, today, calendar))


def shown_or_fresh(ctx: Ctx, engineer: Person, form: DraftForm) -> dict[str, date | None]:
    """The dates the modal's line showed, unless one has passed since (a modal left open
    overnight): then the period's proposal as of today, which never is."""
    today = today_for(engineer, ctx)
    shown = form.review_dates
    if "1" in shown and all(on is None or on >= today for on in shown.values()):
        return shown
    return proposed_dates(ctx, engineer, form)


def start_draft(ctx: Ctx, engineer: Person, plan: Plan | None) -> DraftStart:
    today = today_for(engineer, ctx)
    if plan is not None:
        form = form_of(plan)
        if any(on is not None and on < today for on in form.review_dates.values()):
            form = replace(form, review_dates=proposed_dates(ctx, engineer, form))
        return DraftStart(
            form,
            plan.id,
            plan.version,
            [g.carried_count for g in plan.goals],
            DraftSlots(goal_ids=[g.id for g in plan.goals]),
        )
    start, end = propose_period(today)
    manager = engineer.manager.slack_user_id if engineer.manager else None
    form = DraftForm(manager, start, end, {})
    form = replace(form, review_dates=proposed_dates(ctx, engineer, form))
    return DraftStart(form, None, None, [], DraftSlots())


def next_quarter(ctx: Ctx, engineer: Person, previous: Plan) -> DraftStart:
    """A new draft for the quarter after `previous` (one `plan_for` gave `engineer` for
    Act.DRAFT_PLAN), pre-filled with what carries forward."""
    if previous.status != "closed":
        raise Conflict("errors/plan_not_closed")
    today = today_for(engineer, ctx)
    start, end = quarter_bounds(max(previous.period_end + timedelta(days=1), today))
    start = max(start, today)
    carried = [g for g in previous.goals if g.carry_forward]
    goals = [
        GoalDraft(g.outcome, g.success, None, g.how, g.support, g.capability_ref) for g in carried
    ]
    form = DraftForm(
        previous.manager.slack_user_id,
        start,
        end,
        {},
        strengths=previous.strengths,
        difficulties=previous.difficulties,
        aspiration=previous.aspiration,
        target_role=previous.target_role,
        goals=goals,
    )
    form = replace(form, review_dates=proposed_dates(ctx, engineer, form))
    return DraftStart(
        form,
        None,
        None,
        [g.carried_count + 1 for g in carried],
        DraftSlots(carried_from=[g.id for g in carried]),
        previous_plan_id=previous.id,
    )


def picked_manager(
    ctx: Ctx, engineer: Person, manager_user_id: str | None
) -> tuple[Person | None, ManagerFacts | None]:
    """The person picked as manager, and what the rules need to know about them."""
    if not manager_user_id:
        return None, None
    if manager_user_id == engineer.slack_user_id:
        return engineer, ManagerFacts(is_self=True, is_bot=False, is_deleted=False)
    manager = ensure_person(
        ctx.uow, ctx.gateway, ctx.team_id, manager_user_id, ctx.now, ctx.settings
    )
    return manager, ManagerFacts(is_self=False, is_bot=manager.is_bot, is_deleted=manager.deleted)


def submit_draft(
    ctx: Ctx,
    engineer: Person,
    form: DraftForm,
    *,
    plan_id: int | None,
    version: int | None,
    warned: str | None,
    slots: DraftSlots,
    previous_plan_id: int | None,
) -> Submission:
    plan = _plan_to_write(ctx, engineer, plan_id, version, form, previous_plan_id)
    check_slots(ctx, plan, slots)
    manager, facts = picked_manager(ctx, engineer, form.manager_user_id)
    findings = check_draft(form, today_for(engineer, ctx), facts)
    if errors_of(findings):
        return Submission(errors_of(findings))
    seen = fingerprint(form)
    if warnings_of(findings) and warned != seen:
        return Submission(warnings_of(findings), warned=seen)
    assert manager is not None  # check_draft refuses a draft without one
    try:
        _write_draft(ctx, plan, manager, form, slots, engineer)
        plan.status = "awaiting_manager"
        plan.submitted_at = ctx.now
        claims.draft_names(ctx, engineer, manager)  # the roster decides who manages whom
        notify.draft_submitted(ctx, plan)
        week_one.draft_sent(ctx, plan)
        ctx.uow.commit()
    except IntegrityError:  # another window or instance opened a plan in the meantime
        ctx.uow.rollback()
        raise Conflict() from None
    return Submission(plan=plan)


def _plan_to_write(
    ctx: Ctx,
    engineer: Person,
    plan_id: int | None,
    version: int | None,
    form: DraftForm,
    previous_plan_id: int | None,
) -> Plan:
    if plan_id is not None:
        plan = plan_for(ctx, engineer, Act.DRAFT_PLAN, plan_id)
        if previous_plan_id not in (None, plan.previous_plan_id):
            raise PermissionDenied()
        if plan.version != version or plan.status not in DRAFTABLE:
            raise Conflict()
        return plan
    if previous_plan_id is not None:
        previous = plan_for(ctx, engineer, Act.DRAFT_PLAN, previous_plan_id)
        if previous.status != "closed":
            raise Conflict("errors/plan_not_closed")
    if ctx.uow.plans.current_for(engineer) is not None:
        raise Conflict()  # another window created a plan meanwhile
    return Plan(
        team_id=ctx.team_id,
        engineer_id=engineer.id,
        created_at=ctx.now,
        previous_plan_id=previous_plan_id,
    )


def check_slots(ctx: Ctx, plan: Plan, slots: DraftSlots) -> None:
    """Every goal the draft modal's metadata names belongs to the engineer writing it: a goal
    of the plan being edited, or one carried forward from the plan it continues. Anything
    else (another engineer's goal, a made-up id) is refused like any other forged id
    (PermissionDenied), before anything is written (issue 9, item 9)."""
    own = {g.id for g in plan.goals} if plan.id is not None else set()
    if any(goal_id is not None and goal_id not in own for goal_id in slots.goal_ids):
        raise PermissionDenied()
    origins = {goal_id for goal_id in slots.carried_from if goal_id is not None}
    if not origins:
        return
    previous = ctx.uow.plans.get(plan.previous_plan_id) if plan.previous_plan_id else None
    carried = {g.id for g in previous.goals if g.carry_forward} if previous else set()
    if previous is None or previous.engineer_id != plan.engineer_id or origins - carried:
        raise PermissionDenied()


def _write_draft(
    ctx: Ctx,
    plan: Plan,
    manager: Person,
    form: DraftForm,
    slots: DraftSlots,
    engineer: Person,
) -> None:
    assert form.period_start and form.period_end
    plan.manager = manager
    plan.period_start, plan.period_end = form.period_start, form.period_end
    dates = {key: on for key, on in form.review_dates.items() if on is not None}
    if "1" not in dates:  # a form without its schedule (an older modal): the period's proposal
        dates = {k: v for k, v in proposed_dates(ctx, engineer, form).items() if v}
    plan.review_dates = {
        key: on.isoformat() for key, on in sorted(dates.items(), key=lambda kv: kv[1])
    }
    plan.strengths, plan.difficulties = form.strengths, form.difficulties
    plan.aspiration, plan.target_role = form.aspiration, form.target_role
    _write_goals(ctx, plan, form, slots)
    if plan.id is None:
        ctx.uow.plans.add(plan)
    touch(plan)


def _write_goals(ctx: Ctx, plan: Plan, form: DraftForm, slots: DraftSlots) -> None:
    """Each modal slot updates the goal it was showing, so a goal keeps its manager comment,
    progress and history however the others move; slots left empty delete their goal."""
    existing = {g.id: g for g in plan.goals}
    position = 0
    for slot, draft in enumerate(form.goals):
        if not draft.outcome.strip():
            continue
        shown = slots.goal_id(slot)
        goal = existing.pop(shown, None) if shown is not None else None
        if goal is None:
            count, origin = _carried(ctx, slots.origin(slot))
            goal = Goal(team_id=ctx.team_id, carried_count=count, carried_from_id=origin)
            plan.goals.append(goal)
        goal.position = position
        goal.outcome, goal.success, goal.target_date = (
            draft.outcome,
            draft.success,
            draft.target_date,
        )
        goal.how, goal.support, goal.capability_ref = draft.how, draft.support, draft.capability_ref
        position += 1
    for goal in existing.values():
        plan.goals.remove(goal)
    plan.goals.sort(key=lambda g: g.position)


def _carried(ctx: Ctx, goal_id: int | None) -> tuple[int, int | None]:
    goal = ctx.uow.session.get(Goal, goal_id) if goal_id else None
    if goal is None or goal.team_id != ctx.team_id or not goal.carry_forward:
        return 0, None  # only a goal carried forward unfinished counts as carried
    return goal.carried_count + 1, goal.id


def first_check_ahead(plan: Plan, today: date) -> date | None:
    """The plan's first check (progress check, monthly review or reflection) on or after
    `today`: when a commitment without a date is due."""
    return next_review(agreed_dates(plan), today, checks_only=True)


def open_for_manager(ctx: Ctx, manager: Person, plan_id: int) -> Plan:
    """The plan whose commitments the manager writes: a draft waiting for them, or an active
    plan that moved to them from another manager (bot/services/manager_change.py)."""
    plan = plan_for(ctx, manager, Act.COMMENT_AS_MANAGER, plan_id)
    moved = plan.status == "active" and manager_change.moved_to(ctx.uow, plan, manager)
    if plan.status not in ("awaiting_manager", "awaiting_engineer") and not moved:
        raise Conflict("errors/plan_moved_on", status=plan.status)
    return plan


def submit_manager(
    ctx: Ctx, manager: Person, plan_id: int, version: int, form: ManagerForm, warned: str | None
) -> Submission:
    plan = open_for_manager(ctx, manager, plan_id)
    if plan.version != version:
        raise Conflict()
    findings = check_manager_form(form, today_for(manager, ctx), plan.period_end)
    if errors_of(findings):
        return Submission(errors_of(findings))
    seen = fingerprint(form)
    if warnings_of(findings) and warned != seen:
        return Submission(warnings_of(findings), warned=seen)
    plan.manager_perspective = form.perspective
    for goal, comment in zip(plan.goals, form.goal_comments, strict=False):
        goal.manager_comment = comment
    # The form holds this manager's commitments; those handed over by a previous manager stay.
    kept = [c for c in plan.commitments if c.status != "pending"]
    plan.commitments[:] = kept
    ctx.uow.session.flush()
    filled = [c for c in form.commitments if c.text.strip()]
    by_next_check = first_check_ahead(plan, today_for(manager, ctx))
    for position, commitment in enumerate(filled, start=len(kept)):
        plan.commitments.append(
            Commitment(
                team_id=ctx.team_id,
                position=position,
                text=commitment.text,
                due_date=default_due(commitment.due_date, by_next_check, plan.period_end),
            )
        )
    touch(plan)
    if plan.status == "active":  # a plan that moved to this manager: it stays agreed
        ctx.uow.session.flush()
        rows = cadence.prompts_of(ctx.uow, plan)
        for made in plan.commitments:
            cadence.schedule_commitment(ctx.uow, plan, made, ctx.settings, ctx.now, rows)
        manager_change.commitments_made(ctx.uow, plan, ctx.now, ctx.settings)
        ctx.uow.commit()
        return Submission(plan=plan)
    plan.status = "awaiting_engineer"
    notify.manager_responded(ctx, plan)
    ctx.uow.commit()
    return Submission(plan=plan)


def open_for_confirmation(ctx: Ctx, engineer: Person, plan_id: int) -> Plan:
    plan = plan_for(ctx, engineer, Act.CONFIRM_PLAN, plan_id)
    if plan.status != "awaiting_engineer":
        raise Conflict("errors/plan_moved_on", status=plan.status)
    return plan


def confirm(ctx: Ctx, engineer: Person, plan_id: int, version: int) -> Plan:
    plan = open_for_confirmation(ctx, engineer, plan_id)
    if plan.version != version:
        raise Conflict()
    plan.status = "active"
    plan.activated_at = ctx.now
    schedule_plan(ctx.uow, plan, ctx.settings, ctx.now)
    week_one.plan_ends(ctx, plan)
    notify.plan_active(ctx, plan)
    ctx.uow.commit()
    return plan
