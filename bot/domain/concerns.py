"""Early-intervention conversations (the guide's "bridge between PDP and PIP"): what a record
of one needs, when its follow-up falls, and what the guide says after each iteration. Pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.domain import standards_lexicon
from bot.domain.goals import Finding, is_generic_commitment
from bot.domain.language import classify_expectation, find_personality_language, rewrite_topic

TEXT_LIMIT = 3000  # Slack's limit for a plain_text_input
FOLLOW_UP_AFTER = timedelta(weeks=4)  # the guide: "let's revisit this in four weeks"
# The guide: "after two or three iterations of this conversation and support" a formal
# process may be warranted; never before the second.
FORMAL_AFTER = 2
QUOTE_LIMIT = 60  # a warning quotes the text it is about only when it is short

ContextKind = Literal["system", "personal", "performance"]
CONTEXT_KINDS: tuple[ContextKind, ...] = ("system", "personal", "performance")
Outcome = Literal["resolved", "another", "formal"]
OUTCOMES: tuple[Outcome, ...] = ("resolved", "another", "formal")
Advice = Literal["expect_iterations", "formal_may_be_warranted"]
WorkingDay = Callable[[date], bool]


@dataclass(frozen=True)
class ConversationForm:
    """One early-intervention conversation as the manager records it."""

    held_on: date | None
    concern: str
    context_kind: str | None
    context_notes: str
    expectation: str
    support: str
    follow_up_on: date | None
    recap: bool = False

    def texts(self) -> dict[str, str]:
        return {
            "concern": self.concern,
            "context_notes": self.context_notes,
            "expectation": self.expectation,
            "support": self.support,
        }


@dataclass(frozen=True)
class ConcernStart:
    """What the conversation modal opens with: about whom, which conversation of which thread,
    and the form's first values."""

    engineer_id: int
    engineer_name: str
    engineer_user_id: str
    thread_id: int | None  # the open thread this conversation continues
    number: int  # which conversation of the thread this will be
    opened_on: date | None  # when the open thread began
    form: ConversationForm


def default_follow_up(held_on: date, today: date, working_day: WorkingDay) -> date:
    """Four weeks after the conversation, on the manager's next working day, and never in the
    past (a conversation recorded late still gets a follow-up ahead)."""
    day = max(held_on + FOLLOW_UP_AFTER, today + timedelta(days=1))
    for _ in range(30):
        if working_day(day):
            return day
        day += timedelta(days=1)
    return day


def advice_at_follow_up(iteration: int) -> Advice:
    """What the guide says when the conversation numbered `iteration` is followed up without
    sufficient change: before the second, expect two or three; from the second, a formal
    process may be warranted."""
    return "formal_may_be_warranted" if iteration >= FORMAL_AFTER else "expect_iterations"


def formal_process_may_be_warranted(iteration: int, follow_up_on: date, today: date) -> bool:
    """From the follow-up of the second conversation on, and not before it is due."""
    due = today >= follow_up_on
    return due and advice_at_follow_up(iteration) == "formal_may_be_warranted"


def _error(code: str, field: str, **params: str) -> Finding:
    return Finding(code, "error", field, None, dict(params))


def _warning(code: str, field: str, **params: str) -> Finding:
    return Finding(code, "warning", field, None, dict(params))


def check_conversation(
    form: ConversationForm, today: date, working_day: WorkingDay
) -> list[Finding]:
    """Errors (nothing is saved) and warnings (shown once, next to their field)."""
    findings = _date_errors(form, today, working_day)
    for name in ("concern", "expectation"):
        if not getattr(form, name).strip():
            findings.append(_error(f"missing_{name}", name))
    if form.context_kind is not None and form.context_kind not in CONTEXT_KINDS:
        findings.append(_error("unknown_context", "context_kind"))
    for name, text in form.texts().items():
        if len(text) > TEXT_LIMIT:
            findings.append(_error("too_long", name, limit=str(TEXT_LIMIT), length=str(len(text))))
    return findings + _language_warnings(form)


def _date_errors(form: ConversationForm, today: date, working_day: WorkingDay) -> list[Finding]:
    findings: list[Finding] = []
    held, follow_up = form.held_on, form.follow_up_on
    if held is None:
        findings.append(_error("missing_held_on", "held_on"))
    elif held > today:
        findings.append(_error("held_in_future", "held_on", today=today.isoformat()))
    if follow_up is None:
        findings.append(_error("missing_follow_up", "follow_up_on"))
    elif follow_up < today:
        findings.append(_error("follow_up_in_past", "follow_up_on", today=today.isoformat()))
    elif held is not None and follow_up <= held:
        findings.append(_error("follow_up_before_conversation", "follow_up_on"))
    elif not working_day(follow_up):
        findings.append(_error("follow_up_not_working_day", "follow_up_on"))
    return findings


def _language_warnings(form: ConversationForm) -> list[Finding]:
    findings: list[Finding] = []
    for name in ("concern", "expectation", "support"):
        phrases = find_personality_language(getattr(form, name))
        if phrases:
            findings.append(_warning(f"personality_{name}", name, phrase=phrases[0]))
    expectation = form.expectation.strip()
    flagged = {f.field for f in findings}
    vague = expectation and classify_expectation(expectation) == "unobservable"
    if vague and "expectation" not in flagged:
        weeks = _weeks_between(form.held_on, form.follow_up_on)
        quoted = expectation if len(expectation) <= QUOTE_LIMIT else ""
        params = {"text": quoted, "topic": rewrite_topic(expectation), "weeks": weeks}
        findings.append(_warning("unobservable", "expectation", **params))
    if not form.support.strip():
        findings.append(_warning("support_missing", "support"))
    elif "support" not in flagged and is_generic_commitment(form.support):
        findings.append(_warning("support_generic", "support"))
    detail = find_personal_detail(form.context_notes)
    if detail:
        findings.append(_warning("context_detail", "context_notes", word=detail[0]))
    return findings


def _weeks_between(start: date | None, end: date | None) -> str:
    if start is None or end is None or end <= start:
        return "four"
    weeks = max(1, round((end - start).days / 7))
    names = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return names[weeks - 1] if weeks <= len(names) else str(weeks)


def find_personal_detail(text: str) -> list[str]:
    """Health, family and similar detail that a note should not record: the guide's note says
    only that a personal circumstance was shared."""
    lowered = " ".join(text.lower().split())
    return [m.group(0) for m in standards_lexicon.PERSONAL_DETAIL.finditer(lowered)]
