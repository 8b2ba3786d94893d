"""Per-person calendars from the roster: each person's country gives their holidays and
weekend (or their own working days), and a pair's prompts fall on a day both work, inside
both people's working hours."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.domain.cadence import local_date
from bot.domain.slots import slot
from bot.services import cadence
from tests.conftest import Bot
from tests.slack.roster_helpers import import_org

TWO_COUNTRIES = (
    "person,manager,team,country,working_days\n"
    "UMAYA,,Platform,GB,\n"
    "UOTTO,UMAYA,Platform,IL,\n"  # Israel: Friday and Saturday are the weekend
    "UBEN,UMAYA,Platform,GB,Mon-Thu\n"
)


def people(bot: Bot) -> dict[str, cadence.Recipient]:
    with bot.uow() as uow:
        found = {}
        for user in ("UMAYA", "UOTTO", "UBEN"):
            person = uow.people.get(bot.fake.team_id, user)
            assert person is not None
            found[user] = cadence.recipient(person, bot.runtime.settings, date(2027, 1, 1))
        return found


def test_each_person_has_their_countrys_weekend_and_holidays(bot: Bot) -> None:
    import_org(bot, TWO_COUNTRIES)
    r = people(bot)
    assert r["UMAYA"].calendar.weekend == {5, 6}
    assert date(2027, 1, 1) in r["UMAYA"].calendar.holidays  # New Year's Day in the UK
    assert r["UOTTO"].calendar.weekend == {4, 5}
    assert date(2027, 1, 1) not in r["UOTTO"].calendar.holidays
    assert r["UBEN"].calendar.weekend == {4, 5, 6}  # his own Mon-Thu week
    assert date(2027, 1, 1) in r["UBEN"].calendar.holidays  # and still the UK's holidays


def test_a_pair_in_two_countries_is_prompted_on_a_day_both_work_in_both_working_hours(
    bot: Bot,
) -> None:
    import_org(bot, TWO_COUNTRIES)
    r = people(bot)
    # Thu 31 Dec: Maya (GB) and Otto (IL, living in Berlin) both work.
    due = slot(date(2026, 12, 31), [r["UOTTO"], r["UMAYA"]], 10)
    assert local_date(due, r["UOTTO"].tz) == date(2026, 12, 31)
    # Fri 1 Jan: a UK holiday and Otto's weekend; Sat: both off; Sun 3: Otto works, Maya
    # does not; Mon 4 Jan is the first day both work.
    due = slot(date(2027, 1, 1), [r["UOTTO"], r["UMAYA"]], 10)
    assert local_date(due, r["UOTTO"].tz) == date(2027, 1, 4)
    for zone in (r["UOTTO"].tz, r["UMAYA"].tz):
        assert 9 <= due.astimezone(ZoneInfo(zone)).hour < 18
    # Ben works Monday to Thursday: Friday 8 Jan is not a day for him and Maya.
    due = slot(date(2027, 1, 8), [r["UBEN"], r["UMAYA"]], 10)
    assert due.astimezone(UTC).date() == date(2027, 1, 11)
    assert isinstance(due, datetime)
