"""The vocabulary of checkable standards behind bot/domain/language.py (numbers, frequencies,
deadlines, things an observer can look at), and personal detail a note should not hold."""

from __future__ import annotations

import re

# --- observable standards -----------------------------------------------------------------

NUMBER_WORD = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|hundred|half|a single|both|single"
)
UNIT = (
    r"(?:working |business |calendar )?(?:days?|hours?|minutes?|mins?|weeks?|sprints?|months?"
    r"|quarters?|times?|rounds?|reviews?|prs?|pull requests?|tickets?|pages?|incidents?|bugs?"
    r"|defects?|commits?|releases?|deploys?|deployments?|stories|story points?|points?|%"
    r"|percent|per ?cent|items?|tests?|comments?|issues?|alerts?|changes?|meetings?|sessions?"
    r"|standups?|stand-ups?|docs?|documents?|steps?|people|teammates?|engineers?|of \w+)"
)
# A number that makes a standard checkable: "80%", "within two days", "at most one round".
METRIC = re.compile(
    rf"\d+(?:\.\d+)?\s*%|\b\d+(?:\.\d+)?\s*-?\s*{UNIT}|\b(?:{NUMBER_WORD})[\s-]+{UNIT}"
    rf"|\b(?:at least|at most|no more than|no fewer than|fewer than|less than|more than|under"
    rf"|over|above|below|up to|from)\s+(?:\d|{NUMBER_WORD})"
    rf"|\bzero\b|\bnone of\b|\bno (?:more|fewer|later|longer) than\b|\b\d+\s*(?:/|out of|of)\s*\d+"
    rf"|\b(?:p\d\d|sla|slo)\b"
)
# When a standard is checked: a quantifier, a frequency, a deadline relative to an event.
CHECK = re.compile(
    r"\b(?:every|each|all|never|without exception|no exceptions|any|within|before|ahead of"
    r"|in advance|prior to|after|by (?:the )?(?:end|close|start) of|by (?:mon|tues|wednes|thurs"
    r"|fri|satur|sun)day|by (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*|by \d"
    r"|by (?:next|this|the next|our|your)\b|by eod|by cob|the same day|same day|same-day"
    r"|the day (?:it|they|you)|on the day|on time|daily|weekly|fortnightly|monthly"
    r"|per (?:day|week|sprint|month|pr|pull request|ticket|release|change)|at (?:each|every) "
    r"|a (?:day|week|sprint|month)\b|each (?:day|week|sprint|morning)|in each of|for each"
    r"|on (?:mon|tues|wednes|thurs|fri)days?|no later than|until)\b"
)
# Frequencies that need something else to check against ("consistently meet deadlines").
WEAK_CHECK = re.compile(r"\b(?:consistently|always|regularly|reliably|routinely)\b")
ASSESSOR = re.compile(
    r"\b(?:as (?:assessed|judged|confirmed|measured|reviewed|tracked|recorded|seen) (?:by|in)"
    r"|assessed by|reviewed by|confirmed by|signed off by|approved by|according to|measured by"
    r"|tracked in|visible in|recorded in|logged in|checked by)\b"
)
# A deadline makes a concrete task checkable ("ship the fix by 15 March").
DEADLINE = re.compile(
    r"\b(?:by|before|no later than|ahead of)\s+(?:(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+\w+"
    r"|\w+\s+\d{1,2}(?:st|nd|rd|th)?\b|(?:mon|tues|wednes|thurs|fri)day|\d{4}-\d\d-\d\d"
    r"|(?:the\s+)?(?:end|close) of (?:the\s+)?(?:week|sprint|month|quarter|day)"
    r"|(?:next|this) (?:week|sprint|month|friday|monday)|eod|cob)\b"
)
# Things an observer can look at: engineering work products and rituals.
OBSERVABLE_THING = re.compile(
    r"\b(?:prs?|pull requests?|merge requests?|mrs?|commits?|code reviews?|reviews?|reviewers?"
    r"|tests?|test suite|test coverage|coverage|unit tests?|ci|builds?|pipelines?|tickets?|jira"
    r"|issues?|stories|story|epics?|sprints?|sprint planning|planning|standups?|stand-ups?"
    r"|retros?|retrospectives?|design docs?|design documents?|designs?|rfcs?|runbooks?|docs?"
    r"|documentation|readme|incidents?|post-?mortems?|pages?|paging|paged|on-?call|alerts?"
    r"|dashboards?|deploys?|deployments?|releases?|rollbacks?|rollback plans?|changes?"
    r"|production changes?|migrations?|estimates?|estimations?|blockers?|risks?|deadlines?"
    r"|commitments?|status updates?|status|updates?|demos?|meetings?|1:1s?|one-to-ones?"
    r"|messages?|emails?|channels?|threads?|slack|customers?|support requests?|requests?"
    r"|bugs?|defects?|outages?|handovers?|hand-offs?|descriptions?|changelogs?|checklists?"
    r"|specs?|specifications?|acceptance criteria|rota|shifts?|calendar|agenda|invites?|notes"
    r"|minutes|queries|queue|backlog|board|work items?|tasks?|features?|services?"
    r"|endpoints?|apis?|code|code paths?|branches?|repos?|repositories|merges?|push|pushes"
    r"|approvals?|sign-?offs?|questions?|comments?|feedback|responses?|replies|reports?"
    r"|metrics?|latency|errors?|error rate|uptime|response times?|timesheets?|logs?|schema"
    r"|pairing|sessions?|help|#[\w-]+)\b"
)
# Leads that name a direction, not a standard: "improve ...", "be more ...", "take more ...".
VAGUE_LEAD = re.compile(
    r"^(?:improve|improving|improved|be|being|become|get better|get more|take more|take"
    r" (?:greater|better|real|full|more)|show|showing|demonstrate|display|work on|focus on"
    r"|step up|raise (?:your|his|her|their|the) game|up (?:your|his|her|their|the) game|try"
    r"|strive|aim|make an effort|put in|increase|enhance|strengthen|develop|grow|build|boost"
    r"|deliver (?:more|better|high|quality|good)|perform|communicate|collaborate|engage"
    r"|contribute|own|lift|level up|pay more|pay (?:closer|better)|care|think|pick up (?:the"
    r"|your) pace|work harder|work smarter|do better|have (?:a )?(?:better|more|greater"
    r"|stronger|bigger)|bring more|act|respond (?:more|better|faster|quicker|promptly)|reduce"
    r"|minimi[sz]e|avoid|keep improving|continue to|stop being|start being|drive|lead by"
    r"|meet expectations|exceed|take (?:ownership|responsibility|initiative|care))\b"
)
# A comparison with nothing to compare against: "clearer", "more often", "better tests".
COMPARATIVE = re.compile(
    r"\b(?:more|less|fewer|better|worse|faster|slower|clearer|cleaner|higher|lower|greater"
    r"|stronger|quicker|sooner|earlier|tighter|sharper|smoother|improved|stricter|closer"
    r"|harder|smarter|deeper|broader|wider|bigger|further|promptly|effectively|properly"
    r"|appropriately|adequately|sufficiently|efficiently|actively|proactively|high-quality"
    r"|high quality|good quality|maintainable|well-written|well written)\b"
)
MEASURED_AFTER = re.compile(rf"\s+than\s+(?:\d|{NUMBER_WORD})")
CLAUSE_BREAK = re.compile(
    r"[:;]|\s[-–—]\s|\b(?:so that|such that|meaning|which means|i\.e\.|e\.g\.|for example"
    r"|that is|in other words|specifically|measured as|as in)\b"
)
LEAD_IN = re.compile(
    r"^(?:(?:what\s+)?(?:i|we)\s+(?:need|want|would like|'d like|expect)(?:\s+to\s+see)?"
    r"(?:\s+(?:over|in|during|for)\s+the\s+next\s+\S+\s+\S+)?\s*(?:is|are)?\s*(?:that|for)?\s*"
    r"|(?:you|he|she|they|the engineer)\s+(?:will|should|must|need to|needs to|are to|is to|has"
    r" to|have to)\s+|(?:please|to|going forward,?|from now on,?|over the next \S+ \S+,?)\s+"
    r"|(?:i|we) expect (?:you|him|her|them) to\s+|(?:expectation|standard|goal)\s*:\s*)+"
)
# A period says when a standard is judged, not what is judged: "over the next four weeks".
PERIOD = re.compile(
    rf"\b(?:(?:over|for|in|during|across|throughout|within)\s+)?(?:the\s+)?(?:next|coming"
    rf"|following|first)\s+(?:\d+|{NUMBER_WORD}|few|couple of)\s*(?:-\s*)?(?:working\s+)?"
    rf"(?:days?|weeks?|months?|sprints?)\b|\b(?:over|for|during|across|throughout)\s+(?:the\s+)?"
    rf"(?:\d+|{NUMBER_WORD})[\s-]+(?:weeks?|months?|sprints?)(?:\s+period)?\b"
    rf"|\b(?:over|during|across|throughout|in)\s+the\s+(?:\d+|{NUMBER_WORD})-(?:week|month|sprint)"
    rf"\s+period\b|\buntil (?:the|our|my|your) (?:next )?(?:follow-?up|review|check-?in|1:1)\b"
)

# --- personal detail a note should not hold -----------------------------------------------

PERSONAL_DETAIL = re.compile(
    r"\b(?:illness|sick|sickness|cancer|tumou?r|diagnos(?:is|ed)|surgery|hospital"
    r"|hospitali[sz]ed|pregnant|pregnancy|miscarriage|ivf|fertility|depress(?:ion|ed)|anxiety"
    r"|panic attacks?|therapy|therapist|counselling|counseling|psychiatrist|medication|meds"
    r"|mental health|nervous breakdown|adhd|autism|autistic|dyslexi[ac]|disabilit(?:y|ies)"
    r"|disabled|long covid|covid|injur(?:y|ed)|doctor|gp|migraines?|insomnia|addiction"
    r"|alcohol|rehab|eating disorder|divorc(?:e|ed|ing)|separat(?:ed|ing|ion) from"
    r"|bereave(?:d|ment)|passed away|funeral|grief|grieving|miscarried|wife|husband|girlfriend"
    r"|boyfriend|spouse|kids|(?:his|her|their|my) (?:son|daughter|child|children|kid|baby"
    r"|mother|father|mum|mom|dad|parents?|partner|sister|brother|family)|newborn|carer"
    r"|caring for|custody|wedding|religio(?:n|us)|church|mosque|synagogue|ramadan"
    r"|sexuality|gay|lesbian|transgender|union member(?:ship)?|immigration|bankrupt(?:cy)?"
    r"|eviction|homeless|court case|arrested)\b"
)
