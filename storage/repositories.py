from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from storage.models import Concern, ConcernConversation, Person, Plan, Prompt, SlackEvent

OPEN_PLAN_STATES = ("draft", "awaiting_manager", "awaiting_engineer", "active")


class People:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, team_id: str, slack_user_id: str) -> Person | None:
        return self.session.scalar(
            select(Person).where(Person.team_id == team_id, Person.slack_user_id == slack_user_id)
        )

    def get_by_id(self, person_id: int) -> Person | None:
        return self.session.get(Person, person_id)

    def add(self, person: Person) -> Person:
        self.session.add(person)
        self.session.flush()
        return person

    def reports_of(self, manager: Person) -> Sequence[Person]:
        return self.session.scalars(
            select(Person).where(Person.manager_id == manager.id).order_by(Person.name)
        ).all()


class Plans:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, plan_id: int) -> Plan | None:
        return self.session.get(Plan, plan_id)

    def add(self, plan: Plan) -> Plan:
        self.session.add(plan)
        self.session.flush()
        return plan

    def current_for(self, engineer: Person) -> Plan | None:
        """The engineer's open plan (draft to active), newest first."""
        return self.session.scalar(
            select(Plan)
            .where(Plan.engineer_id == engineer.id, Plan.status.in_(OPEN_PLAN_STATES))
            .order_by(Plan.id.desc())
            .options(selectinload(Plan.goals), selectinload(Plan.commitments))
            .limit(1)
        )


class Prompts:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, prompt_id: int) -> Prompt | None:
        return self.session.get(Prompt, prompt_id)

    def for_plan(self, plan_id: int) -> Sequence[Prompt]:
        return self.session.scalars(
            select(Prompt).where(Prompt.plan_id == plan_id).order_by(Prompt.due_at)
        ).all()


class Events:
    """Events API deliveries already handled, so a retry or a second instance skips them."""

    KEEP = timedelta(days=2)  # Slack retries within the hour

    def __init__(self, session: Session) -> None:
        self.session = session

    def first_time(self, team_id: str, event_id: str, now: datetime) -> bool:
        """Record the event; False when it was recorded already (by this transaction's
        commit, it counts as handled). A concurrent delivery waits on the row and then
        sees it."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(SlackEvent)
            .values(event_id=event_id, team_id=team_id, received_at=now)
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(SlackEvent.event_id)
        )
        inserted = self.session.execute(statement).first() is not None
        if inserted:
            self.session.execute(delete(SlackEvent).where(SlackEvent.received_at < now - self.KEEP))
        return inserted


class Concerns:
    """Early-intervention threads. Every query that returns a concern names the recording
    manager: a concern is theirs alone. By engineer only, `dates_about` gives dates, no texts."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, concern_id: int) -> Concern | None:
        return self.session.get(Concern, concern_id)

    def add(self, concern: Concern) -> Concern:
        self.session.add(concern)
        self.session.flush()
        return concern

    def open_thread(self, manager: Person, engineer: Person) -> Concern | None:
        return self.session.scalar(
            select(Concern)
            .where(
                Concern.manager_id == manager.id,
                Concern.engineer_id == engineer.id,
                Concern.status == "open",
            )
            .options(selectinload(Concern.conversations))
        )

    def dates_about(self, team_id: str, engineer_id: int) -> Sequence[tuple[int, int, date]]:
        """(concern id, conversation number, held on) of every conversation about one
        engineer, by any manager, oldest first: dates only, never what was said. For the
        count and dates a PIP needs (bot/services/concern_history.py asks the policy first)."""
        rows = self.session.execute(
            select(Concern.id, ConcernConversation.number, ConcernConversation.held_on)
            .join(ConcernConversation, ConcernConversation.concern_id == Concern.id)
            .where(Concern.team_id == team_id, Concern.engineer_id == engineer_id)
            .order_by(ConcernConversation.held_on, Concern.id, ConcernConversation.number)
        ).all()
        return [(r[0], r[1], r[2]) for r in rows]

    def open_of(self, manager: Person) -> Sequence[Concern]:
        """The manager's open threads, with their engineers and conversations."""
        return self.session.scalars(
            select(Concern)
            .where(Concern.manager_id == manager.id, Concern.status == "open")
            .order_by(Concern.id)
            .options(selectinload(Concern.conversations), selectinload(Concern.engineer))
        ).all()
