"""A PIP's opening rules (the guide's "When a PIP Is Appropriate", "How to Run a PIP With
Integrity" and "Characteristics of a Genuine Improvement PIP"): the five preconditions, the
performance / conduct / capability classification, the plan's concerns, criteria, timeline,
checkpoint frequency, consequence and named support, and the checkpoint schedule.

Pure: standard library and bot.domain only. Findings are goals.Finding values: an "error"
saves nothing; a "warning" is shown once next to its field and accepted on a resubmission."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from bot.domain.goals import Finding, is_generic_commitment
from bot.domain.language import classify_expectation, find_personality_language, rewrite_topic

TEXT_LIMIT = 3000  # Slack's limit for a plain_text_input
# The guide: "six to twelve weeks is typical; less than that is usually too short", and
# "Eight to twelve weeks allows for meaningful observation".
DEFAULT_WEEKS = 8
SHORT_WEEKS = 6  # under six weeks: a written justification (and an integrity signal)
LONG_WEEKS = 12  # over twelve weeks: a written justification
FLOOR_WEEKS = 4  # under four weeks nothing can be demonstrated: refused outright
CEILING_WEEKS = 26
WEEKLY_UP_TO_WEEKS = 8  # the guide: "Weekly for shorter PIPs, fortnightly for longer ones"
FIRST_HONEST_BELOW = 2  # fewer earlier iterations: the PIP would be the first honest conversation
MAX_CRITERIA = 10  # each "Add" adds a block or three; far under Slack's 100 per modal
MAX_SUPPORT = 10
MAX_CONCERNS = 10

WorkingDay = Callable[[date], bool]
Classification = Literal["performance", "conduct", "capability"]
CLASSIFICATIONS: tuple[Classification, ...] = ("performance", "conduct", "capability")
Frequency = Literal["weekly", "fortnightly"]
FREQUENCIES: tuple[Frequency, ...] = ("weekly", "fortnightly")
# The guide's five conditions, in its order.
PRECONDITIONS: tuple[str, ...] = (
    "gap_persistent",
    "expectations_explicit",
    "earlier_conversations",
    "performance_matter",
    "support_available",
)
# What a non-performance matter goes to instead (the guide, condition 4).
OTHER_PROCESS: dict[str, str] = {"conduct": "conduct_process", "capability": "redeployment"}


def _error(code: str, field: str, index: int | None = None, **params: str) -> Finding:
    return Finding(code, "error", field, index, dict(params))


def _warning(code: str, field: str, index: int | None = None, **params: str) -> Finding:
    return Finding(code, "warning", field, index, dict(params))


# --- the five preconditions ------------------------------------------------------------


@dataclass(frozen=True)
class Preconditions:
    """The preconditions modal: each condition confirmed, with its evidence written down.

    `earlier_iterations` is not typed by the manager: it is the number of early-intervention
    conversations recorded about the engineer (bot/services/pips reads it)."""

    confirmed: frozenset[str]
    gap_evidence: str
    expectations_evidence: str
    conversations_evidence: str
    classification: str | None
    support_evidence: str
    justification: str = ""  # why a PIP now, when it would be the first honest conversation
    hr_user_id: str | None = None

    def texts(self) -> dict[str, str]:
        return {
            "gap_evidence": self.gap_evidence,
            "expectations_evidence": self.expectations_evidence,
            "conversations_evidence": self.conversations_evidence,
            "support_evidence": self.support_evidence,
            "justification": self.justification,
        }


def is_first_honest_conversation(earlier_iterations: int) -> bool:
    """Fewer than two recorded early conversations: the guide's failure, where the formal
    process is "the first honest conversation the engineer has had"."""
    return earlier_iterations < FIRST_HONEST_BELOW


def route(classification: str | None) -> str:
    """ "pip" for a performance matter; "conduct_process" or "redeployment" otherwise (the
    guide, condition 4: a different process applies and the PIP stops)."""
    return OTHER_PROCESS.get(classification or "", "pip")


def check_preconditions(form: Preconditions, earlier_iterations: int) -> list[Finding]:
    """Errors: a condition not confirmed, its evidence missing, no classification, no HR
    person, or no justification for a PIP that would be the first honest conversation.
    A conduct or capability classification is not an error: route() stops the PIP."""
    findings: list[Finding] = []
    if form.classification not in CLASSIFICATIONS:
        findings.append(_error("missing_classification", "classification"))
    if route(form.classification) != "pip":
        return findings  # nothing else matters: a different process applies
    for condition in PRECONDITIONS:
        if condition not in form.confirmed:
            findings.append(_error("unconfirmed", "confirmed", condition=condition))
    for name in ("gap_evidence", "expectations_evidence", "support_evidence"):
        if not getattr(form, name).strip():
            findings.append(_error(f"missing_{name}", name))
    if not form.hr_user_id:
        findings.append(_error("missing_hr", "hr_user"))
    first = is_first_honest_conversation(earlier_iterations)
    if first and not form.justification.strip():
        findings.append(
            _error("justification_needed", "justification", count=str(earlier_iterations))
        )
    for name, text in form.texts().items():
        if len(text) > TEXT_LIMIT:
            findings.append(_error("too_long", name, limit=str(TEXT_LIMIT)))
    for name in ("gap_evidence", "expectations_evidence"):
        phrases = find_personality_language(getattr(form, name))
        if phrases:
            findings.append(_warning("personality", name, phrase=phrases[0]))
    return findings


# --- the plan itself --------------------------------------------------------------------


@dataclass(frozen=True)
class ConcernItem:
    concern: str
    evidence: str


@dataclass(frozen=True)
class SupportItem:
    """Named support: what, who provides it, how often. Each is tracked at every checkpoint."""

    what: str
    who: str
    how_often: str


@dataclass(frozen=True)
class PlanForm:
    concerns: tuple[ConcernItem, ...]
    criteria: tuple[str, ...]
    start_on: date | None
    weeks: int | None
    timeline_justification: str
    frequency: str | None
    frequency_reason: str
    consequence: str
    support: tuple[SupportItem, ...] = field(default_factory=tuple)


def default_frequency(weeks: int) -> Frequency:
    """Weekly up to eight weeks, fortnightly beyond (the guide's checkpoint section)."""
    return "weekly" if weeks <= WEEKLY_UP_TO_WEEKS else "fortnightly"


def end_date(start_on: date, weeks: int) -> date:
    return start_on + timedelta(weeks=weeks)


def check_plan(form: PlanForm, today: date) -> list[Finding]:
    """Errors (nothing is saved) and warnings (shown once). Concerns need evidence and no
    personality language; criteria must exist and be objectively assessable (personality
    language is an error, an unobservable criterion a warning); the timeline, frequency,
    consequence and support as the guide asks."""
    findings = _concern_findings(form) + _criteria_findings(form)
    findings += _timeline_findings(form, today) + _support_findings(form)
    if not form.consequence.strip():
        findings.append(_error("missing_consequence", "consequence"))
    elif len(form.consequence) > TEXT_LIMIT:
        findings.append(_error("too_long", "consequence", limit=str(TEXT_LIMIT)))
    return findings


def _concern_findings(form: PlanForm) -> list[Finding]:
    items = [c for c in form.concerns if c.concern.strip() or c.evidence.strip()]
    if not items:
        return [_error("missing_concerns", "concern", 0)]
    findings: list[Finding] = []
    for index, item in enumerate(form.concerns):
        if not (item.concern.strip() or item.evidence.strip()):
            continue
        if not item.concern.strip():
            findings.append(_error("missing_concern_text", "concern", index))
        if not item.evidence.strip():
            findings.append(_error("missing_evidence", "evidence", index))
        phrases = find_personality_language(item.concern)
        if phrases:
            findings.append(_error("personality_concern", "concern", index, phrase=phrases[0]))
        if max(len(item.concern), len(item.evidence)) > TEXT_LIMIT:
            findings.append(_error("too_long", "concern", index, limit=str(TEXT_LIMIT)))
    return findings


def _criteria_findings(form: PlanForm) -> list[Finding]:
    criteria = [c for c in form.criteria if c.strip()]
    if not criteria:
        return [_error("missing_criteria", "criterion", 0)]
    findings: list[Finding] = []
    for index, text in enumerate(form.criteria):
        if not text.strip():
            continue
        if len(text) > TEXT_LIMIT:
            findings.append(_error("too_long", "criterion", index, limit=str(TEXT_LIMIT)))
            continue
        phrases = find_personality_language(text)
        if phrases:
            findings.append(_error("personality_criterion", "criterion", index, phrase=phrases[0]))
        elif classify_expectation(text) == "unobservable":
            topic = rewrite_topic(text)
            findings.append(_warning("unassessable_criterion", "criterion", index, topic=topic))
    return findings


def timeline_weeks_finding(weeks: int | None, justification: str) -> Finding | None:
    """The timeline rule alone: none, under four or over 26 weeks refused; under six or over
    twelve weeks refused without a written justification."""
    if weeks is None:
        return _error("missing_weeks", "weeks")
    if weeks < FLOOR_WEEKS or weeks > CEILING_WEEKS:
        return _error("weeks_out_of_range", "weeks", weeks=str(weeks))
    if (weeks < SHORT_WEEKS or weeks > LONG_WEEKS) and not justification.strip():
        return _error("timeline_justification_needed", "timeline_justification", weeks=str(weeks))
    return None


def _timeline_findings(form: PlanForm, today: date) -> list[Finding]:
    findings: list[Finding] = []
    if form.start_on is None:
        findings.append(_error("missing_start", "start_on"))
    elif form.start_on < today:
        findings.append(_error("start_in_past", "start_on"))
    weeks = timeline_weeks_finding(form.weeks, form.timeline_justification)
    if weeks is not None:
        findings.append(weeks)
    if form.frequency not in FREQUENCIES:
        findings.append(_error("missing_frequency", "frequency"))
    elif (
        form.weeks is not None
        and form.frequency != default_frequency(form.weeks)
        and not form.frequency_reason.strip()
    ):
        findings.append(_error("frequency_reason_needed", "frequency_reason"))
    return findings


def _support_findings(form: PlanForm) -> list[Finding]:
    items = [s for s in form.support if s.what.strip() or s.who.strip() or s.how_often.strip()]
    if not items:
        return [_error("missing_support", "support_what", 0)]
    findings: list[Finding] = []
    for index, item in enumerate(form.support):
        if not (item.what.strip() or item.who.strip() or item.how_often.strip()):
            continue
        for part in ("what", "who", "how_often"):
            if not getattr(item, part).strip():
                findings.append(_error(f"missing_support_{part}", f"support_{part}", index))
        if item.what.strip() and is_generic_commitment(f"{item.what} with {item.who}"):
            findings.append(_warning("support_generic", "support_what", index))
    return findings


# --- the checkpoint schedule -------------------------------------------------------------


def checkpoint_dates(
    start_on: date, end_on: date, frequency: str, working_day: WorkingDay
) -> list[date]:
    """Every checkpoint from the start: one or two weeks apart, each on the manager's next
    working day, the last on (or after) the end date, which is the final review. A date
    moved past the next one is dropped."""
    step = timedelta(weeks=1 if frequency == "weekly" else 2)
    raw: list[date] = []
    day = start_on + step
    while day < end_on:
        raw.append(day)
        day += step
    raw.append(end_on)
    dates: list[date] = []
    for wanted in raw:
        moved = _next_working(wanted, working_day)
        if not dates or moved > dates[-1]:
            dates.append(moved)
    return dates


def _next_working(day: date, working_day: WorkingDay) -> date:
    for _ in range(30):
        if working_day(day):
            return day
        day += timedelta(days=1)
    return day


def overdue_on(due_on: date, working_day: WorkingDay, grace: int = 2) -> date:
    """The day a checkpoint not recorded since `due_on` becomes overdue: after two working
    days (the issue: "not recorded within two working days of its date")."""
    day, left = due_on, grace
    for _ in range(60):
        day += timedelta(days=1)
        if working_day(day):
            left -= 1
            if left == 0:
                return day + timedelta(days=1)
    return day
