"""A running PIP, judged by the guide: the checkpoint record ("The Checkpoint Conversation
Structure"), the integrity signals of a managed exit ("Genuine Support, Not a Managed Exit in
Disguise"), what to do when it is not working ("When the PIP Is Not Working") and which
outcomes may be recorded. Pure: it reads plain facts and `today`, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from bot.domain.goals import Finding
from bot.domain.language import find_personality_language
from bot.domain.pip_rules import SHORT_WEEKS, TEXT_LIMIT

Status = Literal["met", "progressing", "not_yet"]
STATUSES: tuple[Status, ...] = ("met", "progressing", "not_yet")
# Support since the last checkpoint: delivered, partly, not delivered (the manager's side),
# or offered and not attended (the engineer's side).
Delivery = Literal["yes", "partly", "no", "not_attended"]
DELIVERIES: tuple[Delivery, ...] = ("yes", "partly", "no", "not_attended")
Outcome = Literal["met_early", "met", "extended", "not_met", "role_fit"]
OUTCOMES: tuple[Outcome, ...] = ("met_early", "met", "extended", "not_met", "role_fit")
_RANK = {"not_yet": 0, "progressing": 1, "met": 2}
ROLE_FIT_AFTER = 3  # the same criterion "not yet" at three checkpoints running
ACKNOWLEDGE_WITHIN = timedelta(weeks=1)
NOT_ATTENDED_LIMIT = 2


def _error(code: str, field: str, index: int | None = None, **params: str) -> Finding:
    return Finding(code, "error", field, index, dict(params))


def _warning(code: str, field: str, index: int | None = None, **params: str) -> Finding:
    return Finding(code, "warning", field, index, dict(params))


# --- one checkpoint ---------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    status: str | None
    evidence: str


@dataclass(frozen=True)
class Delivered:
    delivery: str | None
    reason: str = ""


@dataclass(frozen=True)
class CheckpointForm:
    """The manager's checkpoint modal, in the guide's order: per criterion the evidence and
    a status; what is working; what still needs work; per support item whether it was
    delivered; adjustments to support; what the next checkpoint covers."""

    assessments: tuple[Assessment, ...]
    working: str
    needs_work: str
    deliveries: tuple[Delivered, ...]
    adjustments: str
    next_focus: str

    def texts(self) -> dict[str, str]:
        return {
            "working": self.working,
            "needs_work": self.needs_work,
            "adjustments": self.adjustments,
            "next_focus": self.next_focus,
        }


def check_checkpoint(form: CheckpointForm, is_final: bool = False) -> list[Finding]:
    """Errors: a criterion without a status or evidence, a support item without its delivery,
    support not (fully) delivered without a reason, "what still needs work" empty while a
    criterion is not met, no next focus (except at the final review). Warnings: personality
    language; nothing named as working while a criterion moved or is met."""
    findings: list[Finding] = []
    for index, item in enumerate(form.assessments):
        if item.status not in STATUSES:
            findings.append(_error("missing_status", "status", index))
        if not item.evidence.strip():
            findings.append(_error("missing_assessment_evidence", "evidence", index))
    for index, done in enumerate(form.deliveries):
        if done.delivery not in DELIVERIES:
            findings.append(_error("missing_delivery", "delivery", index))
        elif done.delivery != "yes" and not done.reason.strip():
            findings.append(_error("delivery_reason_needed", "delivery_reason", index))
    unmet = any(a.status in ("progressing", "not_yet") for a in form.assessments)
    if unmet and not form.needs_work.strip():
        findings.append(_error("missing_needs_work", "needs_work"))
    if not is_final and not form.next_focus.strip():
        findings.append(_error("missing_next_focus", "next_focus"))
    for name, text in form.texts().items():
        if len(text) > TEXT_LIMIT:
            findings.append(_error("too_long", name, limit=str(TEXT_LIMIT)))
        phrases = find_personality_language(text)
        if phrases:
            findings.append(_warning("personality", name, phrase=phrases[0]))
    moved = any(a.status in ("met", "progressing") for a in form.assessments)
    if moved and not form.working.strip():
        findings.append(_warning("nothing_recognised", "working"))
    return findings


# --- the facts a signal reads -------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointFacts:
    """One scheduled checkpoint: when it was due, when it became overdue, and (if recorded)
    when, the status per criterion position, the delivery per support position, whether an
    adjustment to support was written, and whether anything was named as working."""

    number: int
    due_on: date
    overdue_on: date
    recorded_on: date | None = None
    statuses: tuple[str, ...] = ()
    deliveries: tuple[str, ...] = ()
    adjusted: bool = False
    recognised: bool = False


@dataclass(frozen=True)
class PipFacts:
    start_on: date
    end_on: date
    weeks: int
    earlier_iterations: int
    checkpoints: tuple[CheckpointFacts, ...]
    opened_on: date | None = None  # when the engineer was sent the plan
    acknowledged_on: date | None = None  # "I have received this"
    criteria_unagreed: int = 0  # criteria changed since the engineer last agreed to them
    criteria_positions: tuple[int, ...] = field(default_factory=tuple)


def recorded(facts: PipFacts) -> list[CheckpointFacts]:
    return [c for c in facts.checkpoints if c.recorded_on is not None]


def missed(facts: PipFacts, today: date) -> list[CheckpointFacts]:
    """Scheduled checkpoints not recorded, and now overdue."""
    return [c for c in facts.checkpoints if c.recorded_on is None and today >= c.overdue_on]


def late(facts: PipFacts) -> list[CheckpointFacts]:
    return [c for c in recorded(facts) if c.recorded_on and c.recorded_on >= c.overdue_on]


def support_delivery_rate(facts: PipFacts) -> tuple[int, int, int]:
    """(delivered in full, partly delivered, owed) support sessions over the recorded
    checkpoints. "Offered, not attended" counts as delivered: it was offered."""
    full = partly = owed = 0
    for checkpoint in recorded(facts):
        for delivery in checkpoint.deliveries:
            owed += 1
            full += delivery in ("yes", "not_attended")
            partly += delivery == "partly"
    return full, partly, owed


def undelivered_without_adjustment(facts: PipFacts) -> list[CheckpointFacts]:
    """Checkpoints where support was not (fully) delivered and no adjustment to support was
    recorded then or at any later checkpoint: the organisation has not met its part."""
    done = recorded(facts)
    return [
        c
        for i, c in enumerate(done)
        if any(d in ("no", "partly") for d in c.deliveries)
        and not any(later.adjusted for later in done[i:])
    ]


def unrecognised_progress(facts: PipFacts) -> int:
    """Checkpoints in which a criterion moved up (or was met) and nothing was named as
    working."""
    count, previous = 0, None
    for checkpoint in recorded(facts):
        moved = any(
            _RANK.get(s, 0) > _RANK.get(previous[i] if previous and i < len(previous) else "", 0)
            or s == "met"
            for i, s in enumerate(checkpoint.statuses)
        )
        if moved and not checkpoint.recognised:
            count += 1
        previous = checkpoint.statuses
    return count


# --- integrity signals --------------------------------------------------------------------


@dataclass(frozen=True)
class Signal:
    """An integrity signal: `code` names the prompts/pip/signals text; `params` its values."""

    code: str
    params: dict[str, str] = field(default_factory=dict)


def integrity_signals(facts: PipFacts, today: date) -> list[Signal]:
    """The signals of a managed exit, in a fixed order: checkpoints missed, checkpoints late,
    support delivery under 100%, progress unrecognised at two or more checkpoints, criteria
    changed without the engineer agreeing again, a timeline under six weeks, no earlier
    documented conversation."""
    signals: list[Signal] = []
    if missing := missed(facts, today):
        signals.append(Signal("checkpoints_missed", {"count": str(len(missing))}))
    if slow := late(facts):
        signals.append(Signal("checkpoints_late", {"count": str(len(slow))}))
    full, partly, owed = support_delivery_rate(facts)
    if owed and full < owed:
        percent = str((200 * full + 100 * partly) // (2 * owed))
        params = {"delivered": str(full), "partly": str(partly), "owed": str(owed)}
        signals.append(Signal("support_not_delivered", {**params, "percent": percent}))
    if (unrecognised := unrecognised_progress(facts)) >= 2:
        signals.append(Signal("progress_unrecognised", {"count": str(unrecognised)}))
    if facts.criteria_unagreed:
        signals.append(Signal("criteria_unagreed", {"count": str(facts.criteria_unagreed)}))
    if facts.weeks < SHORT_WEEKS:
        signals.append(Signal("short_timeline", {"weeks": str(facts.weeks)}))
    if facts.earlier_iterations == 0:
        signals.append(Signal("no_earlier_conversation"))
    return signals


# --- when the PIP is not working ------------------------------------------------------------


def not_working(facts: PipFacts, today: date) -> list[Signal]:
    """The guide's three causes, each once: "role_fit" (one criterion "not yet" at three
    checkpoints running), "engagement" (no acknowledgement within a week of opening, or
    support not attended twice), "hr_should_engage" (the manager has not delivered support)."""
    found: list[Signal] = []
    runs: dict[int, int] = {}
    role_fit = False
    for checkpoint in recorded(facts):
        for index, status in enumerate(checkpoint.statuses):
            runs[index] = runs.get(index, 0) + 1 if status == "not_yet" else 0
            role_fit = role_fit or runs[index] >= ROLE_FIT_AFTER
    if role_fit:
        found.append(Signal("role_fit"))
    unacknowledged = (
        facts.opened_on is not None
        and facts.acknowledged_on is None
        and today >= facts.opened_on + ACKNOWLEDGE_WITHIN
    )
    not_attended = sum(c.deliveries.count("not_attended") for c in recorded(facts))
    if unacknowledged or not_attended >= NOT_ATTENDED_LIMIT:
        found.append(Signal("engagement"))
    if undelivered_without_adjustment(facts):
        found.append(Signal("hr_should_engage"))
    return found


# --- outcomes -------------------------------------------------------------------------


def all_met_at_last(facts: PipFacts) -> bool:
    done = recorded(facts)
    return bool(done) and bool(done[-1].statuses) and all(s == "met" for s in done[-1].statuses)


def outcome_refusal(
    outcome: str, facts: PipFacts, today: date, new_end: date | None = None
) -> str | None:
    """Why `outcome` may not be recorded today (a prompts/pip/refusals code), or None.

    - met_early: every criterion met at the latest checkpoint, before the end date;
    - met: every criterion met at the latest checkpoint, on or after the end date;
    - extended: a new end date after the current one;
    - not_met: never while a support item was missed without a recorded adjustment or a
      checkpoint was skipped (the guide: "the organisation failed its part"; these reasons
      come first, whatever the date), and only on or after the end date;
    - role_fit: any time."""
    if outcome not in OUTCOMES:
        return "unknown_outcome"
    if outcome in ("met_early", "met"):
        if not all_met_at_last(facts):
            return "criteria_not_all_met"
        if outcome == "met_early" and today >= facts.end_on:
            return "not_early"
        if outcome == "met" and today < facts.end_on:
            return "met_before_end"
    if outcome == "extended" and (new_end is None or new_end <= facts.end_on):
        return "extension_not_later"
    if outcome == "not_met":
        if undelivered_without_adjustment(facts):
            return "support_missed"
        ended = today >= facts.end_on
        unrecorded = any(c.recorded_on is None for c in facts.checkpoints)
        if missed(facts, today) or (ended and unrecorded):
            return "checkpoints_skipped"
        if not ended:
            return "not_met_before_end"
    return None
