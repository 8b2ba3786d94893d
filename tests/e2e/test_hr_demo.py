"""The demo's HR story: the digest on its Monday, a nudge, HR's App Home, and the exports
(one uploaded to Hana's DM, and files written to a temporary folder whose paths are printed)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from bot.demo.runner import run


def test_the_demo_shows_the_digest_a_nudge_hr_app_home_and_the_exports() -> None:
    out = io.StringIO()
    assert run(out=out) == 0
    text = out.getvalue()
    story = text[text.index("▶ Monday: HR's weekly digest") :]
    assert "💬 pdpbot in #hr-people-private:\n│ **HR digest, Mon 29 Mar 2027**" in text
    assert "│ _Nudged on Mon 29 Mar 2027 by @Hana Sato_" in story
    assert "│ *Hana Sato* from HR asks you to look at this item of HR's digest of Mon 29" in story
    assert "🏠 App Home of Hana Sato:" in story and "│ **HR overview**" in story
    assert "📎 calibration-2027Q1.csv (" in story
    [written] = re.findall(r"📄 (\S+calibration-2027Q1\.csv): calibration CSV", story)
    assert Path(written).read_text(encoding="utf-8").startswith("engineer,engineer_slack_id")
    pdfs = re.findall(r"📄 (\S+\.pdf): the formal record", story)
    assert pdfs or "(no PIP in this demo yet" in story  # the PIP story is issue 12's
    assert all(Path(p).read_bytes().startswith(b"%PDF") for p in pdfs)
