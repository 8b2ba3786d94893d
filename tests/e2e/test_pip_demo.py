"""The demo's PIP reads as the guide describes an honest one: Chidi's unresolved concern
becomes a PIP with HR acknowledging first, criteria he agreed, a missed support session
recorded and then adjusted, "not met" refused for it, progress named, and met early."""

from __future__ import annotations

import io
import itertools

from bot.demo.runner import run


def test_the_demo_runs_a_pip_honestly() -> None:
    out = io.StringIO()
    assert run(out=out) == 0
    text = out.getvalue()
    story = text[text.index("Chidi's concern was not resolved by two conversations") :]

    # Steps in order; within a step, messages to different people (posted concurrently,
    # one channel each) in any order.
    steps = [
        ["*Earlier conversations recorded:* 2"],
        ["*Maya Okafor intends to start a PIP with Chidi Eze"],
        ["Hana Sato presses [Acknowledge]"],
        ["can’t be assessed objectively, and the guide calls such criteria traps"],
        ["Chidi Eze must leave it knowing"],
        ["💬 pdpbot in the DM of Chidi Eze:\n│ *This is a formal Performance Improvement Plan*"],
        ["*1.* Every ticket you pick up has its status updated before standup each working day"],
        ["_(you agreed)_"],
        ["*Checkpoint 1 of 6 of Chidi Eze’s PIP is due today* (Mon 24 May 2027)"],
        [
            "Pairing on ticket hygiene: not delivered",
            "this is a management failure HR should engage on",
        ],
        ["named support was missed without a recorded adjustment"],
        ["exactly what I asked for"],
        ["*Adjustments to support:* Pairing moves to Thursday mornings with Sam"],
        [
            "*Chidi Eze has met every criterion of the PIP, ahead of its end date.*",
            "*Chidi Eze’s PIP: met early*, recorded by Maya Okafor.",
        ],
    ]
    spans = [[story.index(part) for part in step] for step in steps]
    for earlier, later in itertools.pairwise(spans):
        assert max(earlier) < min(later), (earlier, later)
    before_opening = story[: story.index("Maya Okafor presses [Mark opened]")]
    assert "in the DM of Chidi Eze:" not in before_opening  # nothing before HR and the opening
    for line in story.splitlines():  # PIP detail only in the four allowed places
        if line.startswith("💬 pdpbot in") and "PIP" in story[story.index(line) :][:400]:
            assert "#" not in line or "hr-people-private" in line, line
