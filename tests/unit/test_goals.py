import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.domain.goals import (
    MAX_GOALS,
    Finding,
    GoalDraft,
    check_commitment,
    check_goals,
    classify_goal,
)
from prompts import render

REPO = Path(__file__).resolve().parents[2]
FINDING_TEMPLATES = REPO / "prompts" / "findings"
# ../shared beside the checkout (/work/main) or beside the worktrees' folder (/work/wt/<name>).
SHARED_CSV = next(
    (
        folder / "shared" / "data" / "goal-phrasings.csv"
        for folder in Path(__file__).resolve().parents[3:5]
        if (folder / "shared" / "data" / "goal-phrasings.csv").exists()
    ),
    Path(__file__).resolve().parents[3] / "shared" / "data" / "goal-phrasings.csv",
)

Q2_START = date(2025, 4, 1)
Q2_END = date(2025, 6, 30)
TODAY = date(2025, 4, 7)
Q2_TARGET = date(2025, 6, 27)

GUIDE_KUBERNETES_ACTIVITY = "Will attend Kubernetes training in Q2"
GUIDE_KUBERNETES_OUTCOME = (
    "By end of Q2, I will be able to design and review container orchestration configurations "
    "for our production services without external support"
)
GUIDE_OBSERVABILITY_OUTCOME = (
    "Develop enough understanding of our observability stack that I can independently diagnose "
    "production performance issues without escalating to senior engineers"
)

# The 25 rows of shared/data/goal-phrasings.csv, then our own (some deliberately tricky).
LABELLED_GOALS = [
    (GUIDE_KUBERNETES_ACTIVITY, "activity"),
    (GUIDE_KUBERNETES_OUTCOME, "outcome"),
    ("Improve my technical skills", "vague"),
    (GUIDE_OBSERVABILITY_OUTCOME, "outcome"),
    ("Complete the AWS Solutions Architect certification", "activity"),
    ("Read Designing Data-Intensive Applications", "activity"),
    ("Take a course on public speaking", "activity"),
    ("Go to two conferences this year", "activity"),
    ("Get better at system design", "vague"),
    ("Learn more about Rust", "vague"),
    ("Be more proactive", "vague"),
    (
        "Lead the design review for the billing migration and have the design accepted by the "
        "architecture group without a second round",
        "outcome",
    ),
    (
        "Run the on-call rotation for my team for a full quarter and resolve sev-2 incidents "
        "without paging a senior engineer",
        "outcome",
    ),
    (
        "Mentor one new joiner to the point where they ship a feature to production on their own "
        "within their first six weeks",
        "outcome",
    ),
    (
        "Write and deliver the team's quarterly roadmap presentation to the engineering leadership "
        "meeting with no rewrites by my manager",
        "outcome",
    ),
    ("Shadow a senior engineer on three incident reviews", "activity"),
    ("Pair with Priya on the search service", "activity"),
    ("Become a better communicator", "vague"),
    ("Work on my estimation", "vague"),
    (
        "By March, estimate my own sprint work within 20% of actuals for six consecutive sprints",
        "outcome",
    ),
    (
        "Own the deployment pipeline for the payments service so that releases no longer need the "
        "platform team",
        "outcome",
    ),
    ("Watch the Strange Loop talks on distributed systems", "activity"),
    ("Do the internal SQL performance workshop", "activity"),
    ("Understand Kafka better", "vague"),
    (
        "Review pull requests for the mobile client and have my reviews cited as the deciding "
        "review on at least five changes",
        "outcome",
    ),
    # our own
    (
        "Earn the CKA certification so that I can run our cluster upgrades without the platform "
        "team",
        "outcome",
    ),
    (
        "Pair with Priya on the search service until I can ship changes to it without review "
        "comments",
        "outcome",
    ),
    ("Attend at least three architecture reviews this quarter", "activity"),
    ("Improve test coverage of the payments service from 40% to 80% by June", "outcome"),
    ("Complete the migration of the billing service to Postgres by June", "outcome"),
    ("Get AWS certified", "activity"),
    ("I'll attend the Kafka workshop in March", "activity"),
    ("Go on a public speaking course this quarter", "activity"),
    ("Enrol in the Coursera machine learning specialisation", "activity"),
    ("Finish the Rust book", "activity"),
    ("Listen to a podcast series on distributed systems", "activity"),
    ("Attend Kubernetes training without missing sprint commitments", "activity"),
    (
        "Run a workshop on SQL performance for the support team and have it adopted as their "
        "onboarding material",
        "outcome",
    ),
    ("Develop my leadership skills", "vague"),
    ("Grow as a leader", "vague"),
    ("Be a more effective reviewer", "vague"),
    ("Deepen my knowledge of Postgres", "vague"),
    ("Become a stronger leader", "vague"),
    ("Be able to do more", "vague"),
    ("Kubernetes", "vague"),
    ("Learn Kubernetes by end of Q3", "vague"),
    ("I want to get better at estimating", "vague"),
    ("Respond to on-call pages within 15 minutes for a full quarter", "outcome"),
    (
        "Lead the incident review for every sev-1 in Q3 with no follow-up actions reassigned to "
        "my manager",
        "outcome",
    ),
    (
        "Present the platform roadmap at the engineering all-hands and answer questions without "
        "my manager stepping in",
        "outcome",
    ),
    ("Ship the search v2 ranking change to production", "outcome"),
    ("Refactor the auth module to remove the legacy session store", "outcome"),
    ("Join the on-call rotation for the payments team", "activity"),
    ("Improve my skills without burning out", "vague"),
    ("Pass the CKA exam by June", "activity"),
    ("- Take the Kubernetes course", "activity"),
    # Kind: programmes, curricula and other things one goes through are activities.
    ("Complete the internal leadership programme", "activity"),
    ("Finish the company's engineering manager curriculum by June", "activity"),
    ("Enrol in the data engineering program at the local university", "activity"),
    ("Work through the Google SRE masterclass", "activity"),
    ("Get the Azure Fundamentals qualification", "activity"),
    ("Join the platform team's reading group on distributed systems", "activity"),
    ("Do the TDD katas every Friday", "activity"),
    # ... but running one, or going through it until a capability shows, is an outcome.
    (
        "Run the graduate programme and have five graduates ship to production on their own",
        "outcome",
    ),
    (
        "Complete the internal leadership programme so that I can run my team's quarterly "
        "planning without my manager",
        "outcome",
    ),
    (
        "Design the onboarding curriculum for new SREs and have it adopted by the platform team",
        "outcome",
    ),
    # Kind: a vague lead-in that a colon or a dash turns into a measurable statement.
    (
        "Get better at incident response: resolve the next five P2s within SLA "
        "without handing over",
        "outcome",
    ),
    ("Get better at incident response: resolve the next five P2s within SLA", "outcome"),
    ("Improve our deploys - cut build time from 20 to 8 minutes", "outcome"),
    ("Learn Go — ship the billing worker to production and have it reviewed", "outcome"),
    ("Work on my estimation – estimate my sprint work within 20% of actuals", "outcome"),
    (
        "Grow as a reviewer: have my reviews cited as the deciding one on at least five changes",
        "outcome",
    ),
    # ... while a vague tail, or no real break, stays vague.
    ("Get better at design: learn more", "vague"),
    ("Improve my skills - all of them", "vague"),
    ("Understand multi-region set-ups better", "vague"),
    ("Improve my on-call skills", "vague"),
]


def goal(
    outcome: str = GUIDE_KUBERNETES_OUTCOME,
    success: str = "Two production configs reviewed and merged with no platform-team changes",
    target_date: date | None = Q2_TARGET,
) -> GoalDraft:
    return GoalDraft(outcome=outcome, success=success, target_date=target_date)


def findings_for(*goals: GoalDraft) -> list[Finding]:
    return check_goals(list(goals), Q2_START, Q2_END, TODAY)


def codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


# --- the guide's own examples ------------------------------------------------


def test_attending_kubernetes_training_is_an_activity_with_a_kubernetes_rewrite_hint() -> None:
    [warning] = findings_for(goal(outcome=GUIDE_KUBERNETES_ACTIVITY))

    assert warning.code == "goal_activity"
    assert (warning.severity, warning.field, warning.index) == ("warning", "outcome", 0)
    assert warning.params["topic"] == "Kubernetes"
    assert warning.params["target_date"] == "2025-06-27"
    assert warning.params["activity"] == "training"


def test_the_guides_kubernetes_rewrite_is_an_outcome_and_passes_cleanly() -> None:
    assert classify_goal(GUIDE_KUBERNETES_OUTCOME) == "outcome"
    assert findings_for(goal(outcome=GUIDE_KUBERNETES_OUTCOME)) == []


def test_improve_my_technical_skills_is_vague_with_technical_skills_as_topic() -> None:
    [warning] = findings_for(goal(outcome="Improve my technical skills"))

    assert (warning.code, warning.severity, warning.field) == ("goal_vague", "warning", "outcome")
    assert warning.params == {"topic": "technical skills", "target_date": "2025-06-27"}


def test_the_observability_goal_is_an_outcome() -> None:
    assert classify_goal(GUIDE_OBSERVABILITY_OUTCOME) == "outcome"
    assert findings_for(goal(outcome=GUIDE_OBSERVABILITY_OUTCOME)) == []


def test_i_will_support_your_development_is_a_generic_commitment() -> None:
    assert check_commitment("I will support your development.", index=1) == [
        Finding("commitment_generic", "warning", "commitment", 1)
    ]


# --- goal errors -------------------------------------------------------------


def test_more_than_three_goals_is_one_plan_level_error() -> None:
    findings = findings_for(*[goal()] * (MAX_GOALS + 1))

    assert findings == [
        Finding("too_many_goals", "error", "goals", None, {"count": "4", "max": "3"})
    ]


def test_three_good_goals_pass() -> None:
    assert findings_for(goal(), goal(), goal()) == []


def test_a_goal_without_an_outcome_is_an_error_on_that_row() -> None:
    findings = findings_for(goal(), goal(outcome="  "))

    assert findings == [Finding("missing_outcome", "error", "outcome", 1)]


def test_a_goal_with_a_blank_success_indicator_is_an_error() -> None:
    findings = findings_for(goal(success=" \n "))

    assert findings == [Finding("missing_success", "error", "success", 0)]


def test_a_goal_without_a_target_date_is_an_error() -> None:
    findings = findings_for(goal(target_date=None))

    assert findings == [Finding("missing_target_date", "error", "target_date", 0)]


@pytest.mark.parametrize("target", [date(2025, 7, 1), date(2025, 12, 31)])
def test_a_target_date_after_the_period_is_outside_it(target: date) -> None:
    findings = findings_for(goal(target_date=target))

    params = {"start": "2025-04-01", "end": "2025-06-30"}
    assert findings == [Finding("target_outside_period", "error", "target_date", 0, params)]


def test_a_target_date_before_the_period_is_outside_it_and_in_the_past() -> None:
    findings = findings_for(goal(target_date=date(2025, 3, 31)))

    assert codes(findings) == ["target_outside_period", "target_in_past"]
    assert findings[1].params == {"today": "2025-04-07"}


def test_a_target_date_earlier_than_today_is_in_the_past() -> None:
    findings = findings_for(goal(target_date=date(2025, 4, 6)))

    assert findings == [
        Finding("target_in_past", "error", "target_date", 0, {"today": "2025-04-07"})
    ]


@pytest.mark.parametrize("target", [TODAY, Q2_END])
def test_today_and_the_last_day_of_the_period_are_valid_targets(target: date) -> None:
    assert findings_for(goal(target_date=target)) == []


def test_empty_rows_are_ignored_and_do_not_count_towards_the_limit() -> None:
    empty = GoalDraft(outcome="", success="  ", target_date=None)
    findings = findings_for(empty, goal(), empty, goal(), goal(), empty)

    assert findings == []


def test_findings_keep_the_row_index_when_empty_rows_come_first() -> None:
    empty = GoalDraft(outcome="", success="", target_date=None)
    findings = findings_for(empty, empty, goal(outcome="Be more proactive", target_date=None))

    assert [(f.code, f.index) for f in findings] == [("missing_target_date", 2), ("goal_vague", 2)]
    assert findings[1].params == {"topic": "being proactive", "target_date": ""}


def test_a_row_with_only_a_how_is_not_empty() -> None:
    row = GoalDraft(outcome="", success="", target_date=None, how="Kubernetes course")

    assert codes(findings_for(row)) == ["missing_outcome", "missing_success", "missing_target_date"]


def test_an_empty_outcome_gets_no_phrasing_warning() -> None:
    findings = findings_for(goal(outcome=""))

    assert [f.severity for f in findings] == ["error"]


# --- goal phrasing -----------------------------------------------------------


@pytest.mark.parametrize(("text", "kind"), LABELLED_GOALS)
def test_goal_phrasing_is_classified_like_the_labelled_examples(text: str, kind: str) -> None:
    assert classify_goal(text) == kind


@pytest.mark.skipif(
    not SHARED_CSV.exists(),
    reason=f"{SHARED_CSV} not present (only the shared workspace has it, not a fresh clone)",
)
def test_every_row_of_the_shared_goal_phrasings_csv_is_classified_correctly() -> None:
    with SHARED_CSV.open(newline="", encoding="utf-8") as csv_file:
        rows = list(csv.DictReader(csv_file))

    wrong = [
        (row["text"], row["kind"]) for row in rows if classify_goal(row["text"]) != row["kind"]
    ]
    assert rows
    assert wrong == []


# --- other languages ----------------------------------------------------------

OTHER_LANGUAGES = [
    # a well-formed outcome: "independently diagnose production performance problems without
    # escalating to senior engineers" (its English translation is an outcome)
    "Научиться самостоятельно диагностировать проблемы производительности в продакшене "
    "без эскалации старшим инженерам",
    "Улучшить навыки проектирования систем",  # "improve my system design skills"
    "Mejorar mis habilidades técnicas",
    "Asistir al curso de Kubernetes en el segundo trimestre",
    "Meine technischen Fähigkeiten verbessern",
    "Améliorer mes compétences techniques",
    "Aprender a programar en Go",
    "プロダクションの性能問題を一人で診断できるようになる",
]


@pytest.mark.parametrize("text", OTHER_LANGUAGES)
def test_a_goal_in_another_language_gets_no_activity_or_vague_warning(text: str) -> None:
    assert findings_for(goal(outcome=text)) == []


def test_the_russian_outcome_is_judged_like_its_english_translation() -> None:
    english = (
        "Learn to independently diagnose performance problems in production without escalating "
        "to senior engineers"
    )
    assert findings_for(goal(outcome=english)) == []
    assert findings_for(goal(outcome=OTHER_LANGUAGES[0])) == []


def test_a_goal_in_another_language_still_needs_its_fields_and_dates() -> None:
    findings = findings_for(
        GoalDraft(outcome=OTHER_LANGUAGES[1], success="", target_date=date(2025, 8, 1))
    )
    assert codes(findings) == ["missing_success", "target_outside_period"]


def test_a_commitment_in_another_language_is_not_called_generic() -> None:
    assert check_commitment("Я буду поддерживать твоё развитие") == []
    assert codes(check_commitment("")) == ["missing_commitment"]


@pytest.mark.parametrize(
    "text",
    ["Improve my technical skills", "Attend Kubernetes training", "Learn Rust", "Kubernetes"],
)
def test_english_goals_are_still_judged(text: str) -> None:
    assert codes(findings_for(goal(outcome=text))) in (["goal_vague"], ["goal_activity"])


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Complete the AWS Solutions Architect certification", "AWS Solutions Architect"),
        ("Take a course on public speaking", "public speaking"),
        ("Watch the Strange Loop talks on distributed systems", "distributed systems"),
        ("Shadow a senior engineer on three incident reviews", "incident reviews"),
        ("Pair with Priya on the search service", "search service"),
        ("Do the internal SQL performance workshop", "SQL performance"),
        ("Go to two conferences this year", ""),
        ("Get better at system design", "system design"),
        ("Learn more about Rust", "Rust"),
        ("Become a better communicator", "communication"),
        ("Work on my estimation", "estimation"),
        ("Understand Kafka better", "Kafka"),
    ],
)
def test_phrasing_warnings_name_the_topic_for_a_concrete_rewrite(text: str, topic: str) -> None:
    [warning] = findings_for(goal(outcome=text))

    assert warning.params["topic"] == topic


# --- manager commitments -----------------------------------------------------


def test_an_empty_commitment_is_an_error() -> None:
    assert check_commitment("   ", index=0) == [
        Finding("missing_commitment", "error", "commitment", 0)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I'll help where I can",
        "Be available",
        "I will support you",
        "I will help you grow",
        "I will give feedback",
        "I will support Sam's development",
        "I will make sure you get interesting work",
        "I WILL SUPPORT YOUR DEVELOPMENT",
    ],
)
def test_commitments_with_no_opportunity_person_or_time_are_generic(text: str) -> None:
    assert codes(check_commitment(text)) == ["commitment_generic"]


@pytest.mark.parametrize(
    "text",
    [
        "I will prioritise opportunities for Sam to lead the next architecture review",
        "I will book a weekly hour with Priya for pairing on the search service",
        "I will protect Friday afternoons for learning time",
        "I will give you written feedback on each design doc within two days",
        "I will introduce you to @priya to pair on on-call handovers",
    ],
)
def test_specific_commitments_are_not_flagged(text: str) -> None:
    assert check_commitment(text) == []


# --- purity and templates ----------------------------------------------------


def test_domain_is_pure() -> None:
    probe = (
        "import sys, bot.domain.goals; "
        "banned = {'slack_bolt', 'slack_sdk', 'sqlalchemy', 'jinja2', 'pydantic'}; "
        "print(sorted(banned & {name.split('.')[0] for name in sys.modules}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"


def findings_for_every_code() -> list[Finding]:
    empty_everything = GoalDraft(outcome="", success="", target_date=None, how="a course")
    goals = [
        goal(outcome=GUIDE_KUBERNETES_ACTIVITY),
        goal(outcome="Go to two conferences this year", target_date=None),
        goal(outcome="Get better at system design", target_date=date(2025, 3, 1)),
        goal(outcome="Kubernetes", target_date=date(2025, 8, 1)),
        empty_everything,
    ]
    return [
        *check_goals(goals, Q2_START, Q2_END, TODAY),
        *check_commitment(""),
        *check_commitment("I will support your development"),
        *plan_findings_for_every_code(),
    ]


def plan_findings_for_every_code() -> list[Finding]:
    """The draft-level and manager-level rules of bot.domain.plans, one finding per code."""
    from bot.domain.plans import (
        CommitmentDraft,
        DraftForm,
        ManagerFacts,
        ManagerForm,
        check_draft,
        check_manager_form,
    )

    def draft(**changes: object) -> DraftForm:
        base: dict[str, object] = {
            "manager_user_id": "UM",
            "period_start": Q2_START,
            "period_end": Q2_END,
            "review_dates": {"4": Q2_START},
            "strengths": "x",
            "difficulties": "x",
            "aspiration": "x",
            "goals": [],
        }
        return DraftForm(**{**base, **changes})  # type: ignore[arg-type]

    fine = ManagerFacts(is_self=False, is_bot=False, is_deleted=False)
    long_text = "x" * 3001
    return [
        *check_draft(draft(), TODAY, None),
        *check_draft(draft(), TODAY, ManagerFacts(is_self=True, is_bot=False, is_deleted=False)),
        *check_draft(draft(), TODAY, ManagerFacts(is_self=False, is_bot=True, is_deleted=False)),
        *check_draft(draft(), TODAY, ManagerFacts(is_self=False, is_bot=False, is_deleted=True)),
        *check_draft(draft(period_start=None), TODAY, fine),
        *check_draft(draft(period_end=Q2_START), TODAY, fine),
        *check_draft(draft(period_end=date(2025, 4, 2)), date(2025, 5, 1), fine),
        *check_draft(draft(period_end=date(2026, 3, 31)), TODAY, fine),
        *check_draft(draft(review_dates={"4": date(2024, 1, 1)}, strengths=""), TODAY, fine),
        *check_draft(draft(review_dates={"4": date(2025, 4, 2)}), TODAY, fine),
        *check_draft(draft(aspiration=long_text), TODAY, fine),
        *check_draft(
            draft(review_dates={"4": date(2025, 5, 1), "8": date(2025, 4, 20)}), TODAY, fine
        ),
        *check_manager_form(
            ManagerForm(
                "", [], [CommitmentDraft("I will book pairing with Priya", date(2020, 1, 1))]
            ),
            TODAY,
            Q2_END,
        ),
        *check_manager_form(
            ManagerForm(
                "", [], [CommitmentDraft("I will book pairing with Priya", date(2030, 1, 1))]
            ),
            TODAY,
            Q2_END,
        ),
    ]


def render_finding(finding: Finding) -> str:
    return render(f"findings/{finding.code}", **finding.params)


@pytest.mark.parametrize("template", sorted(FINDING_TEMPLATES.glob("*.j2")), ids=lambda p: p.stem)
def test_every_finding_template_renders_with_the_params_of_a_real_finding(template: Path) -> None:
    matching = [f for f in findings_for_every_code() if f.code == template.stem]

    assert matching, f"no finding produces {template.stem}"
    for finding in matching:
        text = render_finding(finding)
        limit = 150 if finding.severity == "error" else 300
        assert 0 < len(text) < limit, text
        assert "{" not in text


def test_every_finding_code_has_a_template() -> None:
    produced = {finding.code for finding in findings_for_every_code()}

    assert produced == {path.stem for path in FINDING_TEMPLATES.glob("*.j2")}


def test_the_activity_hint_is_a_concrete_rewrite() -> None:
    [warning] = findings_for(goal(outcome=GUIDE_KUBERNETES_ACTIVITY))

    assert render_finding(warning) == (
        "This reads as an activity. What will you be able to do once you have done it? "
        "e.g. “By Fri 27 Jun 2025, I will be able to … with Kubernetes without …” "
        "— keep the training under *How I'll get there*."
    )
