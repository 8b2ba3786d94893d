"""The guide's language rules for performance conversations, shared by early-intervention notes
and PIPs: judge what someone did, not who they are, and ask for what can be observed.

"She is not really a team player" is a personality characterisation; "be more proactive" is
not an action; "improve communication" cannot be observed. Pure: standard library only."""

from __future__ import annotations

import re
from typing import Literal

from bot.domain import character_lexicon as lx
from bot.domain import standards_lexicon as sx

ExpectationKind = Literal["observable", "unobservable"]
RewriteTopic = Literal["communication", "delivery", "initiative", "quality", "collaboration"]


def _normalise(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).lower()


# --- personality characterisations ------------------------------------------------------


def find_personality_language(text: str) -> list[str]:
    """Character judgements in `text`, lowercased, in order: "not really a team player",
    "lacks executive presence", "needs to be more proactive". Empty when the text describes
    behaviour."""
    phrase = _normalise(text)
    found: list[str] = []
    for match in lx.PERSONALITY.finditer(phrase):
        before, fragment = phrase[: match.start()], match.group(0)
        if lx.SPEAKER.search(before) and not lx.PERSON_ONLY.search(fragment):
            continue  # "I'm not confident about the estimate" is about the speaker
        if _is_verb_use(before, fragment) or _said_of_a_thing(before, fragment):
            continue
        if lx.THING_AFTER.match(phrase[match.end() :]) and not lx.PERSON_ONLY.search(fragment):
            continue  # "difficult to read"
        found.append(lx.QUOTE_FROM.sub("", fragment.strip(" ,.;:!?-")).strip("'\""))
    return found


def _is_verb_use(before: str, fragment: str) -> bool:
    """ "has not committed to a date", "did not engage": things done, not traits. A participle
    after a bare "not" is a trait only after a copula ("is not engaged") or with no subject
    at all ("Not really invested in the team")."""
    if not lx.NEGATED_PARTICIPLE.match(fragment.strip()) or not before.strip():
        return False
    return not lx.COPULA_BEFORE.search(before)


def _said_of_a_thing(before: str, fragment: str) -> bool:
    """ "The migration was difficult", "the API is not reliable", "his code was sloppy": a
    word that can describe a thing, said of one. Said of a person ("he was difficult") or of
    nobody ("Can be difficult in reviews"), it judges character."""
    if lx.PERSON_ONLY.search(fragment) or lx.SAID_TO_SOMEONE.match(fragment):
        return False
    if lx.PERSON_NOUN.search(fragment.split()[-1]):
        return False
    starts = [m.end() for m in lx.CLAUSE_START.finditer(before)]
    subject = [w.strip("\"'()") for w in before[starts[-1] if starts else 0 :].split()[-5:]]
    linked = True  # every word so far links the trait to the word being read
    for word in reversed(subject):  # the nearest word that tells
        if lx.SUBJECT_PERSON.match(word) and linked:
            return False
        if lx.SUBJECT_THING.match(word) or sx.OBSERVABLE_THING.fullmatch(word):
            return True
        linked = linked and word in lx.LINKING
    return False


# --- observable expectations ------------------------------------------------------------

_MIN_WORDS = 4


def classify_expectation(text: str) -> ExpectationKind:
    """ "observable" when someone other than the manager could check it: a concrete thing done,
    with a number, a frequency or a deadline that says whether it happened."""
    phrase = _normalise(text).rstrip(".!")
    if not phrase:
        return "unobservable"
    clauses = [c.strip(" ,") for c in sx.CLAUSE_BREAK.split(phrase)]
    if any(_clause_is_observable(c) for c in clauses if c):
        return "observable"
    return "unobservable"


def _clause_is_observable(clause: str) -> bool:
    core = sx.PERIOD.sub(" ", sx.LEAD_IN.sub("", clause, count=1))
    core = " ".join(core.split()).strip(" ,")
    metric = sx.METRIC.search(core)
    if len(core.split()) < _MIN_WORDS and not metric:
        return False
    if metric and (sx.OBSERVABLE_THING.search(core) or sx.DEADLINE.search(core)):
        return True
    if sx.VAGUE_LEAD.match(core) or _unmeasured_comparison(core):
        return False
    if metric or sx.DEADLINE.search(core):
        return True
    things = {m.group(0) for m in sx.OBSERVABLE_THING.finditer(core)}
    if not things:
        return False
    if sx.CHECK.search(core):
        return True
    weakly_checked = sx.WEAK_CHECK.search(core) or sx.ASSESSOR.search(core)
    return bool(weakly_checked and len(things) >= 2)


def _unmeasured_comparison(core: str) -> bool:
    for match in sx.COMPARATIVE.finditer(core):
        if sx.MEASURED_AFTER.match(core[match.end() :]):
            continue  # "more than two rounds"
        if re.search(r"\b(?:no|not)\s+$", core[: match.start()]):
            continue  # "no more than"
        return True
    return False


_TOPICS: list[tuple[RewriteTopic, re.Pattern[str]]] = [
    ("initiative", re.compile(r"proactiv|initiative|ownership|self-start|blocker|risk")),
    ("delivery", re.compile(r"deliver|consisten|deadline|commitment|sprint|on time|estimat")),
    ("collaboration", re.compile(r"collaborat|team ?player|teamwork|help|pair|support|review")),
    ("quality", re.compile(r"quality|careful|test|bug|defect|incident|production|sloppy|detail")),
    ("communication", re.compile(r"communicat|updat|document|descri|clear|explain|transparen")),
]


def rewrite_topic(text: str) -> RewriteTopic:
    """Which of the guide's rewrites fits a vague expectation best; communication (the
    guide's first example) when nothing else does."""
    phrase = _normalise(text)
    for topic, pattern in _TOPICS:
        if pattern.search(phrase):
            return topic
    return "communication"
