"""The vocabulary of character judgements behind bot/domain/language.py: traits, faults,
labels, and the constructions that turn them into a judgement of a person. Data and regexes."""

from __future__ import annotations

import re


def words(*groups: str) -> str:
    """An alternation of phrases, longest first, with flexible spaces and hyphens ("high
    maintenance" finds "high-maintenance" and the other way round)."""
    phrases = sorted({p.strip() for g in groups for p in g.split("|") if p.strip()}, key=len)
    flexible = (re.escape(p).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]+") for p in phrases)
    return "|".join(reversed(list(flexible)))


# --- character ----------------------------------------------------------------------------

# Qualities someone is said to lack ("not very proactive", "needs to be more confident").
GOOD_TRAIT = words(
    "proactive|self-starter|self starter|team player|people person|culture fit|cultural fit"
    "|leadership material|senior material|management material|natural leader|leader"
    "|passionate|enthusiastic|driven|ambitious|confident|assertive|mature|professional"
    "|personable|approachable|likeable|likable|friendly|humble|curious|strategic|visionary"
    "|dynamic|energetic|outgoing|sociable|extroverted|resilient|positive|open-minded"
    "|coachable|trustworthy|hungry|detail-oriented|detail oriented|self-motivated|collaborative"
    "|invested|committed|engaged|motivated|interested|switched on|on the ball|a good fit"
    "|good fit|right fit|fit|polished|charismatic|inspiring|savvy|sharp|bright|smart"
    "|reliable|dependable|organised|organized|thorough|conscientious|diligent|careful|focused"
    "|focussed|respectful|supportive|helpful|patient|flexible|adaptable|creative|productive"
    "|punctual|customer-focused|customer focused|results-oriented|results-driven|team-oriented"
    "|emotionally intelligent|articulate|decisive|present|tactful|diplomatic|disciplined"
    "|hard-working|hardworking|hard working|ownership-minded|accountable|independent|technical"
)
# Of those, the ones that are also verb forms ("has not committed to a date").
PARTICIPLES = ("invested", "committed", "engaged", "motivated", "interested")

# Faults that only ever describe a person.
FAULT_OF_PERSON = words(
    "lazy|arrogant|abrasive|rude|defensive|stubborn|unprofessional|immature|entitled|moody"
    "|oversensitive|timid|shy|introverted|apathetic|disengaged|unmotivated|uncommitted|unengaged"
    "|selfish|dismissive|condescending|bossy|aloof|standoffish|stand-offish|prickly|combative"
    "|confrontational|argumentative|insubordinate|complacent|checked out|scatterbrained|scatty"
    "|clueless|incompetent|cynical|pessimistic|grumpy|closed-minded|narrow-minded"
    "|thin-skinned|high-maintenance|needy|passive-aggressive|hot-headed|hotheaded|lackadaisical"
    "|uninterested|indifferent|unambitious|half-hearted|halfhearted|uninspired|uninspiring"
    "|overbearing|pushy|opinionated|cocky|smug|unfriendly|unapproachable|uncooperative"
    "|disrespectful|egotistical|self-centred|self-centered|immodest|lethargic|unmotivated"
    "|disinterested|unenthusiastic|demotivated"
)
# Faults that also describe things ("a difficult migration", "the build is too slow").
FAULT_OF_ANYONE = words(
    "difficult|negative|aggressive|quiet|passive|sensitive|emotional|weak|soft|rigid"
    "|inflexible|cold|sloppy|careless|disorganised|disorganized|flaky|erratic|volatile"
    "|political|territorial|awkward|socially awkward|intimidating|demanding|distracted"
    "|unfocused|unfocussed|mediocre|lax|boring|dull|sluggish|slack|toxic|nervous|anxious"
    "|abrupt|lacklustre|lackluster|reserved|withdrawn|detached|distant|hostile|harsh|blunt"
    "|touchy|temperamental|slow|unreliable|unhelpful|inconsistent|unpredictable|chaotic|messy"
    "|naive|naïve|unpleasant|obnoxious|annoying|irritating"
)
BAD_TRAIT = f"{FAULT_OF_PERSON}|{FAULT_OF_ANYONE}"

# What someone "lacks" or "has no" of ("lacks executive presence", "has no drive").
TRAIT_NOUN = words(
    "executive presence|presence|gravitas|charisma|passion|drive|initiative|ambition"
    "|motivation|enthusiasm|energy|maturity|polish|confidence|self-confidence|leadership qualities"
    "|leadership skills|leadership potential|leadership|people skills|soft skills|social skills"
    "|emotional intelligence|eq|growth mindset|work ethic|sense of urgency|urgency"
    "|sense of ownership|ownership mentality|attention to detail|professionalism|commitment"
    "|hunger|grit|spark|x-factor|x factor|vision|common sense|personality|backbone|charm"
    "|curiosity|humility|self-awareness|judgement|judgment|interest|engagement|team spirit"
    "|team ethic|a team mindset|focus|integrity|self-discipline|discipline|resilience|patience"
    "|empathy|tact|diplomacy|assertiveness|proactivity|proactiveness|decisiveness|composure"
    "|emotional maturity|stage presence|potential|the right attitude|the right mindset"
    "|the right stuff|what it takes|a spine|ownership|accountability|reliability|credibility"
)
# Words for the inner person: any judgement of these is a judgement of character.
DISPOSITION = words(
    "attitude|mindset|mentality|personality|demeanour|demeanor|temperament|energy|vibe|vibes"
    "|character|disposition|manner|outlook|work ethic|judgement|judgment|ego|temper|nature"
)
# Labels for a kind of person ("a slacker", "a bit of a cowboy", "a negative influence").
LABEL = words(
    "slacker|troublemaker|trouble-maker|prima donna|diva|loose cannon|loner|control freak|bully"
    "|know-it-all|know it all|drama queen|pushover|lone wolf|cowboy|passenger|dead weight"
    "|deadweight|weak link|liability|negative influence|bad influence|bad apple|rotten apple"
    "|problem child|clock-watcher|clock watcher|jobsworth|yes-man|people pleaser|pessimist|cynic"
    "|complainer|moaner|whiner|hothead|square peg|black hole|free rider|freeloader|prima-donna"
    "|wallflower|doormat|pain to work with|nightmare to work with|handful"
)
PERSON = words(
    "person|engineer|developer|dev|colleague|teammate|team mate|team member|member of the team"
    "|individual|character|guy|man|woman|girl|lad|employee|hire|communicator|listener|leader"
    "|performer|coder|programmer|manager|mentor|collaborator|worker|contributor|fit|player"
    "|presence|personality|type|influence|addition|example|role model"
)
INTENSIFIER = (
    r"(?:really|very|much of|quite|exactly|particularly|that|overly|always|terribly|all that"
    r"|especially|remotely|at all|sufficiently|truly|genuinely|actually|naturally|a bit|a little"
    r"|somewhat|rather|pretty|so|too|extremely|incredibly|fairly|generally|often|sometimes"
    r"|a very|a really|an especially|usually|frequently|constantly|consistently|just|still"
    r"|increasingly|visibly|clearly|noticeably|painfully|a touch|kind of|kinda|sort of)"
)
COPULA = (
    r"(?:is|are|was|were|'s|be|been|being|seems?|seemed|appears?|appeared|feels?|felt|looks?"
    r"|comes? across as|came across as|coming across as|can be|could be|tends? to be"
    r"|tended to be|has been|have been|had been|remains?|stays?|gets?|got|becomes?|became"
    r"|acts?|acted|sounds?|sounded|is being|was being|strikes? me as|struck me as|'re"
    r"|(?:finds?|found|considers?|considered|sees?|saw|thinks? of) (?:him|her|them) as"
    r"|(?:finds?|found|considers?|considered) (?:him|her|them))"
)
NEGATION = r"(?:isn't|wasn't|aren't|weren't|not|never|hardly|rarely|no longer)"
# What may follow a trait word said of a person ("quiet in meetings"), unlike one said of a
# thing ("a quiet period", "lazy loading", "an aggressive timeline").
TRAIT_END = (
    r"(?=\s*(?:$|[.,;:!?)\-–—\"']|\b(?:and|or|but|enough|in|with|about|when|during|at|on|to"
    r"|for|towards?|around|as|of|lately|recently|anymore|any more|these days|overall"
    r"|generally|sometimes|often|so far|yet|either|too|though|which|who|because|so|than"
    r"|compared|since|now|today|here|there|by|under|whenever|if|unless|most|all|much)\b))"
)
POSITIVE = r"(?:good|great|positive|excellent|fantastic|lovely|wonderful|brilliant|strong|fine)"

# A modifier that makes any disposition noun a criticism ("poor work ethic").
CRITICAL = (
    r"(?:bad|poor|negative|difficult|wrong|terrible|awful|toxic|lousy|defensive|dismissive"
    r"|arrogant|entitled|fixed|closed|lazy|uncooperative|unhelpful|abrasive|combative|prickly"
    r"|cavalier|casual|lax|laid-back|laissez-faire|can't-do|cannot-do|victim|questionable|weak"
    r"|low|dubious|sloppy|poor-quality|problematic|unprofessional|immature|fragile|big|huge"
    r"|massive|inflated|short|quick|hot|bad-tempered|nasty|sour|sullen|grumpy|gloomy|cynical)"
)

# An idiom that only ever describes a person, whatever stands before it ("has a chip on his
# shoulder": the "a" does not make it a thing).
PERSON_IDIOM = r"\bchip on (?:his|her|their|your) shoulder\b"
# "needs to step up", "has to raise her game", "not bought in": asked of a person, not a
# standard (not "step up the retry interval").
STEP_UP = (
    r"\b(?:needs?|has|have|had|must|should|ought|will need) to (?:really |finally )?(?:step up"
    r"|raise (?:his|her|their|your) game|up (?:his|her|their|your) game"
    r"|pull (?:his|her|their|your) weight)"
    r"(?!\s+(?:the|a|an|our|its|his|her|their|your|to)\b)"
    r"|\b(?:not|isn't|wasn't|aren't|weren't|never) (?:really |fully |properly )?"
    r"bought[\s-]?in(?:to)?\b"
)

PERSONALITY_PATTERNS = [
    # "not really a team player", "isn't passionate", "never a self-starter"
    rf"(?<!has )(?<!have )(?<!had )\b{NEGATION}\s+(?:{INTENSIFIER}\s+)*(?:as\s+)?(?:(?:a|an)\s+)?"
    rf"(?:(?:good|natural|real|strong|great|true|genuine|born|very good|particularly good)\s+)?"
    rf"(?:{GOOD_TRAIT}){TRAIT_END}",
    # "not proactive enough", "not senior enough"
    rf"\b(?:not|isn't|wasn't|aren't|never)\s+(?:\w+\s+)?(?:{GOOD_TRAIT}|senior|experienced"
    rf"|strong|good|smart|quick|tough|resilient|visible|vocal)\s+enough\b",
    # "needs to be more proactive", "should be less defensive", "be more of a team player"
    rf"\b(?:(?:needs?|has|have|ought|wants?|will need|must learn|needs? to learn) to\s+|should\s+"
    rf"|must\s+|could\s+|would\s+|try to\s+|please\s+|just\s+|to\s+)?"
    rf"(?:be|become|get|act|seem|come across as|learn to be)\s+(?:(?:a|an)\s+)?"
    rf"(?:(?:bit|little|lot|touch|tad|whole lot)\s+)?(?:more|less|much more|far more|way more)"
    rf"\s+(?:of\s+(?:a|an)\s+)?(?:{GOOD_TRAIT}|{BAD_TRAIT}){TRAIT_END}",
    # "be a better team player", "needs to be a stronger leader"
    rf"\b(?:be|become)\s+(?:a|an)\s+(?:better|stronger|more natural|more confident|more mature"
    rf"|more positive|nicer|kinder)\s+(?:{PERSON}|{GOOD_TRAIT})\b",
    # "lacks executive presence", "has no drive", "needs more confidence", "a lack of focus"
    rf"\b(?:lacks?|lacking|lacked|(?:a\s+)?(?:real\s+|complete\s+|total\s+|general\s+|clear\s+)?"
    rf"lack of|doesn't have|does not have|didn't have|has no|had no|have no|(?:'s |has |'ve )?"
    rf"got no|shows? no|showed no|showing no|with no|without any|needs? (?:to (?:show|have|find"
    rf"|develop|build|demonstrate) )?(?:a lot |much |far )?more|could use (?:some |a bit |a lot )?"
    rf"more|no real|zero|^no|(?:doesn't|does not|didn't|did not|don't|do not|never)\s+"
    rf"(?:really\s+)?(?:show|display|demonstrate|have|bring|take))\s+(?:any\s+|real\s+|the\s+|a\s+|an\s+"
    rf"|much\s+|enough\s+|some\s+|sufficient\s+|obvious\s+|genuine\s+|a real\s+|a strong\s+"
    rf"|in\s+)?(?:sense of\s+)?(?:{TRAIT_NOUN})\b",
    rf"\b(?:could|should|must|needs? to|has to|ought to|would like (?:him|her|them) to)\s+"
    rf"(?:show|display|demonstrate|bring|have)\s+(?:a lot |much |far |a bit |a little |some )?"
    rf"more\s+(?:{TRAIT_NOUN})\b",
    r"\bnot (?:really )?(?:someone|somebody|a person|the (?:kind|type|sort) of (?:person|engineer"
    r"|developer|colleague))\s+who\b",
    # "needs a better attitude", "has a negative mindset", "doesn't have a can-do attitude"
    rf"\b(?:needs?|requires?|should have|must have|could use|has|had|have|with|shows?|showed"
    rf"|displays?|brings?|'s got|got|lacks?|doesn't have|does not have)\s+(?:(?:a|an|the|some"
    rf"|such)\s+)?(?:bit of\s+(?:a|an)\s+)?(?!(?:{POSITIVE}|a|an|the|some|such)\b)[\w'-]+\s+"
    rf"(?:{DISPOSITION})\b",
    rf"\b{CRITICAL}\s+(?:{DISPOSITION})s?\b",
    # "her attitude is poor", "his energy can be negative"
    rf"\b(?:{DISPOSITION})\s+{COPULA}\s+(?:{INTENSIFIER}\s+)*(?:bad|poor|negative|wrong|terrible"
    rf"|awful|off|not (?:great|good|right|ideal)|a problem|an issue|{BAD_TRAIT})\b",
    r"\b(?:low|no|zero) energy\b",
    # "too quiet to lead", "too nice", "too junior"
    rf"\btoo\s+(?:{BAD_TRAIT}|nice|junior|green|inexperienced|laid-back|laid back"
    rf"|relaxed|comfortable|introverted|reserved|cautious|eager|keen|headstrong|proud"
    rf"|full of (?:him|her|them)sel(?:f|ves))\b",
    # "is lazy", "comes across as arrogant", "can be difficult", "quite defensive"
    rf"(?:\b{COPULA}|\b{INTENSIFIER})\s+(?:{INTENSIFIER}\s+)*(?:(?:a|an)\s+)?(?:{BAD_TRAIT})"
    rf"{TRAIT_END}",
    # "lazy and abrasive": a fault only people have, wherever it stands
    rf"\b(?:{FAULT_OF_PERSON}){TRAIT_END}",
    # "Lazy.", "Always negative", "Arrogant and dismissive in reviews": a judgement, no subject
    rf"^(?:(?:{INTENSIFIER})\s+)*(?:{BAD_TRAIT}){TRAIT_END}",
    # "a difficult person", "a weak engineer", "a poor communicator"
    rf"\b(?:a|an)\s+(?:{INTENSIFIER}\s+)?(?:{BAD_TRAIT}|poor|bad|mediocre|average|terrible"
    rf"|below-average|below average|subpar|sub-par|hopeless|useless|lousy|awful|rubbish|dreadful"
    rf"|disappointing|low-performing|underwhelming|negative|disruptive)\s+(?:{PERSON})\b",
    # "not a strong engineer", "isn't a natural communicator"
    rf"\b{NEGATION}\s+(?:{INTENSIFIER}\s+)?(?:a|an)\s+(?:{INTENSIFIER}\s+)?"
    rf"(?:strong|good|great|natural|real|true|born|effective|capable|solid|safe pair of hands)"
    rf"\s+(?:{PERSON})\b",
    # "a slacker", "a bit of a cowboy", "a negative influence"
    rf"(?:\b(?:a|an)\s+(?:real\s+|total\s+|complete\s+|proper\s+|bit of\s+(?:a|an)\s+)?|^)"
    rf"(?:{LABEL})\b",
    # attitude and character as a problem
    r"\b(?:attitude|personality|character|behaviou?ral)\s+(?:problem|issue|flaw|clash|defect)s?\b",
    r"\b(?:has|had|with|got|have)\s+(?:a bit of\s+|quite\s+)?an\s+attitude\b(?!\s+(?:problem"
    r"|issue))",
    r"\b(?:poor|bad|weak|not a|isn't a|not the right)\s+(?:culture|cultural|team)\s+fit\b",
    # dispositions named instead of behaviour
    r"\b(?:doesn't|does not|didn't|did not|don't|do not|never seems to|doesn't seem to"
    r"|does not seem to|didn't seem to|no longer seems to|doesn't really|does not really)\s+"
    r"(?:really\s+|seem to\s+|appear to\s+)?(?:care|give a damn|want to be here|want it"
    r"|take (?:it|things|the job|work) seriously|fit in|gel|mesh|get it|have what it takes"
    r"|have the (?:drive|passion|energy|hunger)|play well with others)\b",
    r"\b(?:seems?|appears?|tends?) to lack\b",
    r"\b(?:couldn't|could not|can't|cannot) care less\b",
    r"\bno longer (?:cares|interested|engaged|motivated)\b",
    r"\b(?:has|have|had|'s)\s+(?:mentally\s+)?checked out\b",
    r"\b(?:going|goes|went) through the motions\b",
    r"\bphon(?:ing|es|ed) it in\b",
    r"\bcoasting\b",
    r"\b(?:not|isn't|aren't|wasn't|never) (?:really )?pulling (?:his|her|their|your|my) weight\b",
    r"\b(?:not|isn't|wasn't|aren't|never) (?:really |quite |just )?cut out (?:for|to)\b",
    r"\b(?:out of|beyond) (?:his|her|their|your) depth\b",
    r"\bin over (?:his|her|their|your) head\b",
    PERSON_IDIOM,
    STEP_UP,
    r"\bfull of (?:him|her|them)sel(?:f|ves)\b",
    r"\brubs? people (?:up )?the wrong way\b",
    r"\b(?:difficult|hard|impossible|tough|painful|not easy|unpleasant) to (?:work with|manage"
    r"|deal with|get along with|like|approach|be around)\b",
    r"\bnot (?:a )?(?:people|team)[\s-]person\b",
    r"\bnot (?:leadership|senior|management|manager|promotion|staff|principal) material\b",
    r"\bnot (?:the )?(?:right|best) (?:fit|person|type)\b",
    r"\bwrong (?:fit|type|person) for\b",
    r"\b(?:not|isn't|never|wasn't) (?:very |really )?open to (?:feedback|criticism|ideas"
    r"|suggestions|other (?:views|opinions|ideas)|change|new ideas)\b",
    r"\b(?:grow up|man up|toughen up|get a grip|get (?:it|his act|her act|their act) together"
    r"|pull (?:his|her|their|your) socks up|buck (?:his|her|their|your) ideas up"
    r"|sort (?:him|her|them|your)sel(?:f|ves) out)\b",
]
PERSONALITY = re.compile("|".join(f"(?:{p})" for p in PERSONALITY_PATTERNS))

PERSON_ONLY = re.compile(rf"\b(?:{FAULT_OF_PERSON}|{LABEL}|{DISPOSITION})\b|{PERSON_IDIOM}")
PERSON_NOUN = re.compile(rf"\b(?:{PERSON})\b")
# Leading words a finding is quoted without: "he's lazy" is quoted as "lazy".
QUOTE_FROM = re.compile(r"^(?:(?:'s|is|are|was|were|'re|with|a|an|the)\s+)+")
SPEAKER = re.compile(r"\b(?:i|i'm|i am|we|we're|we are|i was|we were|i've|we've)\s+$")
SAID_TO_SOMEONE = re.compile(
    r"\s*(?:needs?|should|must|has to|have to|be|become|to|try|please|just|a|an|grow|man"
    r"|toughen|get|pull|buck|sort|lacks?|lacking)\b"
)
CLAUSE_START = re.compile(
    r"(?:^|[.;:!?,(]|\s[-–—]\s|\b(?:and|but|because|so|while|when|which|that|although|though)\b)"
)
SUBJECT_PERSON = re.compile(
    rf"^(?:he|she|they|you|i|we|he's|she's|they're|you're|someone|somebody|everyone|nobody"
    rf"|{PERSON})$"
)
SUBJECT_THING = re.compile(
    r"^(?:it|it's|its|this|that|these|those|the|which|there|our|their|whose|his|her|your|my"
    r"|a|an)$"
)
# Words between a pronoun and the trait that keep the pronoun as its subject ("he can be").
_LINKING_WORDS = (
    "is are was were 's 're be been being seems seem seemed appears appear appeared feels"
    " felt looks look remains remain gets get got becomes become became can could tends tend"
    " tended has have had acts act would will might may must should always often sometimes"
    " usually really very quite so too just still generally frequently constantly also find"
    " found comes came across as"
)
LINKING = frozenset(_LINKING_WORDS.split())
# "difficult to read", "hard to follow": said of a thing.
THING_AFTER = re.compile(
    r"\s+to\s+(?:read|use|follow|understand|maintain|test|review|debug|navigate|find|parse|run"
    r"|deploy|reproduce|change|extend|operate|monitor|install|configure|search|estimate)\b"
)
NEGATED_PARTICIPLE = re.compile(
    rf"^(?:not|never|hardly|rarely)\s+(?:(?:really|very|quite|particularly|at all)\s+)?"
    rf"(?:{'|'.join(PARTICIPLES)})\b"
)
COPULA_BEFORE = re.compile(
    r"\b(?:is|are|was|were|'s|be|been|being|seems?|seemed|appears?|appeared|feels?|felt"
    r"|looks?|remains?|gets?|got|becomes?|became)\s+$"
)
