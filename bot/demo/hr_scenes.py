"""HR's story in the demo: the weekly digest on its Monday in the private HR channel, a
nudge to a manager from its thread, HR's App Home, and the exports: the calibration CSV
uploaded to Hana's DM, and the calibration CSV and a PIP's formal record (PDF) written to a
temporary folder whose paths are printed."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.demo.runner import HR_CHANNEL, TEAM, Demo
from bot.domain.cadence import quarter_bounds
from bot.domain.calibration import period_label
from bot.services import calibration, pip_record
from bot.services.files import write_atomically
from prompts import texts
from storage.pip_models import Pip


def digest_and_nudge(demo: Demo) -> None:
    """Monday's digest is in the HR channel; Hana nudges the manager of its first item."""
    demo.step("hr_digest")
    part = _latest_thread_message(demo)
    if part is None:
        return
    button = next(
        (
            b
            for b in part.get("blocks", [])
            if (b.get("accessory") or {}).get("action_id") == "hr_nudge"
        ),
        None,
    )
    if button is None:
        return
    demo.step("hr_nudge")
    demo.slack.block_action(
        "UHANA",
        "hr_nudge",
        button["accessory"]["value"],
        block_id=button.get("block_id"),
        message=part,
        channel=HR_CHANNEL,
    )
    demo.runtime.app.wait_for_background()
    if demo.runtime.sender is not None:
        demo.runtime.sender.wait_idle()
    demo.flush()


def home_and_exports(demo: Demo) -> None:
    demo.step("hr_home")
    demo.slack.event({"type": "app_home_opened", "user": "UHANA", "tab": "home"})
    demo.flush()
    home = {**demo.fake.views["home:UHANA"], "id": "VHOMEHANA"}
    before = len(demo.fake.files())
    demo.press("UHANA", "hr_export_calibration_0", view=home)
    demo.runtime.app.wait_for_background()
    story = texts("demo/story")
    for upload in demo.fake.files()[before:]:
        line = story.hr_uploaded(upload.filename, f"{upload.length:,}", upload.initial_comment)
        demo.say(demo.transcript.names(line))
    folder = Path(tempfile.mkdtemp(prefix="pdpbot-demo-hr-"))
    demo.step("hr_files", str(folder))
    now = demo.clock.now
    with demo.runtime.uow() as uow:
        start, end = quarter_bounds(now.date())
        text, rows = calibration.csv_text(uow, start, end, now.date(), TEAM)
        csv_path = folder / f"calibration-{period_label(start)}.csv"
        write_atomically(csv_path, text.encode("utf-8"))
        demo.say(story.hr_written(csv_path, f"calibration CSV, {rows} rows"))
        pip = uow.session.scalars(select(Pip).where(Pip.team_id == TEAM).order_by(Pip.id)).first()
        if pip is None:
            demo.say(story.hr_no_pip())
            return
        record = pip_record.record_of(uow, pip, now, demo.runtime.settings.hr_zone)
        pdf_path = folder / f"pip-{pip.id}.pdf"
        write_atomically(pdf_path, pip_record.pdf(record))
        demo.say(
            story.hr_written(pdf_path, f"the formal record of PIP {pip.id} ({record.engineer})")
        )


def _latest_thread_message(demo: Demo) -> dict[str, Any] | None:
    """The latest reply of a digest's thread with items (each with *Nudge the manager*)."""
    for message in reversed(demo.fake.messages(HR_CHANNEL)):
        replied = message.get("thread_ts") and message.get("thread_ts") != message.get("ts")
        if replied and any(
            (b.get("accessory") or {}).get("action_id") == "hr_nudge"
            for b in message.get("blocks", [])
        ):
            return message
    return None
