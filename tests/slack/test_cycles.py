"""A quarter's cycle across the roster: every engineer with a manager and no plan gets the
week-1 prompt in the pair's DM, nobody with a plan does, each manager gets one DM with their
reports' status, completion per team; a second start is a no-op; people deactivated leave
the cycle and reports whose manager left are flagged to HR."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.domain.cycles import Completion
from bot.services import cycles
from bot.services.cycles import Started
from bot.services.outbox.queue import enqueue
from bot.services.week_one import NEXT_QUARTER
from storage.models import Person, Plan, Prompt
from storage.roster_models import Cycle
from tests.cadence_support import active_plan
from tests.conftest import Bot
from tests.slack.cadence_helpers import text_of, tick
from tests.slack.helpers import dm_messages, pair_messages
from tests.slack.roster_helpers import ORG, import_org, with_emails


def start(bot: Bot, quarter: str = "2027Q1", teams: tuple[str, ...] = ()) -> Started:
    with bot.uow() as uow:
        uow.write_first()
        started = cycles.start_cycle(
            uow, bot.fake.team_id, quarter, teams, bot.clock.now, bot.runtime.settings
        )
        uow.commit()
    bot.runtime.app.wait_for_background()  # the commit woke the sender
    return started


def deliver_all(bot: Bot) -> None:
    bot.runtime.app.wait_for_background()
    with bot.uow() as uow:
        dues = sorted(
            r.due_at for r in uow.session.scalars(select(Prompt)) if r.status == "pending"
        )
    for due in dues:
        tick(bot, max(due, bot.clock.now))
    bot.runtime.app.wait_for_background()


def seeded(bot: Bot) -> None:
    with_emails(bot)
    import_org(bot, ORG)
    with bot.uow() as uow:
        active_plan(uow, bot.runtime.settings, bot.clock.now)  # Ana has her Q1 plan


def test_a_cycle_reaches_every_engineer_without_a_plan_and_nobody_with_one(bot: Bot) -> None:
    seeded(bot)
    started = start(bot)
    assert not started.already
    assert sorted(started.reached) == ["Ben Carter", "Chidi Eze"]
    assert (started.with_plan, started.managers) == (1, 2)
    deliver_all(bot)
    ben = [text_of(m) for m in pair_messages(bot, "UBEN", "UMAYA")]
    assert any("Week 1 of Fri 1 Jan 2027" in t and "Draft my plan" in t for t in ben), ben
    assert any("Draft my plan" in t for t in map(text_of, pair_messages(bot, "UCHIDI", "UOTTO")))
    assert not any("Draft my plan" in text_of(m) for m in pair_messages(bot, "UANA", "UMAYA"))
    maya = [text_of(m) for m in dm_messages(bot, "UMAYA") if "your reports" in text_of(m)]
    assert len(maya) == 1
    assert "<@UANA>: agreed" in maya[0] and "<@UBEN>: no plan yet" in maya[0]


def test_completion_per_team_counts_no_plan_drafted_and_agreed(bot: Bot) -> None:
    seeded(bot)
    with bot.uow() as uow:
        assert cycles.team_completion(uow, bot.fake.team_id, "2027Q1") == [
            Completion("Data", no_plan=1, drafted=0, agreed=0),
            Completion("Platform", no_plan=1, drafted=0, agreed=1),
        ]


def test_starting_the_same_quarter_twice_is_a_no_op(bot: Bot) -> None:
    seeded(bot)
    start(bot)
    with bot.uow() as uow:
        before = len(uow.session.scalars(select(Prompt)).all())
    again = start(bot)
    assert again.already and again.reached == []
    assert start(bot, teams=("Data",)).already  # every team's cycle covers Data too
    with bot.uow() as uow:
        assert len(uow.session.scalars(select(Prompt)).all()) == before


def test_a_start_before_the_roster_or_for_a_team_it_lacks_is_refused_and_not_recorded(
    bot: Bot,
) -> None:
    empty = start(bot)
    assert (empty.refused, empty.already, empty.reached) == ("no_roster", False, [])
    with bot.uow() as uow:
        assert uow.session.scalars(select(Cycle)).all() == []
    seeded(bot)
    nope = start(bot, teams=("Nope", "Data"))
    assert (nope.refused, nope.unknown, nope.teams) == ("no_team", ["Nope"], ["Data", "Platform"])
    real = start(bot)  # the quarter was not used up
    assert not real.refused and not real.already
    assert sorted(real.reached) == ["Ben Carter", "Chidi Eze"]
    again = start(bot, teams=("Data",))
    assert again.already and again.scope == ""  # started already for every team


def test_a_cycle_for_one_team_reaches_only_that_team(bot: Bot) -> None:
    seeded(bot)
    assert start(bot, teams=("Data",)).reached == ["Chidi Eze"]
    assert start(bot, teams=("Platform",)).reached == ["Ben Carter"]


def test_deactivated_people_leave_the_cycle_and_reports_whose_manager_left_go_to_hr(
    bot: Bot,
) -> None:
    seeded(bot)
    with bot.uow() as uow:
        for person in uow.session.scalars(select(Person)):
            if person.slack_user_id in ("UBEN", "UOTTO"):
                person.deleted = True
        uow.commit()
    started = start(bot)
    assert started.reached == [] and started.manager_left == ["Chidi Eze"]
    deliver_all(bot)
    hr = [text_of(m) for m in bot.fake.messages("CHR")]
    assert any("whose manager has left" in t and "<@UCHIDI>" in t for t in hr), hr


def test_the_tick_starts_the_cycle_on_the_quarters_first_working_day_once(bot: Bot) -> None:
    seeded(bot)
    settings = bot.runtime.settings.model_copy(
        update={"cycles": "on", "holiday_country": "GB", "cycle_teams": "Data"}
    )
    starter = cycles.CycleStarter(bot.uow, settings)
    assert starter.start_if_due(datetime(2026, 12, 31, 10, tzinfo=UTC)) == []  # last quarter's
    # Fri 1 Jan 2027 is New Year's Day in the UK: Monday 4 January is the first working day.
    assert (
        cycles.CycleStarter(bot.uow, settings).start_if_due(datetime(2027, 1, 1, 10, tzinfo=UTC))
        == []
    )
    (started,) = starter.start_if_due(datetime(2027, 1, 4, 10, tzinfo=UTC))
    assert (started.quarter, started.scope, started.reached) == ("2027Q1", "Data", ["Chidi Eze"])
    assert starter.start_if_due(datetime(2027, 1, 4, 10, 1, tzinfo=UTC)) == []
    late = cycles.CycleStarter(bot.uow, settings)
    assert late.start_if_due(datetime(2027, 2, 15, 10, tzinfo=UTC)) == []  # mid-quarter: no


def test_with_cycles_off_the_tick_starts_none(bot: Bot) -> None:
    seeded(bot)
    starter = cycles.CycleStarter(bot.uow, bot.runtime.settings)  # the tests' CYCLES=off
    assert starter.start_if_due(datetime(2027, 1, 4, 10, tzinfo=UTC)) == []


def test_a_pair_prompted_by_next_quarters_week_one_is_counted_not_prompted_again(
    bot: Bot,
) -> None:
    """Ana's Q1 plan ends: her pair gets next quarter's week-1 prompt on Thu 1 Apr
    (week_one.plan_ends). The Q2 cycle counts her as reached and sends no second week-1
    prompt: one prompt a week, week 1 is one goal-setting conversation."""
    seeded(bot)
    with bot.uow() as uow:
        plan = uow.session.scalars(select(Plan)).one()
        enqueue(
            uow,
            NEXT_QUARTER,
            key=f"plan:{plan.id}:{NEXT_QUARTER}",
            team_id=plan.team_id,
            now=bot.clock.now,
            settings=bot.runtime.settings,
            on=date(2027, 4, 1),
            plan=plan,
        )
        uow.commit()
    started = start(bot, quarter="2027Q2")
    assert sorted(started.reached) == ["Ana Ruiz", "Ben Carter", "Chidi Eze"]
    assert started.prompted_before == ["Ana Ruiz"]
    with bot.uow() as uow:
        assert uow.session.scalars(select(Cycle.reached)).one() == 3
    deliver_all(bot)
    with bot.uow() as uow:
        rows = uow.session.scalars(
            select(Prompt).where(Prompt.kind.in_((NEXT_QUARTER, cycles.WEEK_ONE)))
        ).all()
        week_one = sorted((r.kind, r.recipient.slack_user_id if r.recipient else "") for r in rows)
    assert week_one == [
        (cycles.WEEK_ONE, "UBEN"),
        (cycles.WEEK_ONE, "UCHIDI"),
        (NEXT_QUARTER, ""),  # Ana's pair, by her Q1 plan
    ]
    assert all(r.status == "sent" for r in rows)
    pair = [text_of(m) for m in pair_messages(bot, "UANA", "UMAYA")]  # her Q1 cadence goes on
    assert [t[:35] for t in pair if t.startswith(("Week 1:", "Week 1 of"))] == [
        "Week 1: goal-setting conversation: "
    ]
    assert not any("Draft my plan" in t for t in pair), pair
