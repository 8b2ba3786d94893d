"""The demo's HR story: the digest on its Monday, a nudge, HR's App Home, and the exports
(one uploaded to Hana's DM, and files written to a temporary folder whose paths are printed)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader

from bot.demo.runner import run


def test_the_demo_shows_the_digest_a_nudge_hr_app_home_and_the_exports() -> None:
    out = io.StringIO()
    assert run(out=out) == 0
    text = out.getvalue()
    story = text[text.index("▶ Monday: HR's weekly digest") :]
    assert "💬 pdpbot in #hr-people-private:\n│ **HR digest, Mon " in text
    assert re.search(r"_Nudged on Mon \d+ \w+ 2027 by @Hana Sato_", story)
    assert "│ *Hana Sato* from HR asks you to look at this item of HR's digest of Mon" in story
    home = story[story.index("🏠 App Home of Hana Sato") :]
    assert "items need attention* as of" in home and "[Formal record]" in home
    assert re.search(r"📎 calibration-2027Q\d\.csv \(", story)
    [written] = re.findall(r"📄 (\S+calibration-2027Q\d\.csv): calibration CSV", story)
    assert Path(written).read_text(encoding="utf-8").startswith("engineer,engineer_slack_id")
    [pdf] = re.findall(r"📄 (\S+\.pdf): the formal record of PIP \d+ \(Chidi Eze\)", story)
    pages = PdfReader(pdf).pages
    assert all(p.extract_text().startswith("Confidential") for p in pages)
    assert "Engineer: Chidi Eze" in pages[0].extract_text()
