"""The PDP template's rules beyond single goals: the draft as a whole and the manager's part."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.domain.cadence import is_long_period
from bot.domain.goals import Finding, GoalDraft, check_commitment, check_goals
from bot.domain.periods import EDITABLE

TEXT_LIMIT = 3000  # Slack's limit for a plain_text_input
MAX_COMMITMENTS = 5
REQUIRED_TEXTS = ("strengths", "difficulties", "aspiration")
GOAL_PROGRESS = ("not_started", "on_track", "at_risk", "done")
# How a goal ended, in the engineer's reflection; only an unfinished goal is carried forward.
END_STATES = ("achieved", "partly", "not_achieved", "dropped")
UNFINISHED = ("partly", "not_achieved")


def initial_end_state(progress: str, end_state: str | None) -> str | None:
    """What the reflection modal starts from: what was chosen, or "achieved" for a goal the
    reviews marked done; nothing otherwise (the engineer decides)."""
    return end_state or ("achieved" if progress == "done" else None)


def to_carry(end_states: dict[int, str], ticked: list[int]) -> set[int]:
    """The goals carried into next quarter: ticked and unfinished, never achieved or dropped."""
    return {goal for goal in ticked if end_states.get(goal) in UNFINISHED}


@dataclass(frozen=True)
class DraftForm:
    manager_user_id: str | None
    period_start: date | None
    period_end: date | None
    review_dates: dict[str, date | None]  # periods.agreed_key -> date
    strengths: str = ""
    difficulties: str = ""
    aspiration: str = ""
    target_role: str = ""
    goals: list[GoalDraft] = field(default_factory=list)

    def texts(self) -> dict[str, str]:
        return {
            "strengths": self.strengths,
            "difficulties": self.difficulties,
            "aspiration": self.aspiration,
            "target_role": self.target_role,
        }


@dataclass(frozen=True)
class ManagerFacts:
    """What we know of the person picked as manager."""

    is_self: bool
    is_bot: bool
    is_deleted: bool


@dataclass(frozen=True)
class CommitmentDraft:
    text: str
    due_date: date | None = None


@dataclass(frozen=True)
class ManagerForm:
    perspective: str
    goal_comments: list[str]
    commitments: list[CommitmentDraft]


def error(code: str, field_name: str, index: int | None = None, **params: str) -> Finding:
    return Finding(code, "error", field_name, index, dict(params))


def warning(code: str, field_name: str, index: int | None = None, **params: str) -> Finding:
    return Finding(code, "warning", field_name, index, dict(params))


def check_draft(form: DraftForm, today: date, manager: ManagerFacts | None) -> list[Finding]:
    findings = _manager_problems(manager)
    findings += _period_problems(form, today)
    findings += _text_problems(form)
    if not any(goal.outcome.strip() for goal in form.goals):
        findings.append(error("no_goals", "outcome", 0))
    if form.period_start and form.period_end and form.period_start < form.period_end:
        findings += check_goals(form.goals, form.period_start, form.period_end, today)
    findings += _goal_lengths(form.goals)
    return findings


def _manager_problems(manager: ManagerFacts | None) -> list[Finding]:
    if manager is None:
        return [error("missing_manager", "manager")]
    if manager.is_self:
        return [error("manager_is_self", "manager")]
    if manager.is_bot:
        return [error("manager_is_bot", "manager")]
    if manager.is_deleted:
        return [error("manager_inactive", "manager")]
    return []


def _period_problems(form: DraftForm, today: date) -> list[Finding]:
    start, end = form.period_start, form.period_end
    if start is None:
        return [error("missing_period", "period_start")]
    if end is None:
        return [error("missing_period", "period_end")]
    if end <= start:
        return [error("period_backwards", "period_end")]
    if end < today:
        return [error("period_over", "period_end", today=today.isoformat())]
    findings: list[Finding] = []
    if is_long_period(start, end):
        findings.append(warning("period_long", "period_end", days=str((end - start).days + 1)))
    previous: tuple[str, date] | None = None
    for key in EDITABLE:
        on = form.review_dates.get(key)
        if on is None:
            continue
        where = f"review_{key}"
        if not start <= on <= end:
            findings.append(
                error("review_outside_period", where, start=start.isoformat(), end=end.isoformat())
            )
        elif on < today:
            findings.append(error("review_in_past", where, today=today.isoformat()))
        elif previous is not None and on <= previous[1]:
            findings.append(error("review_out_of_order", where, earlier=previous[0]))
        previous = (key, on)
    return findings


def _text_problems(form: DraftForm) -> list[Finding]:
    findings: list[Finding] = []
    for name, text in form.texts().items():
        if name in REQUIRED_TEXTS and not text.strip():
            findings.append(error("missing_text", name))
        elif len(text) > TEXT_LIMIT:
            findings.append(error("too_long", name, limit=str(TEXT_LIMIT), length=str(len(text))))
    return findings


def _goal_lengths(goals: list[GoalDraft]) -> list[Finding]:
    findings: list[Finding] = []
    for index, goal in enumerate(goals):
        for name in ("outcome", "success", "how", "support", "capability_ref"):
            text = getattr(goal, name)
            if len(text) > TEXT_LIMIT:
                findings.append(
                    error("too_long", name, index, limit=str(TEXT_LIMIT), length=str(len(text)))
                )
    return findings


def check_manager_form(form: ManagerForm, today: date, period_end: date) -> list[Finding]:
    findings: list[Finding] = []
    filled = [(i, c) for i, c in enumerate(form.commitments) if c.text.strip() or c.due_date]
    if not filled:
        findings += check_commitment("", 0)
    for index, commitment in filled:
        findings += check_commitment(commitment.text, index)
        due = commitment.due_date
        if due is not None and due < today:
            findings.append(error("due_in_past", "commitment_due", index, today=today.isoformat()))
        elif due is not None and due > period_end:
            findings.append(
                error("due_after_period", "commitment_due", index, end=period_end.isoformat())
            )
        if len(commitment.text) > TEXT_LIMIT:
            findings.append(error("too_long", "commitment", index, limit=str(TEXT_LIMIT)))
    texts: list[tuple[str, int | None, str]] = [("perspective", None, form.perspective)]
    texts += [("comment", i, c) for i, c in enumerate(form.goal_comments)]
    for name, position, text in texts:
        if len(text) > TEXT_LIMIT:
            findings.append(error("too_long", name, position, limit=str(TEXT_LIMIT)))
    return findings


def errors_of(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def warnings_of(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "warning"]


def fingerprint(*parts: object) -> str:
    """A stable digest of what was submitted, so an unchanged resubmission accepts warnings."""
    import hashlib

    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
