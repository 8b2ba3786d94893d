"""HR's digest: what needs HR's attention, as counts and items grouped by kind. Pure: the
service reads the database into the plain facts below and passes `today`; this module decides.

HR sees names, dates, numbers and statuses only: no fact carries the text of a goal, a
check-in, a review or a concern, so no item can show one. The one text an item holds is the
justification a manager gave HR for opening a PIP without an earlier documented conversation,
which the guide asks HR to weigh."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

# The kinds, in the order the digest lists them (PIPs first: they are formal processes).
PIP_CHECKPOINT = "pip_checkpoint_overdue"
PIP_SUPPORT = "pip_support_missed"
PIP_NO_EARLIER = "pip_no_earlier_conversation"
PIP_SIGNAL = "pip_signal"
UNREVIEWED = "pdp_unreviewed"
COMMITMENT = "commitment_overdue"
STUCK_GOAL = "goal_stuck"
UNDELIVERABLE = "undeliverable"
PAUSED = "plan_paused"
UNANSWERED = "checkin_unanswered"
KINDS = (
    PIP_CHECKPOINT,
    PIP_SUPPORT,
    PIP_NO_EARLIER,
    PIP_SIGNAL,
    UNREVIEWED,
    COMMITMENT,
    STUCK_GOAL,
    UNDELIVERABLE,
    PAUSED,
    UNANSWERED,
)
PIP_KINDS = frozenset({PIP_CHECKPOINT, PIP_SUPPORT, PIP_NO_EARLIER, PIP_SIGNAL})

# The guide's thresholds.
NO_REVIEW_DAYS = 35  # "discussed at least monthly": over five weeks is a PDP not reviewed
COMMITMENT_GRACE_DAYS = 14
STUCK_PERIODS = 2  # "the same goals quarter after quarter without movement"
NO_PROGRESS = frozenset({"not_started"})


@dataclass(frozen=True)
class Who:
    id: int
    slack_id: str
    name: str


@dataclass(frozen=True)
class PlanFact:
    """An open PDP: when it started and when it was last reviewed (None: never)."""

    plan_id: int
    engineer: Who
    manager: Who
    status: str
    started_on: date | None
    last_review_on: date | None
    paused_reason: str | None = None
    paused_on: date | None = None


@dataclass(frozen=True)
class CommitmentFact:
    commitment_id: int
    plan_id: int
    position: int
    due_on: date | None
    status: str  # pending, delivered, withdrawn


@dataclass(frozen=True)
class GoalFact:
    goal_id: int
    plan_id: int
    position: int
    carried: int
    progress: str


@dataclass(frozen=True)
class UndeliveredFact:
    """A message the bot could not deliver (status undeliverable or failed), and why."""

    prompt_id: int
    plan_id: int | None
    engineer: Who | None
    manager: Who | None
    kind: str
    on: date
    error: str


@dataclass(frozen=True)
class UnansweredFact:
    """A check-in nudged and still not answered by `waiting` (the people it waits for)."""

    prompt_id: int
    plan_id: int
    kind: str
    nudged_on: date
    waiting: tuple[str, ...]


@dataclass(frozen=True)
class PipFact:
    """An open PIP, as numbers and dates: checkpoints due and not recorded, support delivery,
    earlier documented conversations, and the integrity signals the PIP rules found."""

    pip_id: int
    engineer: Who
    manager: Who
    overdue_checkpoints: tuple[tuple[int, date], ...] = ()  # (number, due on)
    support_due: int = 0  # deliveries recorded so far (delivered or missed)
    support_missed: int = 0
    support_partly: int = 0  # partly delivered: counts half
    earlier_conversations: int = 1
    justification: str = ""
    signals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Facts:
    today: date
    plans: Sequence[PlanFact] = ()
    commitments: Sequence[CommitmentFact] = ()
    goals: Sequence[GoalFact] = ()
    undelivered: Sequence[UndeliveredFact] = ()
    unanswered: Sequence[UnansweredFact] = ()
    pips: Sequence[PipFact] = ()


@dataclass(frozen=True)
class Item:
    """One line of the digest. `key` names the situation (stable from one digest to the
    next, so a nudge is remembered); the rest is what the line shows."""

    kind: str
    key: str
    engineer: Who | None
    manager: Who | None
    days: int | None = None  # overdue by / without a review for / since
    number: int | None = None  # the checkpoint, commitment or goal number
    on: date | None = None  # the date the item is about
    rate: int | None = None  # support delivered, in percent
    count: int | None = None  # periods carried, conversations, ...
    note: str = ""  # a status, an error, a pause reason, the justification given to HR
    names: tuple[str, ...] = ()  # signals, or whom a check-in waits for
    partly: int | None = None  # support sessions partly delivered

    @property
    def sort_key(self) -> tuple[int, str, str]:
        who = self.engineer.name.casefold() if self.engineer else ""
        return (-(self.days or 0), who, self.key)


@dataclass(frozen=True)
class Digest:
    today: date
    groups: tuple[tuple[str, tuple[Item, ...]], ...] = field(default=())

    @property
    def counts(self) -> dict[str, int]:
        return {kind: len(items) for kind, items in self.groups}

    @property
    def total(self) -> int:
        return sum(len(items) for _, items in self.groups)

    @property
    def empty(self) -> bool:
        return self.total == 0

    def items(self) -> list[Item]:
        return [item for _, items in self.groups for item in items]

    def without_pips(self) -> Digest:
        return Digest(self.today, tuple((k, i) for k, i in self.groups if k not in PIP_KINDS))


def build(facts: Facts) -> Digest:
    """Every item HR should see today, grouped by kind in KINDS order, worst first."""
    found: dict[str, list[Item]] = {kind: [] for kind in KINDS}
    plans = {p.plan_id: p for p in facts.plans}
    for item in _pip_items(facts.pips, facts.today):
        found[item.kind].append(item)
    for item in _plan_items(facts, plans):
        found[item.kind].append(item)
    groups = tuple(
        (kind, tuple(sorted(items, key=lambda i: i.sort_key)))
        for kind, items in found.items()
        if items
    )
    return Digest(facts.today, groups)


def _pip_items(pips: Iterable[PipFact], today: date) -> Iterable[Item]:
    for pip in pips:
        who = (pip.engineer, pip.manager)
        for number, due in pip.overdue_checkpoints:
            if due < today:
                yield Item(
                    PIP_CHECKPOINT,
                    f"pip:{pip.pip_id}:checkpoint:{number}",
                    *who,
                    days=(today - due).days,
                    number=number,
                    on=due,
                )
        if pip.support_missed or pip.support_partly:
            full = pip.support_due - pip.support_missed - pip.support_partly
            rate = (200 * full + 100 * pip.support_partly) // (2 * max(pip.support_due, 1))
            yield Item(
                PIP_SUPPORT,
                f"pip:{pip.pip_id}:support",
                *who,
                rate=rate,
                count=pip.support_missed,
                number=pip.support_due,
                partly=pip.support_partly or None,
            )
        if pip.earlier_conversations == 0:
            yield Item(PIP_NO_EARLIER, f"pip:{pip.pip_id}:no_earlier", *who, note=pip.justification)
        if pip.signals:
            yield Item(PIP_SIGNAL, f"pip:{pip.pip_id}:signals", *who, names=pip.signals)


def _plan_items(facts: Facts, plans: Mapping[int, PlanFact]) -> Iterable[Item]:
    today = facts.today
    for plan in plans.values():
        who = (plan.engineer, plan.manager)
        if plan.paused_reason:
            since = (today - plan.paused_on).days if plan.paused_on else None
            yield Item(
                PAUSED, f"plan:{plan.plan_id}:paused", *who, note=plan.paused_reason, days=since
            )
            continue  # a paused plan is not reviewed, nudged or reminded: that is the item
        if plan.status != "active":
            continue
        last = plan.last_review_on or plan.started_on
        if last is not None and (today - last).days > NO_REVIEW_DAYS:
            yield Item(
                UNREVIEWED,
                f"plan:{plan.plan_id}:unreviewed",
                *who,
                days=(today - last).days,
                on=plan.last_review_on,
            )
    live = {pid for pid, p in plans.items() if p.status == "active" and not p.paused_reason}
    for c in facts.commitments:
        if c.plan_id not in live or c.status != "pending" or c.due_on is None:
            continue
        late = (today - c.due_on).days
        if late > COMMITMENT_GRACE_DAYS:
            plan = plans[c.plan_id]
            yield Item(
                COMMITMENT,
                f"commitment:{c.commitment_id}:overdue",
                plan.engineer,
                plan.manager,
                days=late,
                number=c.position,
                on=c.due_on,
            )
    for g in facts.goals:
        if g.plan_id in live and g.carried >= STUCK_PERIODS and g.progress in NO_PROGRESS:
            plan = plans[g.plan_id]
            yield Item(
                STUCK_GOAL,
                f"goal:{g.goal_id}:stuck",
                plan.engineer,
                plan.manager,
                number=g.position,
                count=g.carried,
                note=g.progress,
            )
    for u in facts.undelivered:
        yield Item(
            UNDELIVERABLE,
            f"prompt:{u.prompt_id}:undelivered",
            u.engineer,
            u.manager,
            days=(today - u.on).days,
            on=u.on,
            note=u.error,
            names=(u.kind,),
        )
    for a in facts.unanswered:
        if a.plan_id not in live:
            continue
        plan = plans[a.plan_id]
        yield Item(
            UNANSWERED,
            f"prompt:{a.prompt_id}:unanswered",
            plan.engineer,
            plan.manager,
            days=(today - a.nudged_on).days,
            on=a.nudged_on,
            names=a.waiting,
            note=a.kind,
        )
