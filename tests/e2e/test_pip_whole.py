"""Two whole PIPs under freezegun, the tick every hour: Ana's eight weeks with weekly
checkpoints (one support session missed, then adjusted; one checkpoint late), Ben's twelve
weeks with fortnightly ones. Checkpoints arrive on their dates in Maya's working hours, the
integrity signals are computed from what happened, and every message posted in the whole
run goes to a place the issue allows: the HR person's DM, the manager's DM, an engineer's
DM, or the pair's DM."""

from __future__ import annotations

import itertools
import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

from freezegun import freeze_time

from bot.domain.cadence import in_working_hours, local_date
from bot.services import pip_facts
from tests.conftest import TEAM, Bot
from tests.slack.concern_helpers import seed_team
from tests.slack.pip_helpers import (
    HR,
    MANAGER,
    close_pip,
    opened_pip,
    pip_row,
    record_checkpoint,
)

UTC = timezone.utc
START = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
END = datetime(2027, 4, 2, 0, 0, tzinfo=UTC)
STEP = timedelta(hours=1)


def checkpoint_buttons(call: Any) -> list[dict[str, Any]]:
    blocks = call.args.get("blocks") or []
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return [
        json.loads(element["value"])
        for block in blocks
        for element in block.get("elements", [])
        if element.get("action_id") == "pip_open_checkpoint"
    ]


def test_two_whole_pips_weekly_and_fortnightly(bot: Bot) -> None:
    bot.clock.now = START
    seed_team(bot)
    ana = opened_pip(bot)
    ben = opened_pip(bot, engineer="UBEN", weeks="12", frequency="fortnightly")
    plans = {ana: pip_row(bot, ana), ben: pip_row(bot, ben)}
    assert [len(p.checkpoints) for p in plans.values()] == [8, 6]

    prompted: dict[tuple[int, int], list[datetime]] = {}
    recorded: set[tuple[int, int]] = set()
    seen = 0
    now = START
    with freeze_time(START) as frozen:
        while now < END:
            now += STEP
            frozen.move_to(now)
            bot.clock.now = now
            bot.runtime.tick(now)
            calls = bot.fake.calls_to("chat.postMessage")
            for call in calls[seen:]:
                for ref in checkpoint_buttons(call):
                    key = (ref["pip_id"], ref["number"])
                    prompted.setdefault(key, []).append(now)
                    if key in recorded or (key == (ana, 3) and len(prompted[key]) == 1):
                        continue  # Ana's third is left until the reminder: late
                    recorded.add(key)
                    _record(bot, ana, key)
            seen = len(calls)

        bot.clock.now = datetime(2027, 4, 2, 12, 0, tzinfo=UTC)
        frozen.move_to(bot.clock.now)
        assert close_pip(bot, ana, "met").status == 200
        assert close_pip(bot, ben, "met").status == 200

    # every checkpoint was prompted on its date, in Maya's working hours in London
    for pid, pip in plans.items():
        for checkpoint in pip.checkpoints:
            first = prompted[(pid, checkpoint.number)][0]
            assert local_date(first, "Europe/London") == checkpoint.due_on
            assert in_working_hours(first, "Europe/London")
    ben_dates = [c.due_on for c in plans[ben].checkpoints]
    assert [(b - a).days for a, b in itertools.pairwise(ben_dates)] == [14] * 5
    assert len(prompted[(ana, 3)]) == 2  # the prompt, then the one reminder
    assert all(len(times) == 1 for key, times in prompted.items() if key != (ana, 3))

    # the integrity signals, computed from what happened
    final = pip_row(bot, ana)
    signals = {s.code: s.params for s in pip_facts.signals(final, date(2027, 4, 2))}
    assert signals == {
        "checkpoints_late": {"count": "1"},
        "support_not_delivered": {"delivered": "7", "partly": "0", "owed": "8", "percent": "87"},
    }
    assert pip_facts.signals(pip_row(bot, ben), date(2027, 4, 2)) == []
    assert (final.status, final.outcome, pip_row(bot, ben).outcome) == ("closed", "met", "met")

    # privacy: every message of the whole run went to an allowed place
    allowed = _allowed_channels(bot)
    for call in bot.fake.calls_to("chat.postMessage") + bot.fake.calls_to("chat.update"):
        assert call.args["channel"] in allowed, call.args.get("text")


def _record(bot: Bot, ana: int, key: tuple[int, int]) -> None:
    pid, number = key
    if pid != ana:
        record_checkpoint(bot, pid, number, ("met",) if number >= 4 else ("progressing",))
    elif number == 2:  # the pairing did not happen: not delivered, no adjustment yet
        record_checkpoint(bot, pid, number, ("not_yet",), ("no",))
    elif number == 3:
        record_checkpoint(
            bot, pid, number, ("progressing",), adjustments="Pairing moved to Thursdays with Sam"
        )
    else:
        record_checkpoint(bot, pid, number, ("met",) if number >= 6 else ("progressing",))


def _allowed_channels(bot: Bot) -> set[str]:
    """The DMs of Maya, Ana, Ben and Hana, and the pair DMs of Maya with Ana and with Ben."""
    allowed: set[str] = set()
    people = {"UMAYA", "UANA", "UBEN", HR}
    for call in bot.fake.calls_to("chat.postMessage"):
        channel = str(call.args["channel"])
        info = bot.fake.channel(channel) or {}
        members = set(bot.fake.members(channel)) - {bot.fake.bot_user_id}
        if info.get("is_im") and len(members) == 1 and members <= people:
            allowed.add(channel)
        if info.get("is_mpim") and members in ({"UANA", MANAGER}, {"UBEN", MANAGER}):
            allowed.add(channel)
    assert TEAM
    return allowed
