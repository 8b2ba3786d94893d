"""*My manager is…* from App Home: someone not on the roster names their manager, who
confirms with one button (the line counts, their plan moves) or declines (nothing changes);
nobody else can answer for them. HR starts the quarter's cycle from App Home."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.fakeslack import input_values
from storage.models import Plan
from storage.roster_models import Cycle, ManagerClaim
from tests.conftest import Bot
from tests.slack.cadence_helpers import text_of
from tests.slack.helpers import (
    GOOD_DRAFT,
    dm_messages,
    find_element,
    open_pdp,
    submit,
    text_of_view,
)
from tests.slack.roster_helpers import import_org

ROSTER = "person,manager,team,country\nUMAYA,,Platform,GB\nUOTTO,,Data,DE\nUBEN,UMAYA,Platform,GB\n"


def open_home(bot: Bot, user: str) -> dict[str, Any]:
    response = bot.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    assert response.status == 200
    bot.runtime.app.wait_for_background()
    return {**bot.fake.views[f"home:{user}"], "id": f"VHOME{user}"}


def claim(bot: Bot, user: str, manager: str) -> None:
    home = open_home(bot, user)
    assert "pdpbot doesn't know who you report to yet" in text_of_view(home)
    bot.slack.block_action(user, "open_my_manager", view=home)
    modal = bot.fake.last_view(user)
    assert modal is not None
    response = bot.slack.view_submission(user, modal, input_values(modal, {"manager": manager}))
    assert response.status == 200, response.text
    bot.runtime.app.wait_for_background()


def request_to(bot: Bot, manager: str) -> dict[str, Any]:
    asked = [m for m in dm_messages(bot, manager) if "says you are their manager" in text_of(m)]
    assert asked, dm_messages(bot, manager)
    return asked[-1]


def manager_of(bot: Bot, user: str) -> str | None:
    with bot.uow() as uow:
        person = uow.people.get(bot.fake.team_id, user)
        assert person is not None
        return person.manager.slack_user_id if person.manager else None


def test_the_named_manager_confirms_with_one_button_and_the_line_counts(bot: Bot) -> None:
    import_org(bot, ROSTER)
    claim(bot, "UANA", "UMAYA")
    assert "waiting for Maya Okafor to confirm" in text_of_view(open_home(bot, "UANA"))
    assert manager_of(bot, "UANA") is None  # nothing counts before the manager confirms
    asked = request_to(bot, "UMAYA")
    bot.slack.block_action(
        "UMAYA",
        "confirm_manager",
        find_element(asked["blocks"], "confirm_manager")["value"],
        message=asked,
    )
    bot.runtime.app.wait_for_background()
    assert manager_of(bot, "UANA") == "UMAYA"
    told = [text_of(m) for m in dm_messages(bot, "UANA")]
    assert any("<@UMAYA> confirmed they are your manager" in t for t in told), told
    (answered,) = dm_messages(bot, "UMAYA")  # the request, its buttons replaced by the answer
    assert "You confirmed you are <@UANA>'s manager" in text_of(answered)
    assert "confirm_manager" not in str(answered["blocks"])


def test_a_manager_who_declines_changes_nothing_and_the_person_is_told(bot: Bot) -> None:
    import_org(bot, ROSTER)
    claim(bot, "UANA", "UOTTO")
    asked = request_to(bot, "UOTTO")
    value = find_element(asked["blocks"], "decline_manager")["value"]
    bot.slack.block_action("UOTTO", "decline_manager", value, message=asked)
    bot.runtime.app.wait_for_background()
    assert manager_of(bot, "UANA") is None
    told = [text_of(m) for m in dm_messages(bot, "UANA")]
    assert any("said they are not your manager, so nothing changed" in t for t in told), told
    with bot.uow() as uow:
        assert uow.session.scalars(select(ManagerClaim.status)).all() == ["declined"]


def test_nobody_but_the_named_manager_can_answer(bot: Bot) -> None:
    import_org(bot, ROSTER)
    claim(bot, "UANA", "UMAYA")
    asked = request_to(bot, "UMAYA")
    value = find_element(asked["blocks"], "confirm_manager")["value"]
    for user in ("UANA", "UOTTO", "UBEN"):
        for action in ("confirm_manager", "decline_manager"):
            bot.slack.block_action(user, action, value, message=asked, channel="D0OTHER")
    missing = value.replace(value.split(":")[-1].rstrip("}"), "99999")
    bot.slack.block_action("UMAYA", "confirm_manager", missing, message=asked, channel="D0OTHER")
    bot.runtime.app.wait_for_background()
    assert manager_of(bot, "UANA") is None
    with bot.uow() as uow:
        assert uow.session.scalars(select(ManagerClaim.status)).all() == ["pending"]
    refusals = [c.args["text"] for c in bot.fake.calls_to("chat.postEphemeral")]
    assert len(refusals) == 7 and len(set(refusals)) == 1  # a made-up claim: the same refusal


def test_someone_on_the_roster_or_naming_themselves_is_refused_in_the_modal(bot: Bot) -> None:
    import_org(bot, ROSTER)
    claim(bot, "UANA", "UANA")
    with bot.uow() as uow:
        assert uow.session.scalars(select(ManagerClaim)).all() == []


def test_hr_starts_the_quarters_cycle_from_app_home_and_others_cannot(bot: Bot) -> None:
    before = open_home(bot, "UHANA")  # no roster yet: nothing to start (a start is refused)
    assert "start_cycle" not in str(before["blocks"])
    import_org(bot, ROSTER)
    home = open_home(bot, "UHANA")
    text = text_of_view(home)
    assert "Roll-out 2027Q1" in text and "the 2027Q1 cycle has not started" in text
    assert "Platform: 1 · 0 · 0" in text
    button = find_element(home["blocks"], "start_cycle")
    bot.slack.block_action("UBEN", "start_cycle", button["value"], view={**home, "id": "V1"})
    bot.runtime.app.wait_for_background()
    with bot.uow() as uow:
        assert uow.session.scalars(select(Cycle)).all() == []
    bot.slack.block_action("UHANA", "start_cycle", button["value"], view=home)
    bot.runtime.app.wait_for_background()
    with bot.uow() as uow:
        (cycle,) = uow.session.scalars(select(Cycle)).all()
        assert (cycle.quarter, cycle.reached) == ("2027Q1", 1)
    assert "start_cycle" not in str(open_home(bot, "UHANA")["blocks"])


def test_the_manager_a_draft_names_confirms_the_same_way_for_someone_not_on_the_roster(
    bot: Bot,
) -> None:
    import_org(bot, ROSTER)
    open_pdp(bot, "UANA")
    response = submit(bot, "UANA", GOOD_DRAFT)  # names Maya
    assert response.status == 200, response.text
    bot.runtime.app.wait_for_background()
    assert manager_of(bot, "UANA") is None  # the draft went to Maya; the line waits for her
    asked = request_to(bot, "UMAYA")
    value = find_element(asked["blocks"], "confirm_manager")["value"]
    bot.slack.block_action("UMAYA", "confirm_manager", value, message=asked)
    bot.runtime.app.wait_for_background()
    assert manager_of(bot, "UANA") == "UMAYA"
    with bot.uow() as uow:
        plans = uow.session.scalars(select(Plan)).all()
        assert [(p.manager.slack_user_id, p.status) for p in plans] == [
            ("UMAYA", "awaiting_manager")
        ]


def test_without_a_roster_the_draft_names_the_manager_as_before(bot: Bot) -> None:
    open_pdp(bot, "UANA")
    submit(bot, "UANA", GOOD_DRAFT)
    bot.runtime.app.wait_for_background()
    assert manager_of(bot, "UANA") == "UMAYA"
    with bot.uow() as uow:
        assert uow.session.scalars(select(ManagerClaim)).all() == []


def test_a_persons_export_holds_their_claims_and_their_place_on_the_roster(bot: Bot) -> None:
    from bot.services.subject_access import export_person

    import_org(bot, ROSTER)
    claim(bot, "UANA", "UMAYA")
    with bot.uow() as uow:
        ana = uow.people.get(bot.fake.team_id, "UANA")
        ben = uow.people.get(bot.fake.team_id, "UBEN")
        assert ana is not None and ben is not None
        (held,) = export_person(uow, ana, bot.clock.now)["manager_claims"]
        person = export_person(uow, ben, bot.clock.now)["person"]
    assert (held["role"], held["status"], held["manager_slack_user_id"]) == (
        "engineer",
        "pending",
        "UMAYA",
    )
    assert (person["team_name"], person["on_roster"], person["working_days"]) == (
        "Platform",
        True,
        None,
    )
