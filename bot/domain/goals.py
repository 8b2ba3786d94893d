"""The guide's goal-quality rules: outcome goals, at most three, specific commitments."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

MAX_GOALS = 3

GoalKind = Literal["outcome", "activity", "vague"]
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class GoalDraft:
    outcome: str
    success: str
    target_date: date | None
    how: str = ""
    support: str = ""
    capability_ref: str = ""


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    field: str
    index: int | None = None
    params: dict[str, str] = dataclasses.field(default_factory=dict)


# --- goal phrasing -----------------------------------------------------------

_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"

# What I can do, how independently, with what observable result.
_CAPABILITY = re.compile(
    r"\b(?:be able to|am able to|i can|they can|so that|such that|until i can"
    r"|to the point where|no longer|independently|unassisted|unaided|unsupervised"
    r"|on (?:my|his|her|their) own|with (?:no|zero)\b"
    r"|without\b(?!\s+(?:missing|skipping|falling|losing|neglecting|dropping|impacting|burning"
    r"|working|sacrificing))"
    r"|and have\b.{0,80}?\b(?:accepted|approved|adopted|cited|merged|signed off|chosen|used)\b)"
)
_MIN_CAPABILITY_WORDS = 6

# Numbers that make a result checkable, even after a vague verb ("improve coverage to 80%").
_METRIC = re.compile(
    rf"\d+\s*%|\b{_NUMBER} consecutive\b|\bzero\b|\bfrom \d+\S* to \d+"
    rf"|\b(?:at least|no more than|fewer than|at most) {_NUMBER}\b"
    rf"|\bwithin {_NUMBER} (?:minutes|hours|working days?)\b"
)

_LEAD_IN = re.compile(
    r"^(?:by [^,]{1,40},\s*)?(?:i(?:\s+|(?=')))?(?:(?:will|'ll|want to|would like to|'d like to"
    r"|plan to|aim to|intend to|am going to|hope to|need to)\b)?\s*(?:to\s+)?"
)

_ACTIVITY_NOUN = (
    r"trainings?|courses?|certifications?|certificates?|certified|conferences?|workshops?"
    r"|bootcamps?|webinars?|tutorials?|books?|talks?|seminars?|meetups?|classes|class"
    r"|lectures?|mooc|exams?|specialisation|specialization|podcasts?|videos?"
    # Programmes a person goes through: being enrolled is not being able to do anything new.
    r"|programmes?|programs?|curricul(?:um|a|ums)|syllabus|masterclass(?:es)?"
    r"|academy|apprenticeships?|degrees?|diplomas?|qualifications?|accreditations?|nanodegrees?"
    r"|learning path|study group|reading group|book club|e-?learning|codelabs?|katas?"
)
_ACTIVITY_WORD = re.compile(rf"\b(?:{_ACTIVITY_NOUN})\b")
# Verbs that are an activity whatever follows them.
_ACTIVITY_VERB = re.compile(
    r"^(?:attend|read|watch|shadow|pair|enrol|enroll|sign up|register|listen to|go to|go on"
    r"|join|study|sit in on|sit|observe|visit|participate in|take part in|audit)\b"
)
# Verbs that make things: "run a workshop" or "give a talk" is not consuming one.
_PRODUCING_VERB = re.compile(
    r"^(?:run|give|deliver|present|teach|write|organi[sz]e|host|lead|facilitate|design|create"
    r"|build|publish|speak|record|mentor|coach)\b"
)

_VAGUE_LEAD = re.compile(
    r"^(?:improve|get (?:better|good|more comfortable) (?:at|with)|learn|become|be\b|work on"
    r"|understand|know more|grow|strengthen|enhance|deepen|broaden|expand|brush up|level up"
    r"|focus on|gain|familiari[sz]e|develop (?:my|a better|better|more|skills|an? understanding"
    r"|understanding|knowledge|expertise)|build (?:my|up|more|better|confidence|skills|knowledge))"
)
_DELIVERY_VERB = re.compile(
    r"^(?:ship|deliver|launch|migrate|release|publish|present|lead|run|own|design|build|write"
    r"|automate|reduce|cut|increase|decrease|resolve|diagnose|fix|mentor|onboard|implement"
    r"|create|establish|introduce|replace|rewrite|deprecate|document|set up|facilitate"
    r"|organi[sz]e|speak|give|host|coach|hire|complete|finish|take ownership|estimate|review"
    r"|refactor|upgrade|roll out|deploy|integrate|optimi[sz]e|speed up|propose|drive|scale)\b"
)
_MIN_DELIVERY_WORDS = 4


def classify_goal(text: str) -> GoalKind:
    phrase = _normalise(text)
    head, tail = _split_statement(phrase)
    if tail and _classify(head) == "vague" and _classify(tail) == "outcome":
        return "outcome"  # "Get better at X: <a measurable statement>" says what "better" means
    return _classify(phrase)


# A colon, or a dash with spaces around it ("multi-region" and "on-call" are not splits).
_STATEMENT_BREAK = re.compile(r"\s*:\s+|\s+[-–—]\s+|\s*[–—]\s*")


def _split_statement(phrase: str) -> tuple[str, str]:
    parts = _STATEMENT_BREAK.split(phrase, maxsplit=1)
    return (parts[0], parts[1].strip()) if len(parts) == 2 else (phrase, "")


def _classify(phrase: str) -> GoalKind:
    if _CAPABILITY.search(phrase) and _word_count(phrase) >= _MIN_CAPABILITY_WORDS:
        return "outcome"
    core = _strip_lead_in(phrase)
    if _is_activity(core):
        return "activity"
    if _METRIC.search(core):
        return "outcome"
    if _VAGUE_LEAD.match(core):
        return "vague"
    if _DELIVERY_VERB.match(core) and _word_count(core) >= _MIN_DELIVERY_WORDS:
        return "outcome"
    return "vague"


def _collapse(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).lstrip("-*• ")


def _normalise(text: str) -> str:
    return _collapse(text).lower().rstrip(".!")


def _word_count(text: str) -> int:
    return len(text.split())


def _strip_lead_in(phrase: str) -> str:
    return _LEAD_IN.sub("", phrase, count=1).strip()


def _is_activity(core: str) -> bool:
    if _ACTIVITY_VERB.match(core):
        return True
    return bool(_ACTIVITY_WORD.search(core)) and not _PRODUCING_VERB.match(core)


# --- which texts the rules can read ----------------------------------------


# The rules above are English. Text in another language gets no phrasing verdict rather than a
# wrong one: a Russian outcome is not "vague" because none of its words are in our lists.
def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ENGLISH_WORDS = _word_set(
    "i i'll i'm me my mine we our us you your the an to of and or in on at by for with without"
    " from into onto over under so that this these those next each every all any is am are be"
    " been being will would can could should must have has had do does it its as than then more"
    " most less least no not own able who which when where how what until before after during"
    " per via get got make lead run ship build write own design improve learn become"
)
_FOREIGN_WORDS = _word_set(
    "de del la las el los le les des du et pour avec sans une un est mis mes meine meinen mit"
    " und der die das ein eine für ohne zu von het een van voor niet il della delle con"
    " sono lo gli em para com sem uma os dos das en por y al su sus tu ich nicht auf je au aux"
)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_MAX_FOREIGN_LETTERS = 0.1


def is_readable(text: str) -> bool:
    """Whether the phrasing rules can judge `text`: English, in the Latin alphabet."""
    letters = _LETTER.findall(text)
    if not letters:
        return False
    foreign = sum(1 for ch in letters if not ("a" <= ch.lower() <= "z"))
    if foreign / len(letters) > _MAX_FOREIGN_LETTERS:
        return False
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    english = sum(1 for w in words if w in _ENGLISH_WORDS or _ACTIVITY_VERB.match(w))
    other = sum(1 for w in words if w in _FOREIGN_WORDS)
    return english > other or (english == other == 0 and _looks_english(words))


def _looks_english(words: list[str]) -> bool:
    """A short text with no function word ("Kubernetes", "Learn Rust"): a known verb first, or
    a single word (a name the rules can still call vague)."""
    first = words[0] if words else ""
    return (
        bool(_DELIVERY_VERB.match(first) or _VAGUE_LEAD.match(first) or _ACTIVITY_VERB.match(first))
        or len(words) == 1
    )


# --- topic: what a goal is about, for a concrete rewrite hint ----------------

_TIME_QUALIFIER = re.compile(
    r"\s+(?:in|by|before|during|this|next|over the next)\s+(?:the\s+)?(?:end of\s+)?"
    r"(?:q[1-4]|h[12]|year|quarter|month|half|week|sprint"
    r"|january|february|march|april|may|june|july|august|september|october|november|december"
    r"|\d{4})\b.*$"
)
_LEADING_VERB = re.compile(
    r"^(?:attend|complete|finish|do|take|read|watch|shadow|pair|enrol in|enroll in|sign up for"
    r"|register for|listen to|go to|go on|study|sit|observe|visit|participate in|take part in"
    r"|join|get|pass|earn|obtain|achieve|start|follow|work through|become)\b\s*"
)
_FILLER = re.compile(
    rf"\b(?:a|an|the|some|my|our|at least|at most|internal|external|online|company|{_NUMBER}|"
    rf"senior engineer|engineer|with \w+)\b"
)
_AFTER_PREPOSITION = re.compile(rf"\b(?:{_ACTIVITY_NOUN}|\w+)\s+(?:on|about|in)\s+(.+)$")

_VAGUE_PREFIX = re.compile(
    r"^(?:improve|get (?:better|good|more comfortable) (?:at|with)|learn more about|learn about"
    r"|learn|know more about|work on|understand|grow|strengthen|enhance|deepen|broaden|expand"
    r"|brush up on|level up|focus on|gain|familiari[sz]e myself with|develop|build)\s+"
    r"(?:my |our |the |a |an |more |up |(?:knowledge|understanding|experience) (?:of|in) )*"
)
_BE_BETTER = re.compile(
    r"^(?:(?:be|become)\s+(?:(a|an)\s+)?(?:better|more|stronger|greater)|grow as (a|an))\s+(.+)$"
)
_TRAILING_VAGUE = re.compile(r"\s+(?:better|more|further|faster|deeply|properly)$")
_ROLE_TOPIC = {
    "communicator": "communication",
    "leader": "leadership",
    "manager": "management",
    "mentor": "mentoring",
    "presenter": "presenting",
    "writer": "writing",
    "listener": "listening",
    "engineer": "engineering",
    "architect": "architecture",
    "reviewer": "code review",
    "teammate": "teamwork",
    "team player": "teamwork",
}


def _original_case(text: str, lowered_fragment: str) -> str:
    original = _collapse(text)
    start = original.lower().find(lowered_fragment)
    if start < 0 or not lowered_fragment:
        return lowered_fragment
    return original[start : start + len(lowered_fragment)]


def _tidy(fragment: str) -> str:
    return " ".join(fragment.strip(" ,.;:").split())


def goal_topic(text: str, kind: GoalKind) -> str:
    core = _TIME_QUALIFIER.sub("", _strip_lead_in(_normalise(text)))
    topic = _activity_topic(core) if kind == "activity" else _vague_topic(core)
    return _original_case(text, topic) if topic in core else topic


def _activity_topic(core: str) -> str:
    rest = _LEADING_VERB.sub("", core, count=1)
    after = _AFTER_PREPOSITION.search(rest)
    if after:
        return _tidy(_FILLER.sub("", after.group(1)))
    return _tidy(_FILLER.sub("", _ACTIVITY_WORD.sub("", rest)))


def _vague_topic(core: str) -> str:
    be_better = _BE_BETTER.match(core)
    if be_better:
        article, grow_article, rest = be_better.groups()
        article = article or grow_article
        if rest in _ROLE_TOPIC:
            return _ROLE_TOPIC[rest]
        if article:
            return f"being {'an' if rest[0] in 'aeiou' else 'a'} {rest}"
        return f"being {rest}"
    return _tidy(_TRAILING_VAGUE.sub("", _VAGUE_PREFIX.sub("", core, count=1)))


_GERUNDS = {
    "read": "reading",
    "watch": "watching",
    "shadow": "shadowing",
    "pair": "pairing",
    "attend": "event",
    "go to": "event",
    "study": "study",
    "observe": "observing",
    "listen to": "listening",
}


def activity_name(text: str) -> str:
    core = _strip_lead_in(_normalise(text))
    noun = _ACTIVITY_WORD.search(core)
    if noun:
        return noun.group(0)
    verb = _ACTIVITY_VERB.match(core)
    return _GERUNDS.get(verb.group(0), "activity") if verb else "activity"


# --- plan-level checks -------------------------------------------------------


def check_goals(
    goals: list[GoalDraft], period_start: date, period_end: date, today: date
) -> list[Finding]:
    filled = [(index, goal) for index, goal in enumerate(goals) if not _is_empty_row(goal)]
    findings: list[Finding] = []
    if len(filled) > MAX_GOALS:
        findings.append(_too_many_goals(len(filled)))
    for index, goal in filled:
        findings += _missing_fields(goal, index)
        findings += _target_date_problems(goal, index, period_start, period_end, today)
        findings += _phrasing_warnings(goal, index)
    return findings


def _is_empty_row(goal: GoalDraft) -> bool:
    texts = (goal.outcome, goal.success, goal.how, goal.support, goal.capability_ref)
    return goal.target_date is None and not any(text.strip() for text in texts)


def _too_many_goals(count: int) -> Finding:
    params = {"count": str(count), "max": str(MAX_GOALS)}
    return Finding("too_many_goals", "error", "goals", None, params)


def _missing_fields(goal: GoalDraft, index: int) -> list[Finding]:
    findings: list[Finding] = []
    if not goal.outcome.strip():
        findings.append(Finding("missing_outcome", "error", "outcome", index))
    if not goal.success.strip():
        findings.append(Finding("missing_success", "error", "success", index))
    if goal.target_date is None:
        findings.append(Finding("missing_target_date", "error", "target_date", index))
    return findings


def _target_date_problems(
    goal: GoalDraft, index: int, period_start: date, period_end: date, today: date
) -> list[Finding]:
    target = goal.target_date
    if target is None:
        return []
    findings: list[Finding] = []
    if not period_start <= target <= period_end:
        params = {"start": period_start.isoformat(), "end": period_end.isoformat()}
        findings.append(Finding("target_outside_period", "error", "target_date", index, params))
    if target < today:
        params = {"today": today.isoformat()}
        findings.append(Finding("target_in_past", "error", "target_date", index, params))
    return findings


def _phrasing_warnings(goal: GoalDraft, index: int) -> list[Finding]:
    if not goal.outcome.strip() or not is_readable(goal.outcome):
        return []
    kind = classify_goal(goal.outcome)
    if kind == "outcome":
        return []
    params = {
        "topic": goal_topic(goal.outcome, kind),
        "target_date": goal.target_date.isoformat() if goal.target_date else "",
    }
    if kind == "activity":
        params["activity"] = activity_name(goal.outcome)
    return [Finding(f"goal_{kind}", "warning", "outcome", index, params)]


# --- manager commitments -----------------------------------------------------

_GENERIC_COMMITMENT = re.compile(
    r"\b(?:support (?:you|your|him|her|them)|help (?:you|where|out|with|wherever|as)"
    r"|be available|be there|(?:give|provide) (?:you )?(?:feedback|support|guidance|help)"
    r"|(?:look|keep an eye) (?:out )?for (?:opportunities|chances)|find (?:you )?opportunities"
    r"|(?:your|his|her|their|\w+'s) (?:development|growth|career|progress)|help you grow"
    r"|do my best|whatever you need"
    r"|as needed|where i can|when (?:possible|i can)|open door|make time|check in|encourage"
    r"|be supportive|back you|make sure you|(?:interesting|good|challenging|new) work)\b"
)
_TIME_WORDS = (
    r"monday|tuesday|wednesday|thursday|friday|mondays|tuesdays|wednesdays|thursdays|fridays"
    r"|january|february|march|april|june|july|august|september|october|november|december"
    r"|q[1-4]|weekly|fortnightly|monthly|daily|hours?|minutes|afternoons?|mornings?|sprints?"
    r"|every (?:week|day|month|sprint|other)|each (?:week|day|month|sprint)|next (?:week|month"
    r"|quarter|sprint)|by (?:the )?end of"
)
_OPPORTUNITY_WORDS = (
    r"review|project|rotation|migration|design|incident|on-call|meeting|presentation"
    r"|conference|course|training|budget|pairing|session|talk|rfc|demo|roadmap|launch|release"
    r"|interview|epic|service|pipeline|all-hands|workshop|introduce|introduction|book"
    r"|protect|block|reserve|schedule|assign|nominate|sponsor|fund"
)
_SPECIFIC_COMMITMENT = re.compile(
    rf"\b(?:{_TIME_WORDS}|{_NUMBER}|(?:{_OPPORTUNITY_WORDS})s?|(?:{_OPPORTUNITY_WORDS})(?:ing|ed))\b"
)
# A capitalised name mid-sentence ("Priya", "Friday") or a mention; "Sam's development" is not one.
_NAMED_PERSON = re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][a-z][\w-]*\b(?!'s)|<@\w+>|@\w+")
_MIN_SPECIFIC_WORDS = 5


def check_commitment(text: str, index: int | None = None) -> list[Finding]:
    if not text.strip():
        return [Finding("missing_commitment", "error", "commitment", index)]
    if is_readable(text) and is_generic_commitment(text):
        return [Finding("commitment_generic", "warning", "commitment", index)]
    return []


def is_generic_commitment(text: str) -> bool:
    phrase = _normalise(text)
    if _SPECIFIC_COMMITMENT.search(phrase) or _NAMED_PERSON.search(_collapse(text)):
        return False
    return bool(_GENERIC_COMMITMENT.search(phrase)) or _word_count(phrase) < _MIN_SPECIFIC_WORDS
