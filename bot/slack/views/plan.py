"""Modals around a plan: the manager's part, confirmation, the plan, review, reflection."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.domain.commitments import REASON_LIMIT
from bot.domain.plans import (
    END_STATES,
    GOAL_PROGRESS,
    MAX_COMMITMENTS,
    UNFINISHED,
    CommitmentDraft,
    ManagerForm,
    initial_end_state,
)
from bot.slack.ids import Action, Callback
from bot.slack.payloads import PlanButton, PlanMeta, date_of, encode, text_of
from bot.slack.views.common import (
    VALUE,
    choice_input,
    clip,
    context,
    date_input,
    divider,
    header,
    section,
    text_input,
    with_notes,
)
from prompts import plain, texts
from storage.models import Plan


def t() -> Any:
    return texts("views/plan")


def _modal(
    callback: Callback, title: str, blocks: list[Block], meta: PlanMeta, submit: str | None = None
) -> View:
    return View(
        type="modal",
        callback_id=callback,
        title=plain(title),
        submit=plain(submit) if submit else None,
        close=plain(t().close()),
        private_metadata=encode(meta),
        blocks=blocks,
    )


def meta_of(plan: Plan, warned: str | None = None) -> PlanMeta:
    return PlanMeta(plan_id=plan.id, version=plan.version, warned=warned)


def plan_overview(plan: Plan, *, comments: bool = True) -> list[Block]:
    blocks: list[Block] = [
        section(t().current_state(clip(plan.strengths, 1200), clip(plan.difficulties, 1200))),
        section(t().direction(clip(plan.aspiration, 1200), clip(plan.target_role, 500))),
    ]
    if comments and plan.manager_perspective:
        blocks.append(context(t().manager_perspective(clip(plan.manager_perspective, 1500))))
    for goal in plan.goals:
        blocks.append(divider())
        blocks.append(section(_goal_text(goal)))
        if comments and goal.manager_comment:
            blocks.append(context(t().manager_comment(clip(goal.manager_comment, 1500))))
    return blocks


def _goal_text(goal: Any) -> str:
    return t().goal_summary(
        goal.position + 1,
        clip(goal.outcome, 900),
        clip(goal.success, 700),
        goal.target_date,
        clip(goal.how, 500),
        clip(goal.support, 500),
        goal.carried_count,
    )


def commitment_lines(plan: Plan) -> str:
    if not plan.commitments:
        return t().no_commitments()
    return "\n".join(
        t().commitment_line(clip(c.text, 400), c.due_date, c.status) for c in plan.commitments
    )


# --- the manager's part --------------------------------------------------------------------


def build_manager_view(
    plan: Plan,
    form: ManagerForm | None = None,
    notes: dict[str, str] | None = None,
    warned: str | None = None,
    by_default: date | None = None,
) -> View:
    """`by_default`: when a commitment left without a date is due (the next check)."""
    form = form or ManagerForm(
        plan.manager_perspective,
        [g.manager_comment for g in plan.goals],
        [CommitmentDraft(c.text, c.due_date) for c in plan.commitments if c.status == "pending"],
    )
    blocks: list[Block] = [section(t().manager_intro(plan.engineer.name))]
    blocks += plan_overview(plan, comments=False)
    blocks.append(divider())
    blocks.append(
        text_input("perspective", t().perspective_label(), form.perspective, optional=True)
    )
    for index, goal in enumerate(plan.goals):
        comment = form.goal_comments[index] if index < len(form.goal_comments) else ""
        blocks.append(
            text_input(
                f"comment{index + 1}", t().comment_label(goal.position + 1), comment, optional=True
            )
        )
    blocks += [header(t().commitments_header()), context(t().commitments_intro())]
    for index in range(MAX_COMMITMENTS):
        c = form.commitments[index] if index < len(form.commitments) else CommitmentDraft("")
        blocks.append(
            text_input(
                f"commitment{index + 1}_text",
                t().commitment_label(index + 1),
                c.text,
                optional=index > 0,
            )
        )
        blocks.append(
            date_input(
                f"commitment{index + 1}_due",
                t().commitment_due_label(index + 1),
                c.due_date,
                hint=t().commitment_due_hint(by_default) if by_default else None,
            )
        )
    return _modal(
        Callback.PDP_MANAGER,
        t().manager_title(),
        with_notes(blocks, notes or {}),
        meta_of(plan, warned),
        t().manager_submit(),
    )


def parse_manager(values: dict[str, Any], goals: int) -> ManagerForm:
    return ManagerForm(
        perspective=text_of(values, "perspective"),
        goal_comments=[text_of(values, f"comment{i + 1}") for i in range(goals)],
        commitments=[
            CommitmentDraft(
                text_of(values, f"commitment{i + 1}_text"),
                date_of(values, f"commitment{i + 1}_due"),
            )
            for i in range(MAX_COMMITMENTS)
        ],
    )


def manager_block_for(field_name: str, index: int | None) -> str:
    position = (index or 0) + 1
    if field_name == "commitment":
        return f"commitment{position}_text"
    if field_name == "commitment_due":
        return f"commitment{position}_due"
    if field_name == "comment":
        return f"comment{position}"
    return field_name


def plan_button(
    plan: Plan,
    label: str,
    action: Action,
    style: str | None = None,
    *more: tuple[str, Action],
) -> ActionsBlock:
    """A row of buttons about `plan` (the first styled); each value names the plan."""
    value = encode(PlanButton(plan_id=plan.id))
    buttons = [ButtonElement(text=plain(label), action_id=action, value=value, style=style)]
    buttons += [ButtonElement(text=plain(text), action_id=act, value=value) for text, act in more]
    return ActionsBlock(elements=buttons)


# --- confirmation and the plan itself ---------------------------------------------------------


def build_confirm_view(plan: Plan) -> View:
    blocks: list[Block] = [section(t().confirm_intro(plan.manager.name))]
    blocks += plan_overview(plan)
    blocks += [divider(), header(t().their_commitments_header(plan.manager.name))]
    blocks.append(section(commitment_lines(plan)))
    blocks.append(plan_button(plan, t().edit_goals(), Action.EDIT_DRAFT))
    return _modal(
        Callback.PDP_CONFIRM, t().confirm_title(), blocks, meta_of(plan), t().confirm_submit()
    )


def build_plan_view(plan: Plan, next_review: date | None, can_reflect: bool) -> View:
    status = t().plan_header(plan.status, plan.manager.name, plan.period_start, plan.period_end)
    blocks: list[Block] = [section(status), context(t().next_review(next_review))]
    blocks += plan_overview(plan)
    blocks += [divider(), header(t().their_commitments_header(plan.manager.name))]
    blocks.append(section(commitment_lines(plan)))
    if can_reflect:
        blocks.append(plan_button(plan, t().close_quarter(), Action.OPEN_REFLECTION))
    return _modal(Callback.PDP_VIEW, t().plan_title(), blocks, meta_of(plan))


# --- the monthly review -----------------------------------------------------------------------


def build_review_view(plan: Plan) -> View:
    progress = [(p, t().progress_word(p)) for p in GOAL_PROGRESS]
    delivery = [
        ("delivered", t().delivered_yes()),
        ("pending", t().delivered_not_yet()),
        ("withdrawn", t().delivered_dropped()),
    ]
    blocks: list[Block] = [section(t().review_intro(plan.engineer.name))]
    for goal in plan.goals:
        label = t().progress_label(goal.position + 1, clip(goal.outcome, 140))
        blocks.append(choice_input(f"progress{goal.id}", label, progress, goal.progress))
    blocks += [
        header(t().looking_back()),
        text_input("done", t().done_label(), optional=True),
        text_input("blockers", t().blockers_label(), optional=True),
        text_input("learned", t().learned_label(), optional=True),
        header(t().looking_forward()),
        text_input("focus", t().focus_label(), optional=True),
        text_input("adjustments", t().adjust_label(), optional=True),
        header(t().reflection_header()),
    ]
    for commitment in plan.commitments:
        if commitment.status == "withdrawn":
            continue
        label = t().delivered_label(clip(commitment.text, 100))
        blocks.append(
            choice_input(
                f"delivered{commitment.id}", label, delivery, commitment.status, radio=True
            )
        )
        blocks.append(_reason_input(commitment))
    blocks.append(text_input("seeing", t().seeing_label(), optional=True))
    return _modal(
        Callback.PDP_REVIEW, t().review_title(), blocks, meta_of(plan), t().review_submit()
    )


def reason_block(commitment_id: int) -> str:
    return f"reason{commitment_id}"


def _reason_input(commitment: Any) -> Block:
    reason = commitment.reason if commitment.status != "delivered" else ""
    last = t().last_reason(clip(reason, REASON_LIMIT), commitment.reason_on)
    return text_input(
        reason_block(commitment.id),
        t().reason_label(),
        reason,
        hint=last if reason else t().reason_hint(commitment.due_date),
        multiline=False,
        optional=True,
        max_length=REASON_LIMIT,
    )


# --- end of period ---------------------------------------------------------------------------


def end_state_block(goal_id: int) -> str:
    return f"end_state{goal_id}"


def build_reflection_view(plan: Plan, states: dict[int, str] | None = None) -> View:
    """The engineer's reflection: an end state per goal, then what was achieved, changed and
    carries forward. Only the unfinished goals are offered for carrying (the modal updates
    when an end state changes)."""
    states = states if states is not None else {}
    chosen = {
        g.id: states.get(g.id) or initial_end_state(g.progress, g.end_state) for g in plan.goals
    }
    options = [(state, t().end_state_word(state)) for state in END_STATES]
    blocks: list[Block] = [section(t().reflection_intro())]
    for goal in plan.goals:
        label = clip(t().end_state_label(goal.position + 1, goal.outcome), 150)
        blocks.append(
            choice_input(
                end_state_block(goal.id),
                label,
                options,
                chosen[goal.id],
                radio=True,
                action_id="end_state",
                dispatch=True,
            )
        )
    blocks += [
        text_input("achieved", t().achieved_label()),
        text_input("changed", t().changed_label(), optional=True),
        text_input("carry", t().carry_label(), optional=True),
    ]
    unfinished = [g for g in plan.goals if chosen[g.id] in UNFINISHED]
    if unfinished:
        options_ = [
            Option(value=str(g.id), text=PlainTextObject(text=clip(g.outcome, 75)))
            for g in unfinished
        ]
        blocks.append(
            InputBlock(
                block_id=f"carry_goals_{'_'.join(str(g.id) for g in unfinished)}",
                label=PlainTextObject(text=plain(t().carry_goals_label())),
                element=CheckboxesElement(
                    action_id=VALUE, options=options_, initial_options=options_
                ),
                optional=True,
            )
        )
    undelivered = [c for c in plan.commitments if c.status == "pending"]
    if undelivered:
        blocks.append(context(t().undelivered(undelivered)))
    return _modal(
        Callback.PDP_REFLECTION,
        t().reflection_title(),
        blocks,
        meta_of(plan),
        t().reflection_submit(),
    )


def build_perspective_view(plan: Plan) -> View:
    blocks: list[Block] = [section(t().perspective_intro(plan.engineer.name))]
    if plan.status == "closed":
        blocks.append(section(t().reflection_so_far(plan.reflection_achieved, plan.goals)))
    blocks.append(
        text_input("perspective", t().quarter_perspective_label(), plan.reflection_manager)
    )
    return _modal(
        Callback.PDP_PERSPECTIVE,
        t().perspective_title(),
        blocks,
        meta_of(plan),
        t().perspective_submit(),
    )
