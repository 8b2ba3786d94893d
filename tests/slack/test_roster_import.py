"""`pdpbot import org.csv` against the fake Slack: emails looked up, the roster stored, a
dry run that changes nothing, a re-import that changes nothing, refusals that leave the
roster as it was."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Person, Prompt
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
