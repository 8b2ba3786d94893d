"""A manager change by import: the open plan moves to the new manager and the new pair is
told in their DM, the old manager's undelivered commitments close as handed over, the
early-intervention record stays with the manager who wrote it, and an open PIP is not moved
but flagged to HR."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from bot.services import manager_change
from storage.models import Concern, Plan, Prompt
from tests.cadence_support import active_plan
from tests.conftest import Bot
from tests.slack.cadence_helpers import text_of, tick
from tests.slack.helpers import pair_messages
from tests.slack.roster_helpers import ORG, import_org, with_emails

MOVED = ORG.replace("ana@acme.test,maya@acme.test,Platform,US,", "ana@acme.test,UOTTO,Data,US,")


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
    with bot.uow() as uow:
        row = uow.session.scalars(select(Prompt).where(Prompt.kind == "plan_moved")).one()
        due = row.due_at
    bot.runtime.app.wait_for_background()
    tick(bot, due)
    bot.runtime.app.wait_for_background()
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


class Pips:
    """The PIP repository's one question a manager change asks (storage/pip_repository.py)."""

    def __init__(self, pip: object) -> None:
        self.pip = pip

    def under_way(self, team_id: str, engineer_id: int) -> object:
        return self.pip


def test_an_open_pip_is_not_moved_and_hr_is_told_in_the_hr_channel(bot: Bot) -> None:
    plan_id = seed_plan_and_concern(bot)
    with bot.uow() as uow:
        plan = uow.plans.get(plan_id)
        assert plan is not None
        otto = uow.people.get(plan.team_id, "UOTTO")
        hana = uow.people.get(plan.team_id, "UHANA")
        assert otto is not None
        pip = SimpleNamespace(id=7, manager=plan.manager, hr_person=hana)
        uow.pips = Pips(pip)  # type: ignore[attr-defined]
        manager_change.change_manager(
            uow, plan.engineer, otto, bot.clock.now, bot.runtime.settings, source="slack"
        )
        uow.commit()
        assert pip.manager.slack_user_id == "UMAYA"
    bot.runtime.app.wait_for_background()  # the commit woke the sender
    tick(bot, bot.clock.now)
    bot.runtime.app.wait_for_background()
    hr = [text_of(m) for m in bot.fake.messages("CHR")]
    assert any("A PIP needs assigning" in t and "<@UANA>" in t for t in hr), hr
    with bot.uow() as uow:
        assert uow.session.get(Plan, plan_id).manager.slack_user_id == "UOTTO"  # type: ignore[union-attr]
