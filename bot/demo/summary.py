"""The demo's closing screen: the quarter as the manager would read it (prompts sent, reviews
held, commitments delivered, how each plan ended), from what the bot stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from bot.domain.cadence import quarter_bounds
from bot.runtime import Runtime
from prompts import texts
from storage.models import Plan, Prompt, ReviewEntry

CONVERSATIONS = ("goal_setting", "progress_check", "monthly_review", "reflection")
NUDGES = ("checkin_nudge", "draft_waiting")
REMINDERS = ("commitment_reminder",)
NEXT_QUARTER = ("next_quarter",)


@dataclass
class Review:
    kind: str  # goal_setting, progress_check, monthly_review, reflection, or review (ad hoc)
    occurrence: int
    on: date
    answered: list[str]  # who answered: both names means held
    held: bool


@dataclass
class Engineer:
    name: str
    status: str  # the plan's status: closed, active (its period over), ...
    reflected: bool
    carried: int
    reviews: list[Review] = field(default_factory=list)
    commitments: list[tuple[str, str, str]] = field(default_factory=list)  # text, status, why


def manager_summary(runtime: Runtime, team_id: str, manager: str, day: date) -> str:
    """The quarter holding `day`, for the reports of `manager` (a Slack user id)."""
    start, end = quarter_bounds(day)
    counts = {"conversation": 0, "nudge": 0, "reminder": 0, "next_quarter": 0}
    conversations: dict[str, int] = {}
    engineers: list[Engineer] = []
    with runtime.uow() as uow:
        boss = uow.people.get(team_id, manager)
        if boss is None:
            return ""
        plans = uow.session.scalars(
            select(Plan)
            .where(Plan.manager_id == boss.id, Plan.period_start >= start)
            .where(Plan.period_start <= end)
            .order_by(Plan.id)
        ).all()
        for plan in plans:
            prompts = uow.session.scalars(
                select(Prompt).where(Prompt.plan_id == plan.id).order_by(Prompt.planned_on)
            ).all()
            entries = uow.session.scalars(
                select(ReviewEntry).where(ReviewEntry.plan_id == plan.id)
            ).all()
            for prompt in prompts:
                if prompt.status != "sent":
                    continue
                for name, kinds in (
                    ("conversation", CONVERSATIONS),
                    ("nudge", NUDGES),
                    ("reminder", REMINDERS),
                    ("next_quarter", NEXT_QUARTER),
                ):
                    if prompt.kind in kinds:
                        counts[name] += 1
                if prompt.kind in CONVERSATIONS:
                    conversations[prompt.kind] = conversations.get(prompt.kind, 0) + 1
            engineers.append(_engineer(plan, prompts, entries))
    if plans:
        start, end = min(p.period_start for p in plans), max(p.period_end for p in plans)
    return texts("demo/transcript").quarter_summary(
        boss.name, start, end, counts, conversations, engineers
    )


def _engineer(plan: Plan, prompts: Sequence[Prompt], entries: Sequence[ReviewEntry]) -> Engineer:
    names = {plan.engineer_id: plan.engineer.name, plan.manager_id: plan.manager.name}
    reflected = any(e.kind == "reflection" for e in entries)
    engineer = Engineer(
        name=plan.engineer.name,
        status=plan.status,
        reflected=reflected,
        carried=sum(1 for g in plan.goals if g.carry_forward),
    )
    for prompt in prompts:
        if prompt.kind not in CONVERSATIONS or prompt.status not in ("sent", "missed"):
            continue
        answered = [
            names[who]
            for who, at in (
                (plan.engineer_id, prompt.engineer_answered_at),
                (plan.manager_id, prompt.manager_answered_at),
            )
            if at is not None
        ]
        if prompt.kind == "goal_setting":
            held = plan.activated_at is not None
        elif prompt.kind == "reflection":
            held = reflected
        else:
            held = len(answered) == 2
        engineer.reviews.append(
            Review(prompt.kind, prompt.occurrence, prompt.planned_on, answered, held)
        )
    for entry in entries:
        if entry.kind == "review":  # a monthly review the manager ran with /pdp-review
            engineer.reviews.append(
                Review("review", 1, entry.occurred_on, [plan.manager.name], True)
            )
    engineer.reviews.sort(key=lambda r: r.on)
    engineer.commitments = [(c.text, c.status, c.reason) for c in plan.commitments]
    return engineer
