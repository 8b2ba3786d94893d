"""Due work as rows: a plan's prompts, commitment reminders and nudges, each due at a time
that suits the people it is for. The tick (due_work) sends them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holiday_calendars
from sqlalchemy import or_, select

from bot.config import Settings
from bot.domain.cadence import (
    WEEKDAYS,
    Calendar,
    Occurrence,
    add_working_days,
    local_date,
    weekly_reminders,
)
from bot.domain.commitments import default_due
from bot.domain.periods import agreed_key, agreed_schedule, next_review, parse_agreed
from bot.domain.roster import weekend_of
from bot.domain.slots import (
    Recipient,
    is_late,
    next_good_time,
    prompt_week,
    slot,
    week_calendar,
)
from storage.models import Commitment, Person, Plan, Prompt
from storage.unit_of_work import UnitOfWork

REVIEW_KINDS = ("goal_setting", "progress_check", "monthly_review", "reflection")
CHECKIN_KINDS = ("progress_check", "monthly_review")
NUDGED_KINDS = (*CHECKIN_KINDS, "reflection")  # one nudge each, three working days after
REMINDER = "commitment_reminder"
NUDGE = "checkin_nudge"
OUTLIVES_PLAN = ("next_quarter",)  # bot/services/week_one.py
OPEN = ("pending", "sending")
# Which of two review prompts in one week survives: the lower rank.
RANK = {"goal_setting": 0, "reflection": 1, "progress_check": 2, "monthly_review": 3}


@cache
def _country(country: str, year: int) -> tuple[frozenset[int], frozenset[date]]:
    found = holiday_calendars.country_holidays(country, years=year)  # country checked by Settings
    return frozenset(found.weekend), frozenset(found)


def calendar_for(country: str | None, around: date) -> Calendar:
    """The working week of `country` (its weekend and public holidays) around a date; Monday
    to Friday with no holidays when the country is unknown."""
    if not country:
        return WEEKDAYS
    years = [_country(country.upper(), y) for y in (around.year - 1, around.year, around.year + 1)]
    return Calendar(years[1][0], frozenset().union(*(days for _, days in years)))


def calendar_of(person: Person, settings: Settings, around: date) -> Calendar:
    """Their country's holidays and weekend (the roster's country, else HOLIDAY_COUNTRY);
    their own working days instead of the country's weekend when the roster gives them."""
    calendar = calendar_for(person.country or settings.holiday_country, around)
    weekend = weekend_of(person.working_days or "")
    return calendar if weekend is None else Calendar(weekend, calendar.holidays)


def zone_of(person: Person, settings: Settings) -> str:
    tz = person.tz or settings.default_tz
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return settings.default_tz
    return tz


def recipient(person: Person, settings: Settings, around: date) -> Recipient:
    calendar = calendar_of(person, settings, around)
    return Recipient(zone_of(person, settings), calendar, person.away_until)


def audience(prompt: Prompt) -> list[Person]:
    """Who a prompt is for (its kind says); the first one's calendar places it."""
    from bot.services.outbox.registry import kind_of

    people = kind_of(prompt.kind).people_of(prompt)
    assert people, f"a {prompt.kind} placed in working hours needs the people it is for"
    return people


def in_working_hours(row: Prompt) -> bool:
    """A row placed in its people's working hours (the cadence's, and later features'), as
    opposed to a message sent as soon as it is enqueued."""
    from bot.services.outbox.registry import kind_of

    return kind_of(row.kind).working_hours


def recipients(prompt: Prompt, settings: Settings) -> list[Recipient]:
    return [recipient(p, settings, prompt.planned_on) for p in audience(prompt)]


def due_for(prompt: Prompt, settings: Settings) -> datetime:
    return slot(prompt.planned_on, recipients(prompt, settings), settings.prompt_hour)


def week_of(prompt: Prompt, settings: Settings) -> date:
    """The pair's working week a prompt goes (or went) out in: its first day."""
    when = prompt.sent_at if prompt.status == "sent" and prompt.sent_at else prompt.due_at
    people = recipients(prompt, settings)
    return prompt_week(when, people[0].tz, week_calendar(people))


def planned_occurrences(plan: Plan) -> list[Occurrence]:
    """The plan's prompts: its agreed schedule (periods.agreed_schedule), the one the modal
    showed and every message, "next review" and the reflection button read."""
    agreed = {
        key: date.fromisoformat(str(on)[:10]) for key, on in (plan.review_dates or {}).items()
    }
    return agreed_schedule(plan.period_start, plan.period_end, agreed)


def plan_key(plan: Plan, kind: str, occurrence: int) -> str:
    return f"plan:{plan.id}:{kind}:{occurrence}"


def prompts_of(uow: UnitOfWork, plan: Plan) -> list[Prompt]:
    return list(uow.session.scalars(select(Prompt).where(Prompt.plan_id == plan.id)))


def _new_prompt(
    plan: Plan, key: str, kind: str, occurrence: int, on: date, now: datetime
) -> Prompt:
    return Prompt(
        team_id=plan.team_id,
        key=key,
        plan=plan,
        kind=kind,
        occurrence=occurrence,
        planned_on=on,
        status="pending",
        attempts=0,
        created_at=now,
    )


def schedule_plan(uow: UnitOfWork, plan: Plan, settings: Settings, now: datetime) -> None:
    """Write (or bring up to date) the plan's due work. Idempotent; call it when a plan
    becomes active or its dates or commitments change, inside the caller's unit of work."""
    existing = {p.key: p for p in prompts_of(uow, plan)}
    wanted = set()
    occurrences = planned_occurrences(plan)
    plan.review_dates = {agreed_key(o.kind, o.occurrence): o.on.isoformat() for o in occurrences}
    for occ in occurrences:
        key = plan_key(plan, occ.kind, occ.occurrence)
        wanted.add(key)
        row = existing.get(key)
        if row is None:
            row = _new_prompt(plan, key, occ.kind, occ.occurrence, occ.on, now)
        elif row.status not in ("pending", "cancelled"):
            continue
        if row.planned_on != occ.on:
            start_afresh(row)
        row.planned_on, row.status, row.error = occ.on, "pending", None
        with uow.session.no_autoflush:  # placing it may load its people; it has no due_at yet
            place(row, settings, now)
        uow.session.add(row)
    for key, row in existing.items():
        if row.kind in REVIEW_KINDS and key not in wanted and row.status in OPEN:
            row.status, row.error = "cancelled", "no longer in the plan's schedule"
    for commitment in plan.commitments:
        schedule_commitment(uow, plan, commitment, settings, now, existing.values())
    uow.session.flush()
    keep_one_per_week(uow, plan, settings)


def place(row: Prompt, settings: Settings, now: datetime, *, owed: bool = False) -> None:
    """Due time for a pending row; work from a week that is already over is not sent, unless
    it was already `owed` (re-slotted after a time-zone change or an absence): then it goes
    out late, saying so."""
    owed_since = (row.deferred_from or row.due_at) if owed else None
    row.due_at = due_for(row, settings)
    row.deferred_from = None
    if row.due_at >= now:
        return
    people = recipients(row, settings)
    tz, week = people[0].tz, week_calendar(people)
    if owed_since is not None and owed_since < now:
        row.deferred_from = owed_since
    elif prompt_week(row.due_at, tz, week) != prompt_week(now, tz, week):
        row.status, row.error = "missed", "its week had passed when the plan was scheduled"
        return
    row.due_at = next_good_time(now, people, settings.prompt_hour)


def schedule_commitment(
    uow: UnitOfWork,
    plan: Plan,
    commitment: Commitment,
    settings: Settings,
    now: datetime,
    rows: Iterable[Prompt] = (),
) -> None:
    mine = [r for r in rows if r.kind == REMINDER and r.commitment_id == commitment.id]
    pending = [r for r in mine if r.status in OPEN]
    if commitment.status != "pending":
        for row in pending:
            row.status, row.error = "cancelled", f"commitment {commitment.status}"
        return
    today = local_date(now, zone_of(plan.manager, settings))
    due = commitment_due(plan, commitment, today)
    on = weekly_reminders(due, today)
    if on > plan.period_end:  # reminders stop with the plan's period
        for row in pending:
            row.status, row.error = "cancelled", "the plan's period is over by then"
        return
    if pending:
        for row in pending:
            row.planned_on = on
            place(row, settings, now)
        return
    number = max((r.occurrence for r in mine), default=0) + 1
    if mine and on <= max(r.planned_on for r in mine):
        on = weekly_reminders(due, max(r.planned_on for r in mine) + timedelta(1))
    if on > plan.period_end:
        return
    add_reminder(uow, plan, commitment, number, on, settings, now)


def commitment_due(plan: Plan, commitment: Commitment, today: date) -> date:
    """Its date; one recorded without (before dates were required) is due by the plan's next
    check, so every commitment is reminded."""
    agreed = parse_agreed(plan.review_dates or {})
    return default_due(
        commitment.due_date, next_review(agreed, today, checks_only=True), plan.period_end
    )


def add_reminder(
    uow: UnitOfWork,
    plan: Plan,
    commitment: Commitment,
    number: int,
    on: date,
    settings: Settings,
    now: datetime,
) -> Prompt:
    key = f"commitment:{commitment.id}:reminder:{number}"
    row = _new_prompt(plan, key, REMINDER, number, on, now)
    row.commitment = commitment
    uow.session.add(row)
    place(row, settings, now)
    return row


def late_on(prompt: Prompt, settings: Settings, at: datetime) -> date | None:
    """The local date a prompt was owed when it goes (or went, at `at`) out late; None when
    it is on time."""
    if prompt.deferred_from is None and not is_late(prompt.due_at, at):
        return None
    owed = prompt.deferred_from or prompt.due_at
    return local_date(owed, zone_of(audience(prompt)[0], settings))


def start_afresh(row: Prompt) -> None:
    """A row someone deliberately scheduled again (a moved review, "remind me next week",
    changed plan dates, a nudge brought back) is a new post: forget earlier attempts, so
    crash recovery does not mistake the earlier post for this one."""
    row.attempt_started_at = None
    row.claimed_by = None
    row.attempts = 0


def add_nudge(uow: UnitOfWork, prompt: Prompt, settings: Settings, now: datetime) -> None:
    """One nudge three working days after a check-in or the reflection was posted, unless it
    has been answered by then."""
    assert prompt.plan is not None
    first = recipients(prompt, settings)[0]
    on = add_working_days(local_date(now, first.tz), 3, first.calendar)
    key = f"prompt:{prompt.id}:nudge"
    row = uow.session.scalar(select(Prompt).where(Prompt.key == key))
    if row is None:
        row = _new_prompt(prompt.plan, key, NUDGE, 1, on, now)
        row.parent = prompt
        uow.session.add(row)
    row.planned_on, row.status, row.error, row.ts = on, "pending", None, None
    start_afresh(row)
    place(row, settings, now)


def cancel_plan_prompts(uow: UnitOfWork, plan: Plan, now: datetime) -> int:
    """A closed plan sends nothing more of its cadence (messages already owed still go, and
    next quarter's week-1 prompt is what its end is for)."""
    rows = [
        r
        for r in prompts_of(uow, plan)
        if r.status in OPEN and in_working_hours(r) and r.kind not in OUTLIVES_PLAN
    ]
    for row in rows:
        row.status, row.error, row.lease_until = "cancelled", "the plan was closed", None
    return len(rows)


def keep_one_per_week(uow: UnitOfWork, plan: Plan, settings: Settings) -> None:
    """A pair never gets two prompts for one plan in a week: the lower-ranked pending one goes."""
    reviews = [r for r in prompts_of(uow, plan) if r.kind in REVIEW_KINDS]
    live = [r for r in reviews if r.status in (*OPEN, "sent")]
    by_week: dict[date, list[Prompt]] = {}
    for row in live:
        by_week.setdefault(week_of(row, settings), []).append(row)
    for rows in by_week.values():
        keep = min(rows, key=lambda r: (r.status != "sent", RANK[r.kind], r.planned_on))
        for row in rows:
            if row is not keep and row.status in OPEN:
                row.status = "cancelled"
                row.error = f"merged into the {keep.kind.replace('_', ' ')} that week"


def plans_involving(uow: UnitOfWork, person: Person) -> Sequence[Plan]:
    return uow.session.scalars(
        select(Plan).where(
            Plan.status == "active",
            or_(Plan.engineer_id == person.id, Plan.manager_id == person.id),
        )
    ).all()


def reslot_person(uow: UnitOfWork, person: Person, settings: Settings, now: datetime) -> None:
    """Their time zone, country or absence changed: move the pending work of their plans."""
    for plan in plans_involving(uow, person):
        for row in prompts_of(uow, plan):
            if row.status == "pending" and in_working_hours(row):
                place(row, settings, now, owed=True)
        uow.session.flush()
        keep_one_per_week(uow, plan, settings)


DEACTIVATED = "is deactivated in Slack"


def pause_plans_of(uow: UnitOfWork, person: Person) -> str:
    """Slack reports them deactivated: their plans wait, and nothing more is sent."""
    reason = f"{person.name or person.slack_user_id} {DEACTIVATED}"
    for plan in plans_involving(uow, person):
        plan.paused_reason = reason
        for row in prompts_of(uow, plan):
            if row.status == "pending" and in_working_hours(row):
                row.status, row.error = "paused", reason
    return reason


def resume_plans_of(uow: UnitOfWork, person: Person, settings: Settings, now: datetime) -> None:
    """They are active again: each plan paused for a deactivation resumes once both its
    people are active (whatever their names are now)."""
    paused = select(Plan).where(
        Plan.status == "active",
        Plan.paused_reason.like(f"%{DEACTIVATED}"),
        or_(Plan.engineer_id == person.id, Plan.manager_id == person.id),
    )
    for plan in uow.session.scalars(paused):
        if plan.engineer.deleted or plan.manager.deleted:
            continue
        plan.paused_reason = None
        for row in prompts_of(uow, plan):
            if row.status == "paused":
                row.status, row.error = "pending", None
                place(row, settings, now)
