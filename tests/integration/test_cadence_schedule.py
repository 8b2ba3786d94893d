"""Due work written as rows: once per (plan, kind, occurrence), at a time that suits the pair."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.config import Settings
from bot.domain.slots import is_good_time
from bot.services.cadence import cancel_plan_prompts, recipients, schedule_plan
from storage.unit_of_work import UnitOfWork
from tests.cadence_support import active_plan, person, rows

NOW = datetime(2027, 1, 4, 8, 0, tzinfo=timezone.utc)
SETTINGS = Settings(slack_bot_token="xoxb-test", database_url="sqlite://")


def test_an_active_quarter_gets_weeks_one_four_eight_and_twelve_once(engine: Engine) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        plan = active_plan(uow, SETTINGS, NOW)
        schedule_plan(uow, plan, SETTINGS, NOW)  # again: nothing new
        uow.commit()
        found = rows(uow, plan.id)
    assert [(p.kind, p.occurrence, p.planned_on) for p in found] == [
        ("goal_setting", 1, date(2027, 1, 4)),
        ("progress_check", 1, date(2027, 1, 25)),
        ("progress_check", 2, date(2027, 2, 22)),
        ("reflection", 1, date(2027, 3, 22)),
    ]
    assert {p.key for p in found} == {
        f"plan:{plan.id}:goal_setting:1",
        f"plan:{plan.id}:progress_check:1",
        f"plan:{plan.id}:progress_check:2",
        f"plan:{plan.id}:reflection:1",
    }


def test_a_london_manager_and_los_angeles_engineer_hear_at_nine_in_la_five_in_london(
    engine: Engine,
) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        plan = active_plan(uow, SETTINGS, NOW)
        found = rows(uow, plan.id)
        for prompt in found:
            assert is_good_time(prompt.due_at, recipients(prompt, SETTINGS))
    assert found[0].due_at == datetime(2027, 1, 4, 17, 0, tzinfo=timezone.utc)


def test_agreed_dates_are_used_and_moving_them_updates_the_same_rows(engine: Engine) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        plan = active_plan(uow, SETTINGS, NOW, engineer="UBEN", review_dates={"4": "2027-01-27"})
        before = {p.key: p.id for p in rows(uow, plan.id)}
        plan.review_dates = {"4": "2027-01-28", "8": "2027-02-24"}
        schedule_plan(uow, plan, SETTINGS, NOW)
        uow.commit()
        after = rows(uow, plan.id)
    assert {p.key: p.id for p in after} == before
    moved = {p.key: p.planned_on for p in after}
    assert moved[f"plan:{plan.id}:progress_check:1"] == date(2027, 1, 28)
    assert moved[f"plan:{plan.id}:progress_check:2"] == date(2027, 2, 24)


def test_a_review_agreed_for_saturday_arrives_on_monday_morning(engine: Engine) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        plan = active_plan(uow, SETTINGS, NOW, engineer="UBEN", review_dates={"4": "2027-01-23"})
        check = next(p for p in rows(uow, plan.id) if p.kind == "progress_check")
    assert check.due_at == datetime(2027, 1, 25, 10, 0, tzinfo=timezone.utc)


def test_a_configured_country_skips_its_public_holidays(engine: Engine) -> None:
    british = Settings(slack_bot_token="xoxb-test", database_url="sqlite://", holiday_country="GB")
    with UnitOfWork.for_engine(engine) as uow:
        # Good Friday 26 March 2027 (a UK-wide holiday), then the weekend: Monday it is.
        plan = active_plan(uow, british, NOW, engineer="UBEN", review_dates={"12": "2027-03-26"})
        reflection = next(p for p in rows(uow, plan.id) if p.kind == "reflection")
    assert reflection.due_at == datetime(2027, 3, 29, 9, 0, tzinfo=timezone.utc)  # 10:00 BST


def test_two_agreed_dates_in_one_week_keep_one_prompt(engine: Engine) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        plan = active_plan(uow, SETTINGS, NOW, engineer="UBEN", review_dates={"4": "2027-02-22"})
        live = [p for p in rows(uow, plan.id) if p.status == "pending"]
    weeks = [p.due_at.isocalendar()[:2] for p in live]
    assert len(weeks) == len(set(weeks)) == 3


def test_a_commitment_is_reminded_on_its_due_date_in_the_managers_morning(
    engine: Engine,
) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        plan = active_plan(
            uow,
            SETTINGS,
            NOW,
            engineer="UCHIDI",
            commitments=[("Book Chidi on the March incident review rota", date(2027, 2, 3))],
        )
        reminder = next(p for p in rows(uow, plan.id) if p.kind == "commitment_reminder")
    assert reminder.key == f"commitment:{plan.commitments[0].id}:reminder:1"
    assert reminder.due_at == datetime(2027, 2, 3, 10, 0, tzinfo=timezone.utc)


def test_closing_a_plan_cancels_what_it_had_not_sent(engine: Engine) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        plan = active_plan(uow, SETTINGS, NOW, commitments=[("Pair weekly", date(2027, 2, 1))])
        plan.status = "closed"
        assert cancel_plan_prompts(uow, plan, NOW) == 5
        uow.commit()
        assert {p.status for p in rows(uow, plan.id)} == {"cancelled"}


def test_a_late_note_names_the_day_the_prompt_was_actually_due(engine: Engine) -> None:
    from bot.services.cadence import late_on

    with UnitOfWork.for_engine(engine) as uow:
        plan = active_plan(uow, SETTINGS, NOW, engineer="UBEN", review_dates={"4": "2027-01-23"})
        check = next(p for p in rows(uow, plan.id) if p.kind == "progress_check")
        on_time = check.due_at
        days_later = datetime(2027, 1, 28, 10, 0, tzinfo=timezone.utc)
        assert late_on(check, SETTINGS, on_time) is None
        # agreed for Saturday the 23rd, due Monday the 25th: "was due on Mon 25 Jan"
        assert late_on(check, SETTINGS, days_later) == date(2027, 1, 25)


SAUDI = Settings(slack_bot_token="xoxb-test", database_url="sqlite://", holiday_country="SA")
FRIDAY_29_JAN = "2027-01-29"


def test_holiday_country_sets_the_working_week_a_saudi_pair_hears_on_sunday_not_friday(
    engine: Engine,
) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        plan = active_plan(uow, SAUDI, NOW, engineer="UBEN", review_dates={"4": FRIDAY_29_JAN})
        found = rows(uow, plan.id)
        check = next(p for p in found if p.kind == "progress_check")
        for prompt in found:
            people = recipients(prompt, SAUDI)
            assert prompt.due_at.astimezone(ZoneInfo("Europe/London")).weekday() not in (4, 5)
            assert is_good_time(prompt.due_at, people)
    assert check.due_at == datetime(2027, 1, 31, 10, 0, tzinfo=timezone.utc)  # Sunday


def test_a_persons_own_country_sets_their_working_week(engine: Engine) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        person(uow, "T0001", "UBEN", NOW, country="SA")
        person(uow, "T0001", "UMAYA", NOW, country="SA")
        plan = active_plan(uow, SETTINGS, NOW, engineer="UBEN", review_dates={"4": FRIDAY_29_JAN})
        check = next(p for p in rows(uow, plan.id) if p.kind == "progress_check")
    assert check.due_at == datetime(2027, 1, 31, 10, 0, tzinfo=timezone.utc)


def test_a_saudi_engineer_and_a_british_manager_hear_on_a_day_both_work(engine: Engine) -> None:
    with UnitOfWork.for_engine(engine) as uow:
        person(uow, "T0001", "UBEN", NOW, country="SA")
        person(uow, "T0001", "UMAYA", NOW, country="GB")
        plan = active_plan(uow, SETTINGS, NOW, engineer="UBEN", review_dates={"4": FRIDAY_29_JAN})
        check = next(p for p in rows(uow, plan.id) if p.kind == "progress_check")
    assert check.due_at == datetime(2027, 2, 1, 10, 0, tzinfo=timezone.utc)  # Monday
