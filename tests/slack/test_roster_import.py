"""`pdpbot import org.csv` against the fake Slack: emails looked up, the roster stored, a
dry run that changes nothing, a re-import that changes nothing, refusals that leave the
roster as it was."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from bot.cli_roster import report
from storage.models import Person, Plan, Prompt
from tests.cadence_support import active_plan
from tests.conftest import Bot
from tests.slack.roster_helpers import ORG, import_org, refused, with_emails


def roster_of(bot: Bot) -> dict[str, tuple[str | None, str | None, str | None, bool]]:
    with bot.uow() as uow:
        people = uow.session.scalars(select(Person)).all()
        return {
            p.slack_user_id: (
                p.manager.slack_user_id if p.manager else None,
                p.team_name,
                p.country,
                p.on_roster,
            )
            for p in people
        }


def test_an_org_file_with_emails_is_looked_up_in_slack_and_stored(bot: Bot) -> None:
    with_emails(bot)
    outcome = import_org(bot, ORG)
    assert outcome.applied and len(outcome.diff.added) == 5
    lookups = [c.args["email"] for c in bot.fake.calls_to("users.lookupByEmail")]
    assert sorted(lookups) == sorted(
        ["maya@acme.test", "otto@acme.test", "ana@acme.test", "chidi@acme.test"]
    )
    assert roster_of(bot) == {
        "UMAYA": (None, "Platform", "GB", True),
        "UOTTO": (None, "Data", "DE", True),
        "UANA": ("UMAYA", "Platform", "US", True),
        "UBEN": ("UMAYA", "Platform", "GB", True),
        "UCHIDI": ("UOTTO", "Data", "IN", True),
    }
    with bot.uow() as uow:
        ana = uow.people.get(bot.fake.team_id, "UANA")
        assert ana is not None and ana.name == "Ana Ruiz" and ana.tz == "America/Los_Angeles"


def test_importing_the_same_file_again_changes_nothing(bot: Bot) -> None:
    with_emails(bot)
    import_org(bot, ORG)
    before = roster_of(bot)
    again = import_org(bot, ORG)
    assert again.diff.is_empty and not again.applied
    assert roster_of(bot) == before
    with bot.uow() as uow:
        assert uow.session.scalars(select(Prompt)).all() == []


def test_a_dry_run_says_who_is_added_whose_manager_changes_and_who_leaves(bot: Bot) -> None:
    with_emails(bot)
    import_org(bot, ORG)
    before = roster_of(bot)
    changed = ORG.replace("UBEN,UMAYA,Platform,GB,", "UBEN,UOTTO,Data,GB,").replace(
        "chidi@acme.test,otto@acme.test,Data,IN,\n", "UHANA,UOTTO,Data,GB,Sun-Thu\n"
    )
    outcome = import_org(bot, changed, dry_run=True)
    assert not outcome.applied
    assert [m.user_id for m in outcome.diff.added] == ["UHANA"]
    assert [(b.manager_id, a.manager_id) for b, a in outcome.diff.managers_changed] == [
        ("UMAYA", "UOTTO")
    ]
    assert [m.user_id for m in outcome.diff.removed] == ["UCHIDI"]
    assert outcome.names["UHANA"] == "Hana Sato"
    assert roster_of(bot) == before
    applied = import_org(bot, changed)
    assert applied.applied
    after = roster_of(bot)
    assert after["UBEN"] == ("UOTTO", "Data", "GB", True)
    assert after["UCHIDI"][3] is False and after["UHANA"][3] is True


def test_a_refused_file_names_each_problem_by_line_and_changes_nothing(bot: Bot) -> None:
    with_emails(bot)
    import_org(bot, ORG)
    before = roster_of(bot)
    bot.fake.add_user("UGONE", name="gone", real_name="Gone Away", deleted=True)
    bad = (
        "person,manager,team,country\n"
        "maya@acme.test,,Platform,GB\n"
        "nobody@acme.test,maya@acme.test,Platform,GB\n"  # 3: unknown person
        "UBEN,UGONE,Platform,GB\n"  # 4: manager deactivated
        "ana@acme.test,UNOSUCH,Platform,GB\n"  # 5: manager missing from Slack
        "UCHIDI,UOTTO,Data,ZZ\n"  # 6: bad country
        "UMAYA,,Platform,GB\n"  # 7: duplicate of line 2
    )
    assert refused(bot, bad) == [
        (3, "unknown_person"),
        (4, "deactivated_manager"),
        (5, "unknown_manager"),
        (6, "bad_country"),
        (7, "duplicate"),
    ]
    cycle = "person,manager,team,country\nUBEN,UANA,Platform,GB\nUANA,UBEN,Platform,GB\n"
    assert refused(bot, cycle) == [(2, "cycle")]
    assert roster_of(bot) == before


def test_someone_joining_whose_manager_pdpbot_knew_from_pdp_is_a_manager_change_and_the_dry_run_says_the_plan_moves(  # noqa: E501
    bot: Bot,
) -> None:
    with_emails(bot)
    with bot.uow() as uow:  # from /pdp: Chidi's plan names Maya, Ana's names Maya; no roster
        settings, now = bot.runtime.settings, bot.clock.now
        chidi = active_plan(uow, settings, now, engineer="UCHIDI", manager="UMAYA").id
        ana = active_plan(uow, settings, now, engineer="UANA", manager="UMAYA").id
    dry = import_org(bot, ORG, dry_run=True)  # the file: Chidi under Otto, Ana under Maya
    assert sorted(m.user_id for m in dry.diff.added) == ["UANA", "UBEN", "UMAYA", "UOTTO"]
    assert [(b.manager_id, a.manager_id) for b, a in dry.diff.managers_changed] == [
        ("UMAYA", "UOTTO")
    ]
    assert dry.diff.joining == {"UCHIDI"} and dry.plan_moves == {"UCHIDI"}
    lines = report("org.csv", dry, dry_run=True)
    assert lines[0] == (
        "org.csv: 4 people added, 1 manager changed, 0 people with a new team, country or "
        "working days, 0 people removed (dry run: nothing was changed)"
    )
    assert (
        "  ~ Chidi Eze (UCHIDI): manager Maya Okafor (UMAYA) → Otto Berg (UOTTO) "
        "(open plan moves); joins the roster: team Data, IN"
    ) in lines
    with bot.uow() as uow:
        plan = uow.session.get(Plan, chidi)
        assert plan is not None and plan.manager.slack_user_id == "UMAYA"  # a dry run
    applied = import_org(bot, ORG)
    assert report("org.csv", applied, dry_run=False)[0].startswith(
        "org.csv: 4 people added, 1 manager changed,"
    )
    with bot.uow() as uow:
        moved, kept = uow.session.get(Plan, chidi), uow.session.get(Plan, ana)
        assert moved is not None and moved.manager.slack_user_id == "UOTTO"
        assert kept is not None and kept.manager.slack_user_id == "UMAYA"
    assert roster_of(bot)["UCHIDI"] == ("UOTTO", "Data", "IN", True)
    assert import_org(bot, ORG).diff.is_empty


def test_an_unknown_email_is_a_problem_by_line_not_a_warning_in_the_log(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    with_emails(bot)
    bad = "person,manager,team,country\nnobody@acme.test,,Platform,GB\nUBEN,x@acme.test,A,GB\n"
    with caplog.at_level(logging.INFO):
        assert refused(bot, bad) == [(2, "unknown_person"), (3, "unknown_manager")]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
