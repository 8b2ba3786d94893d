"""A manager change by import: the open plan moves to the new manager and the new pair is
told in their DM, the old manager's undelivered commitments close as handed over, the
early-intervention record stays with the manager who wrote it, and an open PIP is not moved
but flagged to HR."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.fakeslack import input_values
from bot.services import manager_change
from storage.models import Concern, Person, Plan, Prompt
from storage.pip_models import Pip
from tests.cadence_support import active_plan
from tests.conftest import Bot
from tests.slack.cadence_helpers import text_of, tick
from tests.slack.helpers import find_element, pair_messages
from tests.slack.roster_helpers import ORG, import_org, with_emails

MOVED = ORG.replace("ana@acme.test,maya@acme.test,Platform,US,", "ana@acme.test,UOTTO,Data,US,")


def deliver(bot: Bot, kind: str) -> None:
    """Tick at the row's due time, and again once a lease has run out: the pair's other
    messages due at the same moment race it to open the new pair's DM (one then waits for
    its lease)."""
    with bot.uow() as uow:
        due = uow.session.scalars(select(Prompt).where(Prompt.kind == kind)).one().due_at
    for attempt in range(3):
        bot.runtime.app.wait_for_background()
        tick(bot, due + attempt * timedelta(minutes=11))
        bot.runtime.app.wait_for_background()
        with bot.uow() as uow:
            row = uow.session.scalars(select(Prompt).where(Prompt.kind == kind)).one()
            if row.status == "sent":
                return
    raise AssertionError(f"{kind} was not sent: {row.status} {row.error}")


def seed_plan_and_concern(bot: Bot) -> int:
    with_emails(bot)
    import_org(bot, ORG)
    with bot.uow() as uow:
        plan = active_plan(
            uow,
            bot.runtime.settings,
            bot.clock.now,
            commitments=[
                ("Pair Ana with the SRE on-call for two incidents", date(2027, 2, 1)),
                ("Book the observability course", date(2027, 1, 15)),
            ],
        )
        plan.commitments[1].status = "delivered"
        uow.session.add(
            Concern(
                team_id=plan.team_id,
                engineer_id=plan.engineer_id,
                manager_id=plan.manager_id,
                opened_at=bot.clock.now,
            )
        )
        uow.commit()
        return plan.id


def test_an_import_that_changes_the_manager_moves_the_plan_and_tells_the_new_pair(
    bot: Bot,
) -> None:
    plan_id = seed_plan_and_concern(bot)
    outcome = import_org(bot, MOVED)
    assert [(b.manager_id, a.manager_id) for b, a in outcome.diff.managers_changed] == [
        ("UMAYA", "UOTTO")
    ]
    with bot.uow() as uow:
        plan = uow.plans.get(plan_id)
        assert plan is not None and plan.manager.slack_user_id == "UOTTO"
        assert plan.engineer.manager is not None
        assert plan.engineer.manager.slack_user_id == "UOTTO"
        states = {c.text: (c.status, c.reason) for c in plan.commitments}
        assert states == {
            "Pair Ana with the SRE on-call for two incidents": (
                "handed_over",
                "handed over to Otto Berg",
            ),
            "Book the observability course": ("delivered", ""),
        }
        reminders = [r for r in uow.prompts.for_plan(plan_id) if r.kind == "commitment_reminder"]
        assert reminders and all(r.status == "cancelled" for r in reminders)
        concern = uow.session.scalars(select(Concern)).one()
        assert concern.manager.slack_user_id == "UMAYA"  # stays with the manager who wrote it
    deliver(bot, "plan_moved")
    told = [text_of(m) for m in pair_messages(bot, "UANA", "UOTTO")]
    assert any("now goes to <@UOTTO>" in t and "Pair Ana with the SRE" in t for t in told), told
    assert any("make your own commitments" in t for t in told)
    assert pair_messages(bot, "UANA", "UMAYA") == []


def test_the_same_manager_again_moves_nothing(bot: Bot) -> None:
    plan_id = seed_plan_and_concern(bot)
    import_org(bot, MOVED)
    import_org(bot, MOVED)
    with bot.uow() as uow:
        moved = uow.session.scalars(select(Prompt).where(Prompt.kind == "plan_moved")).all()
        assert len(moved) == 1 and moved[0].plan_id == plan_id


def test_an_open_pip_is_not_moved_and_hr_is_told_in_the_hr_channel(bot: Bot) -> None:
    plan_id = seed_plan_and_concern(bot)
    with bot.uow() as uow:
        plan = uow.plans.get(plan_id)
        hana = uow.people.get(bot.fake.team_id, "UHANA") or uow.people.add(
            Person(team_id=bot.fake.team_id, slack_user_id="UHANA", name="Hana Sato")
        )
        assert plan is not None
        pip = Pip(
            team_id=plan.team_id,
            engineer=plan.engineer,
            manager=plan.manager,
            hr_person=hana,
            status="open",
            classification="performance",
            created_at=bot.clock.now,
        )
        uow.session.add(pip)
        uow.commit()
        pip_id = pip.id
    import_org(bot, MOVED)
    with bot.uow() as uow:
        kept = uow.session.get(Pip, pip_id)
        assert kept is not None and kept.manager.slack_user_id == "UMAYA"  # never moved silently
        assert uow.session.get(Plan, plan_id).manager.slack_user_id == "UOTTO"  # type: ignore[union-attr]
    bot.runtime.app.wait_for_background()  # the commit woke the sender
    tick(bot, bot.clock.now)
    bot.runtime.app.wait_for_background()
    hr = [text_of(m) for m in bot.fake.messages("CHR")]
    assert any("A PIP needs assigning" in t and "<@UANA>" in t and "<@UHANA>" in t for t in hr), hr


def test_the_new_manager_makes_their_own_commitments_and_the_plan_stays_agreed(
    bot: Bot,
) -> None:
    plan_id = seed_plan_and_concern(bot)
    import_org(bot, MOVED)
    deliver(bot, "plan_moved")
    moved = next(m for m in pair_messages(bot, "UANA", "UOTTO") if "now goes to" in text_of(m))
    bot.slack.block_action(
        "UOTTO",
        "open_manager_modal",
        find_element(moved["blocks"], "open_manager_modal")["value"],
        message=moved,
    )
    view = bot.fake.last_view("UOTTO")
    assert view is not None
    response = bot.slack.view_submission(
        "UOTTO",
        view,
        input_values(
            view,
            {
                "commitment1_text": "I will review Ana's incident write-ups within two days",
                "commitment1_due": "2027-02-15",
            },
        ),
    )
    assert response.status == 200, response.text
    bot.runtime.app.wait_for_background()
    with bot.uow() as uow:
        plan = uow.plans.get(plan_id)
        assert plan is not None and plan.status == "active"
        assert [(c.text[:24], c.status) for c in plan.commitments] == [
            ("Pair Ana with the SRE on", "handed_over"),
            ("Book the observability c", "delivered"),
            ("I will review Ana's inci", "pending"),
        ]
        mine = plan.commitments[2]
        reminders = [
            r
            for r in uow.prompts.for_plan(plan_id)
            if r.kind == "commitment_reminder" and r.commitment_id == mine.id
        ]
        assert [r.status for r in reminders] == ["pending"]
        told = uow.session.scalars(select(Prompt).where(Prompt.kind == "commitments_made")).one()
        assert told.plan_id == plan_id


def test_the_old_manager_cannot_write_commitments_on_the_moved_plan(bot: Bot) -> None:
    plan_id = seed_plan_and_concern(bot)
    import_org(bot, MOVED)
    with bot.uow() as uow:
        plan = uow.plans.get(plan_id)
        maya = uow.people.get(bot.fake.team_id, "UMAYA")
        assert plan is not None and maya is not None
        assert not manager_change.moved_to(uow, plan, maya)
