"""A small org in the fake Slack, and importing org files into it."""

from __future__ import annotations

from bot.domain.roster import Refused
from bot.services import roster
from bot.services.roster import Outcome
from tests.conftest import Bot

EMAILS = {
    "UMAYA": "maya@acme.test",
    "UANA": "ana@acme.test",
    "UBEN": "ben@acme.test",
    "UCHIDI": "chidi@acme.test",
    "UOTTO": "otto@acme.test",
}
ORG = (
    "person,manager,team,country,working_days\n"
    "maya@acme.test,,Platform,GB,\n"
    "otto@acme.test,,Data,DE,\n"
    "ana@acme.test,maya@acme.test,Platform,US,\n"
    "UBEN,UMAYA,Platform,GB,\n"
    "chidi@acme.test,otto@acme.test,Data,IN,\n"
)


def with_emails(bot: Bot) -> None:
    for user, email in EMAILS.items():
        info = bot.fake.user(user)
        assert info is not None
        bot.fake.add_user(
            user, name=info["name"], real_name=info["real_name"], tz=info["tz"], email=email
        )


def import_org(bot: Bot, text: str, *, dry_run: bool = False) -> Outcome:
    checked = roster.check_file(bot.runtime.gateway, text.encode("utf-8"))
    with bot.uow() as uow:
        uow.write_first()
        outcome = roster.import_roster(
            uow,
            bot.fake.team_id,
            checked,
            bot.clock.now,
            bot.runtime.settings,
            dry_run=dry_run,
        )
        uow.commit()
    bot.runtime.app.wait_for_background()  # what the import owes is being sent
    return outcome


def refused(bot: Bot, text: str) -> list[tuple[int | None, str]]:
    try:
        import_org(bot, text)
    except Refused as exc:
        return [(p.line, p.code) for p in exc.problems]
    raise AssertionError("the file was accepted")
