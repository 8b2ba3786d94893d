"""App Home's HR overview, through signed requests: what an HR member sees as of now and
what anyone else does not; the exports, uploaded to the HR member's DM."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from typing import Any

from pypdf import PdfReader
from sqlalchemy import select

from bot.services.hr_post import DigestPoster
from storage.hr_models import HrNudge
from storage.models import AuditEvent
from tests.conftest import Bot
from tests.hr_support import MARK, NOW, seed, seed_pip
from tests.integration.test_hr_purge import _closed_concern
from tests.slack.helpers import find_element, text_of_view


def seeded(bot: Bot) -> None:
    bot.clock.now = NOW
    with bot.uow() as uow:
        seed(uow.session)
        uow.commit()


def open_home(bot: Bot, user: str) -> dict[str, Any]:
    response = bot.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    assert response.status == 200
    bot.runtime.app.wait_for_background()
    return {**bot.fake.views[f"home:{user}"], "id": f"VHOME{user}"}


def press_in_home(bot: Bot, user: str, home: dict[str, Any], action_id: str) -> None:
    button = find_element(home["blocks"], action_id)
    response = bot.slack.block_action(user, action_id, button.get("value"), view=home)
    assert response.status == 200, response.text
    bot.runtime.app.wait_for_background()


def refusals(bot: Bot, user: str) -> list[str]:
    return [
        m["text"]
        for c in bot.fake.calls_to("chat.postMessage")
        if c.args["channel"] == user
        for m in [c.args]
    ]


def test_an_hr_member_sees_the_overview_as_of_now_with_pips_and_exports_below(bot: Bot) -> None:
    seeded(bot)
    home = open_home(bot, "UHANA")
    text = text_of_view(home)
    assert "HR overview" in text
    assert "*6 items need attention* as of Mon 1 Mar 2027:" in text
    assert "*Ana Ruiz* (manager Maya Okafor): no review for *56 days* (never reviewed)" in text
    assert "*Priya Nair* (manager Ben Carter): the progress check was nudged" in text
    assert text.index("HR overview") < text.index("Exports")
    labels = [
        e["text"]["text"] for b in home["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert labels == ["Calibration CSV 2027Q1", "Calibration CSV 2026Q4", "Subject-access export…"]
    assert MARK not in json.dumps(home)
    assert len(home["blocks"]) <= 100


def test_a_nudged_item_says_so_in_app_home(bot: Bot) -> None:
    seeded(bot)
    with bot.uow() as uow:
        hana, maya = (uow.people.get("T0001", p) for p in ("UHANA", "UMAYA"))
        assert hana is not None and maya is not None
        uow.session.add(
            HrNudge(
                team_id="T0001",
                item_key=f"plan:{_plan_of(bot, 'UANA')}:unreviewed",
                manager_id=maya.id,
                nudged_by_id=hana.id,
                nudged_at=datetime(2027, 2, 26, 9, tzinfo=timezone.utc),
            )
        )
        uow.commit()
    text = text_of_view(open_home(bot, "UHANA"))
    assert "(never reviewed) _Nudged on Fri 26 Feb 2027 by <@UHANA>_" in text


def _plan_of(bot: Bot, engineer: str) -> int:
    with bot.uow() as uow:
        person = uow.people.get("T0001", engineer)
        assert person is not None
        plan = uow.plans.current_for(person)
        assert plan is not None
        return plan.id


def test_someone_outside_the_hr_channel_sees_no_hr_overview(bot: Bot) -> None:
    seeded(bot)
    for user in ("UMAYA", "UANA"):
        text = text_of_view(open_home(bot, user))
        assert "HR overview" not in text
        assert "Exports" not in text
        assert "Priya Nair" not in text


def test_the_calibration_export_is_uploaded_to_the_hr_members_dm(bot: Bot) -> None:
    seeded(bot)
    home = open_home(bot, "UHANA")
    press_in_home(bot, "UHANA", home, "hr_export_calibration_0")
    [upload] = bot.fake.files()
    assert upload.filename == "calibration-2027Q1.csv"
    assert (bot.fake.channel(upload.channel or "") or {}).get("is_im")
    assert bot.fake.members(upload.channel or "") == ["UHANA"]
    assert upload.data is not None
    rows = list(csv.DictReader(io.StringIO(upload.data.decode("utf-8"))))
    chidi = next(r for r in rows if r["engineer_slack_id"] == "UCHIDI")
    assert (chidi["manager"], chidi["period"], chidi["goal_1_carried"]) == (
        "Maya Okafor",
        "2027Q1",
        "2",
    )
    assert (chidi["commitments_delivered"], chidi["commitments_made"]) == ("1", "3")
    assert upload.initial_comment.startswith("Calibration CSV for 2027Q1:")


def test_the_subject_access_export_is_uploaded_and_audited(bot: Bot) -> None:
    seeded(bot)
    home = open_home(bot, "UHANA")
    press_in_home(bot, "UHANA", home, "hr_open_person_export")
    modal = bot.fake.last_view("UHANA")
    assert modal is not None and modal["callback_id"] == "hr_person_export"
    from bot.fakeslack import input_values

    response = bot.slack.view_submission("UHANA", modal, input_values(modal, {"person": "UANA"}))
    assert response.json()["response_action"] == "update"
    assert "in your DM with pdpbot in a moment" in json.dumps(response.json())
    bot.runtime.app.wait_for_background()
    [upload] = bot.fake.files()
    assert upload.filename == "subject-access-UANA.json"
    assert upload.data is not None
    record = json.loads(upload.data)
    assert record["person"]["slack_user_id"] == "UANA"
    assert record["person"]["name"] == "Ana Ruiz"
    with bot.uow() as uow:
        [event] = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "person.exported")
        ).all()
        hana = uow.people.get("T0001", "UHANA")
        assert hana is not None and event.actor_id == hana.id


def test_exports_by_someone_outside_the_hr_channel_get_the_refusal_an_unknown_id_gets(
    bot: Bot,
) -> None:
    seeded(bot)
    home = open_home(bot, "UHANA")  # the buttons as HR sees them, replayed by others
    value = find_element(home["blocks"], "hr_export_calibration_0")["value"]
    bot.slack.block_action("UBEN", "hr_export_calibration_0", value, view={**home, "id": "V1"})
    bot.slack.block_action("UBEN", "hr_open_person_export", None, view={**home, "id": "V1"})
    bot.runtime.app.wait_for_background()
    from bot.fakeslack import input_values
    from bot.slack.views.hr_home import person_export_modal

    modal = {**person_export_modal().to_dict(), "id": "V2"}
    outsider = bot.slack.view_submission("UBEN", modal, input_values(modal, {"person": "UANA"}))
    unknown = bot.slack.view_submission("UHANA", modal, input_values(modal, {"person": "UNOBODY"}))
    assert outsider.json() == unknown.json()
    assert outsider.json()["response_action"] == "errors"
    assert bot.fake.files() == []
    told = refusals(bot, "UBEN")
    assert len(told) == 2 and told[0] == told[1]
    assert told[0] == outsider.json()["errors"]["person"]
    with bot.uow() as uow:
        assert uow.session.scalars(select(AuditEvent)).all() == []


def seeded_with_pip(bot: Bot) -> int:
    bot.clock.now = NOW
    with bot.uow() as uow:
        pip = seed_pip(uow.session, seed(uow.session))
        uow.commit()
        return pip.id


def test_an_hr_member_sees_each_pip_with_its_signals_and_a_formal_record_button(
    bot: Bot,
) -> None:
    seeded_with_pip(bot)
    home = open_home(bot, "UHANA")
    text = text_of_view(home)
    assert (
        "*Ольга Петрова* (manager Maya Okafor): open since Mon 25 Jan 2027, ends Fri 19 Mar 2027"
    ) in text
    assert (
        "Integrity signals: 2 checkpoints missed; 1 checkpoint recorded late; Support "
        "delivered in full: 1 of 2 sessions (50%); No earlier documented conversation: this "
        "PIP is likely a surprise"
    ) in text
    assert find_element(home["blocks"], "hr_export_pip")["text"]["text"] == "Formal record"
    assert MARK not in json.dumps(home, ensure_ascii=False)
    for user in ("UANA", "UBEN"):
        assert "Ольга" not in json.dumps(open_home(bot, user), ensure_ascii=False)


def test_the_formal_record_is_uploaded_to_the_hr_members_dm_as_pdf_and_audited(
    bot: Bot,
) -> None:
    pip_id = seeded_with_pip(bot)
    press_in_home(bot, "UHANA", open_home(bot, "UHANA"), "hr_export_pip")
    [upload] = bot.fake.files()
    assert upload.filename == f"pip-{pip_id}-formal-record.pdf"
    assert bot.fake.members(upload.channel or "") == ["UHANA"]
    assert upload.data is not None
    first = PdfReader(io.BytesIO(upload.data)).pages[0].extract_text()
    assert first.startswith("Confidential") and "Ольга Петрова" in first
    with bot.uow() as uow:
        [event] = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "pip.exported")
        ).all()
        hana = uow.people.get("T0001", "UHANA")
        assert hana is not None and (event.actor_id, event.subject_id) == (hana.id, pip_id)


def test_a_formal_record_asked_for_by_a_non_member_gets_the_refusal_of_a_pip_that_does_not_exist(
    bot: Bot,
) -> None:
    pip_id = seeded_with_pip(bot)
    home = open_home(bot, "UHANA")
    real = find_element(home["blocks"], "hr_export_pip")["value"]
    made_up = json.dumps({"pip_id": pip_id + 1000})
    for user, value in (("UMAYA", real), ("UBEN", real), ("UHANA", made_up)):
        bot.slack.block_action(user, "hr_export_pip", value, view={**home, "id": "V9"})
    bot.runtime.app.wait_for_background()
    told = [refusals(bot, user) for user in ("UMAYA", "UBEN", "UHANA")]
    assert all(len(t) == 1 for t in told)
    assert told[0] == told[1] == told[2]
    assert bot.fake.files() == []
    with bot.uow() as uow:
        assert uow.session.scalars(select(AuditEvent)).all() == []


def test_hr_never_sees_what_a_check_in_review_concern_or_pip_says(bot: Bot) -> None:
    """The seed's reviews and check-in answers, an early-intervention record and a PIP all
    carry MARK in every text; HR's App Home and the digest in the HR channel show none of it."""
    seeded_with_pip(bot)
    with bot.uow() as uow:
        _closed_concern(uow)
        uow.commit()
    home = open_home(bot, "UHANA")
    weekly = bot.runtime.settings.model_copy(update={"hr_digest": "weekly"})
    bot.runtime.digests = DigestPoster(bot.runtime.uow, bot.runtime.gateway, weekly)
    bot.runtime.tick(NOW)
    if bot.runtime.sender is not None:
        bot.runtime.sender.wait_idle()
    posted = bot.fake.messages("CHR")
    assert len(posted) >= 2 and "Ольга Петрова" in json.dumps(posted, ensure_ascii=False)
    for shown in (home, posted):
        assert MARK not in json.dumps(shown, ensure_ascii=False)


def test_a_recently_closed_pip_stays_listed_with_its_outcome_for_its_formal_record(
    bot: Bot,
) -> None:
    with bot.uow() as uow:
        seed_pip(uow.session, seed(uow.session), closed=True)
        uow.commit()
    bot.clock.now = datetime(2027, 3, 22, 10, tzinfo=timezone.utc)
    home = open_home(bot, "UHANA")
    assert (
        "*Ольга Петрова* (manager Maya Okafor): closed (met) on Fri 19 Mar 2027, started "
        "Mon 25 Jan 2027"
    ) in text_of_view(home)
    assert find_element(home["blocks"], "hr_export_pip")
    bot.clock.now = datetime(2027, 6, 21, 10, tzinfo=timezone.utc)  # 94 days on
    assert "No PIP is open, and none closed in the last 90 days." in text_of_view(
        open_home(bot, "UHANA")
    )
