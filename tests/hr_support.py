"""A seeded organisation with one of every kind of digest item (and things that must not be
items), written straight to the database. Every text people typed contains MARK, so a test
can prove none of it reaches HR."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy.orm import Session

from bot.domain.pip_rules import PRECONDITIONS
from storage.models import Commitment, Goal, Person, Plan, Prompt, ReviewEntry
from storage.pip_models import Pip, PipCheckpoint, PipConcern, PipCriterion, PipSupport

MARK = "SECRETWORDS"
TEAM = "T0001"
# The digest is read on Monday 1 March 2027 (UTC), 10:00.
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=timezone.utc)
START = date(2027, 1, 4)


@dataclass
class Org:
    people: dict[str, Person] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    prompts: dict[str, Prompt] = field(default_factory=dict)


def person(session: Session, org: Org, slack_id: str, name: str, **extra: object) -> Person:
    p = Person(team_id=TEAM, slack_user_id=slack_id, name=name, tz="Europe/London", **extra)
    session.add(p)
    org.people[slack_id] = p
    return p


def plan(session: Session, org: Org, label: str, engineer: Person, manager: Person) -> Plan:
    p = Plan(
        team_id=TEAM,
        engineer=engineer,
        manager=manager,
        status="active",
        period_start=START,
        period_end=date(2027, 3, 31),
        strengths=f"{MARK} strengths",
        difficulties=f"{MARK} difficulties",
        aspiration=f"{MARK} aspiration",
        created_at=datetime(2027, 1, 4, 9, tzinfo=timezone.utc),
        activated_at=datetime(2027, 1, 4, 12, tzinfo=timezone.utc),
    )
    session.add(p)
    org.plans[label] = p
    return p


def goal(p: Plan, position: int, carried: int, progress: str) -> Goal:
    g = Goal(
        team_id=TEAM,
        position=position,
        outcome=f"{MARK} goal {position}",
        success=f"{MARK} success",
        carried_count=carried,
        progress=progress,
    )
    p.goals.append(g)
    return g


def commitment(p: Plan, position: int, due: date, status: str = "pending") -> Commitment:
    c = Commitment(
        team_id=TEAM, position=position, text=f"{MARK} commitment", due_date=due, status=status
    )
    p.commitments.append(c)
    return c


def review(p: Plan, on: date, author: Person) -> ReviewEntry:
    r = ReviewEntry(
        team_id=TEAM,
        kind="monthly_review",
        author=author,
        occurred_on=on,
        created_at=datetime.combine(on, datetime.min.time(), timezone.utc),
        progress=f"{MARK} progress",
        blockers=f"{MARK} blockers",
        adjustments=f"{MARK} adjustments",
        answers={"looking_back": f"{MARK} answer"},
    )
    p.reviews.append(r)
    return r


def prompt(session: Session, p: Plan, key: str, kind: str, status: str, due: datetime) -> Prompt:
    row = Prompt(
        team_id=TEAM,
        key=key,
        plan=p,
        kind=kind,
        planned_on=due.date(),
        due_at=due,
        status=status,
        created_at=due - timedelta(days=30),
    )
    session.add(row)
    return row


def seed(session: Session) -> Org:
    """Maya manages Ana (never reviewed: 56 days) and Chidi (reviewed 20 Feb; one commitment
    28 days overdue, one 9 days, one delivered long ago; a goal carried twice with no
    progress, one carried three times and on track). Ben manages Otto (deactivated: plan
    paused) and Priya (a check-in nudged and unanswered by Ben; a reminder undeliverable)."""
    org = Org()
    maya = person(session, org, "UMAYA", "Maya Okafor")
    ben = person(session, org, "UBEN", "Ben Carter")
    ana = person(session, org, "UANA", "Ana Ruiz", manager=maya)
    chidi = person(session, org, "UCHIDI", "Chidi Eze", manager=maya)
    otto = person(session, org, "UOTTO", "Otto Berg", manager=ben, deleted=True)
    priya = person(session, org, "UPRIYA", "Priya Nair", manager=ben)
    person(session, org, "UHANA", "Hana Sato")

    plan(session, org, "ana", ana, maya)

    chidi_plan = plan(session, org, "chidi", chidi, maya)
    review(chidi_plan, date(2027, 2, 20), maya)
    commitment(chidi_plan, 0, date(2027, 2, 1))  # 28 days overdue
    commitment(chidi_plan, 1, date(2027, 2, 20))  # 9 days: within the grace
    commitment(chidi_plan, 2, date(2027, 1, 10), status="delivered")
    goal(chidi_plan, 0, carried=2, progress="not_started")
    goal(chidi_plan, 1, carried=3, progress="on_track")
    goal(chidi_plan, 2, carried=1, progress="not_started")

    otto_plan = plan(session, org, "otto", otto, ben)
    otto_plan.paused_reason = "Otto Berg is deactivated in Slack"

    priya_plan = plan(session, org, "priya", priya, ben)
    review(priya_plan, date(2027, 2, 15), priya)
    checkin = prompt(
        session,
        priya_plan,
        "priya:progress_check:2",
        "progress_check",
        "sent",
        datetime(2027, 2, 22, 10, tzinfo=timezone.utc),
    )
    checkin.sent_at = checkin.due_at
    checkin.nudged_at = datetime(2027, 2, 25, 10, tzinfo=timezone.utc)
    checkin.engineer_answered_at = datetime(2027, 2, 23, 10, tzinfo=timezone.utc)
    org.prompts["checkin"] = checkin
    lost = prompt(
        session,
        priya_plan,
        "priya:reminder:1",
        "commitment_reminder",
        "undeliverable",
        datetime(2027, 2, 26, 10, tzinfo=timezone.utc),
    )
    lost.error = "messages_tab_disabled"
    org.prompts["lost"] = lost
    session.flush()
    return org


def seed_pip(session: Session, org: Org, *, closed: bool = False) -> Pip:
    """Maya's PIP for Olga (Ольга Петрова; HR: Hana), eight weeks from Mon 25 Jan 2027,
    weekly: checkpoint 1 recorded on time with its support delivered; 2 recorded late with
    its support not delivered and nothing adjusted; 3 and 4 not recorded (overdue at NOW);
    5 due at NOW. No earlier documented conversation, with a justification for HR. Every
    text typed into it contains MARK except that justification."""
    olga = person(session, org, "UOLGA", "Ольга Петрова", manager=org.people["UMAYA"])
    pip = Pip(
        team_id=TEAM,
        engineer=olga,
        manager=org.people["UMAYA"],
        hr_person=org.people["UHANA"],
        status="closed" if closed else "open",
        classification="performance",
        preconditions={
            "confirmed": list(PRECONDITIONS),
            "gap_evidence": f"{MARK} gap",
            "expectations_evidence": f"{MARK} expectations",
            "conversations_evidence": f"{MARK} conversations",
            "support_evidence": f"{MARK} support",
            "justification": JUSTIFICATION,
        },
        earlier_iterations=0,
        hr_acknowledged_at=datetime(2027, 1, 21, 15, tzinfo=timezone.utc),
        start_on=date(2027, 1, 25),
        end_on=date(2027, 3, 19),
        weeks=8,
        frequency="weekly",
        consequence=f"{MARK} consequence",
        opened_at=datetime(2027, 1, 25, 11, tzinfo=timezone.utc),
        received_at=datetime(2027, 1, 25, 16, tzinfo=timezone.utc),
        outcome="met" if closed else None,
        outcome_note=f"{MARK} outcome" if closed else "",
        created_at=datetime(2027, 1, 20, 10, tzinfo=timezone.utc),
        closed_at=datetime(2027, 3, 19, 17, tzinfo=timezone.utc) if closed else None,
    )
    pip.concerns.append(
        PipConcern(team_id=TEAM, position=1, concern=f"{MARK} concern", evidence=f"{MARK} ev")
    )
    pip.criteria.append(
        PipCriterion(
            team_id=TEAM,
            position=1,
            text=f"{MARK} criterion",
            answer="agreed",
            answered_revision=1,
            answered_at=datetime(2027, 1, 25, 16, tzinfo=timezone.utc),
        )
    )
    pip.support.append(
        PipSupport(
            team_id=TEAM, position=1, what=f"{MARK} pairing", who="Priya", how_often="weekly"
        )
    )
    session.add(pip)
    session.flush()
    criterion, support = pip.criteria[0].id, pip.support[0].id
    for number in range(1, 9):
        due = date(2027, 2, 1) + timedelta(weeks=number - 1)
        checkpoint = PipCheckpoint(
            team_id=TEAM, number=number, due_on=due, overdue_on=due + timedelta(days=2)
        )
        if number in (1, 2):
            recorded = due if number == 1 else due + timedelta(days=4)
            checkpoint.recorded_on = recorded
            checkpoint.recorded_at = datetime.combine(recorded, datetime.min.time(), timezone.utc)
            checkpoint.working = f"{MARK} working"
            checkpoint.needs_work = f"{MARK} needs work"
            checkpoint.next_focus = f"{MARK} next"
            checkpoint.assessments = [
                {"criterion_id": criterion, "status": "progressing", "evidence": f"{MARK} seen"}
            ]
            delivery = {"support_id": support, "delivery": "yes" if number == 1 else "no"}
            if number == 2:
                delivery["reason"] = f"{MARK} reason"
            checkpoint.deliveries = [delivery]
        pip.checkpoints.append(checkpoint)
    session.flush()
    return pip


JUSTIFICATION = "Found in an incident review; the informal round was skipped on legal advice"
