"""The demo's company roll-out: a roster of about twenty people in three countries, a cycle
that reaches every engineer, one manager change mid-quarter, the health figures and the
chart, whose PNG path is printed."""

from __future__ import annotations

import io
import re
import struct
from pathlib import Path

from bot.demo import roster_scenes
from bot.demo.runner import demo_environment


def test_the_demo_rolls_out_a_roster_reaches_everyone_moves_a_plan_and_draws_the_chart() -> None:
    out = io.StringIO()
    with demo_environment(out, quiet=False) as demo:
        roster_scenes.roll_out(demo)
    text = out.getvalue()
    assert "org.csv: 19 people added" in text and "(dry run: nothing was changed)" in text
    assert "+ Chidi Eze (UCHIDI): manager Maya Okafor (UMAYA), team Platform, IN" in text
    assert "org.csv: the roster already matches it; nothing changed" in text
    assert {"GB", "DE", "IN"} <= set(re.findall(r"team \w+, ([A-Z]{2})", text))
    assert "→ the Q2 cycle reached 16 of 16 engineers without a plan" in text
    assert text.count("week-1 goal-setting prompt with [Draft my plan] in the DM of") == 16
    assert (
        "~ Olivia Hughes (UOLIVIA): manager Maya Okafor (UMAYA) → Otto Berg (UOTTO) "
        "(open plan moves)"
    ) in text
    assert "development plan now goes to @Otto Berg" in text
    assert "• I will introduce Olivia to the Data team's release lead by 20 May" in text
    assert "in the digest's thread: cadence-health-2027Q2.png" in text
    path = Path(re.findall(r"written to (\S+\.png)", text)[-1])
    png = path.read_bytes()
    assert png.startswith(b"\x89PNG") and struct.unpack(">II", png[16:24]) == (800, 450)
