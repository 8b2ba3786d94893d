"""The App Home tab: the reader's own plan and, for a manager, their team and their promises."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.overdue import draft_waited_too_long, unreviewed_too_long
from bot.slack.ids import Action
from bot.slack.payloads import Id
from bot.slack.views.concerns_home import ConcernLine, concern_blocks
from bot.slack.views.hr_home import HR_MIN_BLOCKS, HrHome, hr_blocks
from bot.slack.views.pip_home import PipLine, pip_blocks
from bot.slack.views.roster_home import RosterHome, roster_blocks
from prompts import plain, texts

# Worst case: 8 blocks of the own plan + 5 + REPORTS_PER_PAGE of the team + 13 of the
# manager's promises + 14 of their early-intervention notes = 60 blocks; their own PIPs take
# what is left but HR_MIN_BLOCKS for an HR member's overview, which fits what it is given.
REPORTS_PER_PAGE = 20
GOALS_SHOWN = 3
PLAN_COMMITMENTS_SHOWN = 5
UNDELIVERED_SHOWN = 10
GOAL_CHARS = 200
COMMITMENT_CHARS = 150
NAME_CHARS = 80
TEXT_LIMIT = 3000

PREVIOUS_PAGE = f"{Action.HOME_PAGE}_prev"
NEXT_PAGE = f"{Action.HOME_PAGE}_next"
PAGE_ACTIONS = re.compile(rf"^{Action.HOME_PAGE}_(prev|next)$")
# Home buttons are `mark_delivered_<id>` (action_ids stay unique in the view); the plain
# `mark_delivered` of a reminder message matches too.
MARK_DELIVERED_ACTIONS = re.compile(rf"^{Action.MARK_DELIVERED}(_\d+)?$")


@dataclass(frozen=True)
class GoalLine:
    outcome: str
    progress: str  # "not_started" | "on_track" | "at_risk" | "done"
    target_date: date | None
    carried_count: int = 0  # periods this goal has been carried forward


@dataclass(frozen=True)
class CommitmentLine:
    commitment_id: int
    text: str
    due_date: date | None
    status: str  # "pending" | "delivered" | "withdrawn"
    engineer_name: str = ""  # whose plan it belongs to (for the manager's list)
    reason: str = ""  # why it is not delivered yet, or no longer needed


@dataclass(frozen=True)
class PlanSummary:
    plan_id: int
    status: str  # "draft" | "awaiting_manager" | "awaiting_engineer" | "active" | "closed"
    period_start: date
    period_end: date
    manager_name: str
    goals: list[GoalLine]
    commitments: list[CommitmentLine]
    next_review: date | None
    last_review: date | None


@dataclass(frozen=True)
class ReportLine:
    engineer_name: str
    engineer_user_id: str
    plan_status: str | None  # None: no plan at all; "closed": the last one closed, none since
    next_review: date | None
    overdue_reviews: int  # reviews still unanswered after their nudge
    last_review: date | None
    goals_at_risk: int
    days_unreviewed: int = 0  # days since the last review (or the start), for an active plan
    waiting_since: date | None = None  # the draft came to the manager on this day
    waiting_days: int = 0  # working days it has waited for them since


@dataclass(frozen=True)
class HomeData:
    today: date
    name: str
    own_plan: PlanSummary | None
    is_manager: bool
    reports: list[ReportLine]  # all of them; the builder pages
    undelivered: list[CommitmentLine]  # the manager's own pending commitments, all
    page: int = 0  # 0-based page of reports
    concerns: list[ConcernLine] = field(default_factory=list)  # the reader's own, open
    hr: HrHome | None = None  # the HR overview, for a member of the private HR channel
    roster: RosterHome | None = None  # My manager is…, cadence figures, the cycle (roster_home)
    pips: list[PipLine] = field(default_factory=list)  # the reader's own (engineer, manager, HR)


class OpenPlan(BaseModel):
    plan_id: int | None  # None: no plan yet, open a draft


class CommitmentRef(BaseModel):
    commitment_id: Id


class HomePage(BaseModel):
    page: int = Field(ge=0, le=10_000)


def build_home_view(data: HomeData) -> View:
    blocks = _own_plan_blocks(data)
    if data.is_manager:
        blocks += _team_blocks(data.reports, data.page, data.today)
        blocks += _undelivered_blocks(data.undelivered, data.today)
    blocks += concern_blocks(data.concerns, data.today)  # a former manager may still hold some
    reserved = HR_MIN_BLOCKS if data.hr is not None else 0  # what HR's overview needs at least
    blocks += pip_blocks(data.pips, data.today, budget=100 - len(blocks) - reserved)
    if data.roster is not None:  # the roster's few blocks, kept inside Slack's 100
        blocks += roster_blocks(data.roster)[: max(0, 100 - len(blocks) - reserved)]
    if data.hr is not None:
        blocks += hr_blocks(data.hr, budget=100 - len(blocks))
    return View(type="home", blocks=blocks)


def page_count(reports: int) -> int:
    return max(1, -(-reports // REPORTS_PER_PAGE))


def needs_attention(report: ReportLine) -> bool:
    """A review overdue, no review for over 35 days, or a draft waiting too long for them."""
    return (
        report.overdue_reviews > 0
        or unreviewed_too_long(report.days_unreviewed)
        or (report.waiting_since is not None and draft_waited_too_long(report.waiting_days))
    )


def urgency(report: ReportLine) -> tuple[int, int, date, str]:
    """What needs the manager first (overdue reviews, plans unreviewed for over 35 days, a draft
    waiting too long), then no plan, then plans not yet agreed, then by next review."""
    if needs_attention(report):
        rank = 0
    elif report.plan_status in (None, "closed"):
        rank = 1
    elif report.plan_status in ("awaiting_manager", "awaiting_engineer", "draft"):
        rank = 2
    else:
        rank = 3
    next_review = report.next_review or date.max
    return rank, -report.overdue_reviews, next_review, report.engineer_name.casefold()


# ── the reader's own plan ──────────────────────────────────────────────────


def _own_plan_blocks(data: HomeData) -> list[Block]:
    t = _texts()
    blocks: list[Block] = [_header(t.greeting(_plain(data.name, NAME_CHARS)))]
    plan = data.own_plan
    if plan is None:
        blocks.append(_section(t.no_plan(), _open_plan_button(None)))
        blocks.append(_context(t.no_plan_hint()))
        return blocks
    manager = _user_text(plan.manager_name, NAME_CHARS)
    status = t.plan_status(plan.status, manager, plan.period_start, plan.period_end)
    blocks.append(_section(status, _open_plan_button(plan.plan_id)))
    blocks += _goal_blocks(plan.goals)
    blocks.append(_section(_plan_commitments(plan.commitments, manager, data.today)))
    blocks.append(_context(t.reviews(plan.next_review, plan.last_review, data.today)))
    return blocks


def _open_plan_button(plan_id: int | None) -> ButtonElement:
    label = _texts().open_plan_button(plan_id is not None)
    return _button(label, Action.OPEN_PLAN, OpenPlan(plan_id=plan_id), primary=True)


def _goal_blocks(goals: list[GoalLine]) -> list[Block]:
    t = _texts()
    if not goals:
        return [_section(t.no_goals())]
    blocks: list[Block] = [_section(_goal_text(goal)) for goal in goals[:GOALS_SHOWN]]
    if len(goals) > GOALS_SHOWN:
        blocks.append(_context(t.more_goals(len(goals) - GOALS_SHOWN)))
    return blocks


def _goal_text(goal: GoalLine) -> str:
    outcome = _user_text(goal.outcome, GOAL_CHARS)
    return _texts().goal(outcome, goal.progress, goal.target_date, goal.carried_count)


def _plan_commitments(commitments: list[CommitmentLine], manager: str, today: date) -> str:
    t = _texts()
    if not commitments:
        return f"{t.commitments_heading(manager)}\n{t.no_commitments(manager)}"
    lines = [t.commitments_heading(manager)]
    for c in commitments[:PLAN_COMMITMENTS_SHOWN]:
        lines.append(
            t.commitment(
                _user_text(c.text, COMMITMENT_CHARS),
                c.status,
                c.due_date,
                today,
                _user_text(c.reason, COMMITMENT_CHARS),
            )
        )
    if len(commitments) > PLAN_COMMITMENTS_SHOWN:
        lines.append(t.more_commitments(len(commitments) - PLAN_COMMITMENTS_SHOWN))
    return "\n".join(lines)


# ── a manager's team ───────────────────────────────────────────────────────


def _team_blocks(reports: list[ReportLine], page: int, today: date) -> list[Block]:
    t = _texts()
    overdue = sum(1 for r in reports if needs_attention(r))
    no_plan = sum(1 for r in reports if r.plan_status in (None, "closed"))
    blocks: list[Block] = [
        DividerBlock(),
        _header(t.team_header()),
        _section(t.team_summary(len(reports), overdue, no_plan)),
    ]
    pages = page_count(len(reports))
    page = min(max(page, 0), pages - 1)
    start = page * REPORTS_PER_PAGE
    shown = sorted(reports, key=urgency)[start : start + REPORTS_PER_PAGE]
    blocks += [_section(_report_text(report, today)) for report in shown]
    if pages > 1:
        blocks += _paging_blocks(page, pages)
    return blocks


def _report_text(r: ReportLine, today: date) -> str:
    name = _user_text(r.engineer_name, NAME_CHARS)
    t = _texts()
    row = t.report_row(
        name, r.plan_status, r.next_review, r.overdue_reviews, r.last_review, r.goals_at_risk, today
    )
    flags = []
    if r.plan_status == "active" and unreviewed_too_long(r.days_unreviewed):
        flags.append(t.unreviewed(r.days_unreviewed))
    if r.plan_status == "awaiting_manager" and r.waiting_since is not None:
        flags.append(t.waiting(r.waiting_since, r.waiting_days))
    return "\n".join([row, *flags])


def _paging_blocks(page: int, pages: int) -> list[Block]:
    t = _texts()
    buttons = []
    if page > 0:
        buttons.append(_button(t.previous_page(), PREVIOUS_PAGE, HomePage(page=page - 1)))
    if page < pages - 1:
        buttons.append(_button(t.next_page(), NEXT_PAGE, HomePage(page=page + 1)))
    return [
        _context(t.page_of(page + 1, pages)),
        ActionsBlock(block_id="home_paging", elements=buttons),
    ]


# ── a manager's own commitments ────────────────────────────────────────────


def _undelivered_blocks(commitments: list[CommitmentLine], today: date) -> list[Block]:
    t = _texts()
    pending = sorted(
        (c for c in commitments if c.status == "pending"),
        key=lambda c: (c.due_date or date.max, c.commitment_id),
    )
    blocks: list[Block] = [DividerBlock(), _header(t.undelivered_header())]
    if not pending:
        return [*blocks, _section(t.nothing_undelivered())]
    blocks += [_undelivered_block(c, today) for c in pending[:UNDELIVERED_SHOWN]]
    if len(pending) > UNDELIVERED_SHOWN:
        blocks.append(_context(t.more_undelivered(len(pending) - UNDELIVERED_SHOWN)))
    return blocks


def _undelivered_block(c: CommitmentLine, today: date) -> SectionBlock:
    t = _texts()
    text = t.undelivered(
        _user_text(c.text, GOAL_CHARS),
        _user_text(c.engineer_name, NAME_CHARS),
        c.due_date,
        today,
        _user_text(c.reason, COMMITMENT_CHARS),
    )
    action_id = f"{Action.MARK_DELIVERED}_{c.commitment_id}"
    ref = CommitmentRef(commitment_id=c.commitment_id)
    return _section(text, _button(t.mark_delivered(), action_id, ref))


# ── Block Kit and text helpers ─────────────────────────────────────────────


def _texts() -> Any:
    return texts("views/home")


def _user_text(text: str, limit: int) -> str:
    """One line, at most `limit` characters (ellipsis when cut). The template escapes it for
    mrkdwn, after the cut, so an entity is never cut in half."""
    return _plain(text, limit)


def _plain(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _fit(text: str) -> str:
    # The limits above keep every text far below Slack's; this only guards edited templates.
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def _header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=_plain(plain(text), 150), emoji=True))


def _section(text: str, accessory: ButtonElement | None = None) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=_fit(text)), accessory=accessory)


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=_fit(text))])


def _button(label: str, action_id: str, value: BaseModel, primary: bool = False) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=_plain(plain(label), 75), emoji=True),
        action_id=action_id,
        value=value.model_dump_json(),
        style="primary" if primary else None,
    )
