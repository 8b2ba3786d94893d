"""The whole demo, as a new user reads it: nothing posted twice, no errors in between."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

import pytest

from bot.demo.runner import run


def test_the_whole_demo_posts_each_digest_and_follow_up_once_and_logs_no_warnings(
    caplog: pytest.LogCaptureFixture,
) -> None:
    out = io.StringIO()
    with caplog.at_level(logging.WARNING):
        assert run(out=out) == 0
    text = out.getvalue()

    digests = Counter(re.findall(r"HR digest, (Mon \d+ \w+ 2027)", text))
    assert digests and max(digests.values()) == 1, digests
    follow_ups = Counter(re.findall(r"\*Follow-up: (\w+ \w+)\* · conversation (\d)", text))
    assert follow_ups == {("Ben Carter", "1"): 1, ("Chidi Eze", "1"): 1, ("Chidi Eze", "2"): 1}
    # Ana, Ben and Chidi are Maya's reports all of Q1 (from /pdp): the roster keeps them with
    # her, so the import adds them; the one manager change is Olivia's, in May.
    assert "org.csv: 19 people added, 0 managers changed," in text
    assert "+ Chidi Eze (UCHIDI): manager Maya Okafor (UMAYA), team Platform, IN" in text
    assert "~ Olivia Hughes (UOLIVIA): manager Maya Okafor (UMAYA) → Otto Berg" in text
    assert "now goes to @Priya Nair" not in text
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
