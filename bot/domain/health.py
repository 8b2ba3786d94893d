"""Cadence health, per team and per manager: the guide's "performance conversation cadence"
across the organisation rather than one pair at a time. Pure; `today` is an argument.

- reviews held on time: an agreed review date (goal setting, checks, monthly reviews, the
  reflection) whose week has passed counts as due; it was held on time when a review or
  check-in of the plan is recorded within ON_TIME days either side of it;
- commitments delivered by their date: commitments due by today (not withdrawn nor handed
  over) delivered on or before their date;
- check-ins answered: check-in prompts sent at least ANSWER_DAYS ago that both people
  answered;
- PIPs with their support fully delivered: PIPs with at least one checkpoint recorded in
  which every support item was delivered at every checkpoint."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

ON_TIME = timedelta(days=7)
ANSWER_DAYS = timedelta(days=7)


@dataclass(frozen=True)
class Ratio:
    done: int = 0
    due: int = 0

    @property
    def percent(self) -> int | None:
        return None if not self.due else round(100 * self.done / self.due)

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.done + other.done, self.due + other.due)


@dataclass(frozen=True)
class ReviewFact:
    team: str
    manager: str
    on: date  # the agreed date
    held: tuple[date, ...]  # when the plan's reviews and check-ins were recorded


@dataclass(frozen=True)
class CommitmentFact:
    team: str
    manager: str
    due: date
    status: str  # pending, delivered, withdrawn, handed_over
    delivered_on: date | None


@dataclass(frozen=True)
class CheckinFact:
    team: str
    manager: str
    sent_on: date
    engineer_answered: bool
    manager_answered: bool


@dataclass(frozen=True)
class PipFact:
    team: str
    manager: str
    checkpoints_recorded: int
    support_all_delivered: bool


@dataclass(frozen=True)
class Facts:
    reviews: list[ReviewFact] = field(default_factory=list)
    commitments: list[CommitmentFact] = field(default_factory=list)
    checkins: list[CheckinFact] = field(default_factory=list)
    pips: list[PipFact] = field(default_factory=list)


@dataclass(frozen=True)
class Figures:
    reviews_on_time: Ratio = Ratio()
    commitments_on_time: Ratio = Ratio()
    checkins_answered: Ratio = Ratio()
    pips_supported: Ratio = Ratio()

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.reviews_on_time + other.reviews_on_time,
            self.commitments_on_time + other.commitments_on_time,
            self.checkins_answered + other.checkins_answered,
            self.pips_supported + other.pips_supported,
        )


@dataclass(frozen=True)
class Health:
    teams: dict[str, Figures]
    managers: dict[str, Figures]
    overall: Figures


def review_held_on_time(fact: ReviewFact) -> bool:
    return any(abs((held - fact.on).days) <= ON_TIME.days for held in fact.held)


def _review(fact: ReviewFact, today: date) -> Figures | None:
    if fact.on + ON_TIME > today:
        return None  # its week is not over: not due yet
    return Figures(reviews_on_time=Ratio(int(review_held_on_time(fact)), 1))


def _commitment(fact: CommitmentFact, today: date) -> Figures | None:
    if fact.due > today or fact.status in ("withdrawn", "handed_over"):
        return None
    on_time = fact.status == "delivered" and (fact.delivered_on or today) <= fact.due
    return Figures(commitments_on_time=Ratio(int(on_time), 1))


def _checkin(fact: CheckinFact, today: date) -> Figures | None:
    if fact.sent_on + ANSWER_DAYS > today:
        return None
    answered = fact.engineer_answered and fact.manager_answered
    return Figures(checkins_answered=Ratio(int(answered), 1))


def _pip(fact: PipFact, today: date) -> Figures | None:
    if not fact.checkpoints_recorded:
        return None
    return Figures(pips_supported=Ratio(int(fact.support_all_delivered), 1))


def health(facts: Facts, today: date) -> Health:
    """The four figures per team, per manager and overall."""
    teams: dict[str, Figures] = {}
    managers: dict[str, Figures] = {}
    overall = Figures()
    scored: list[tuple[str, str, Figures | None]] = []
    scored += [(f.team, f.manager, _review(f, today)) for f in facts.reviews]
    scored += [(f.team, f.manager, _commitment(f, today)) for f in facts.commitments]
    scored += [(f.team, f.manager, _checkin(f, today)) for f in facts.checkins]
    scored += [(f.team, f.manager, _pip(f, today)) for f in facts.pips]
    for team, manager, figures in scored:
        if figures is None:
            continue
        teams[team] = teams.get(team, Figures()) + figures
        managers[manager] = managers.get(manager, Figures()) + figures
        overall = overall + figures
    return Health(dict(sorted(teams.items())), dict(sorted(managers.items())), overall)


def trend(
    quarters: Iterable[tuple[str, Facts, date]], figure: Callable[[Figures], Ratio]
) -> dict[str, dict[str, int | None]]:
    """Per team, one figure's percentage per quarter: {team: {"2027Q1": 80, ...}}, from each
    quarter's facts and the day they are read at (its last day, or today)."""
    result: dict[str, dict[str, int | None]] = {}
    for label, facts, on in quarters:
        for team, figures in health(facts, on).teams.items():
            result.setdefault(team, {})[label] = figure(figures).percent
    return dict(sorted(result.items()))
