"""HR's digest rules (pure) and its Slack layout: thresholds, order, privacy, and a
2,000-engineer organisation that still fits Slack's limits."""

from __future__ import annotations

import json
from datetime import date, timedelta

from slack_sdk.models.blocks import Block

from bot.domain import hr_digest as d
from bot.slack.views import hr_digest as views

TODAY = date(2027, 3, 1)
MAYA = d.Who(1, "UMAYA", "Maya Okafor")


def engineer(n: int) -> d.Who:
    return d.Who(100 + n, f"UENG{n:05d}", f"Engineer {n}")


def plan(n: int, last_review: date | None, started: date = date(2027, 1, 4)) -> d.PlanFact:
    return d.PlanFact(n, engineer(n), MAYA, "active", started, last_review)


def test_a_pdp_is_unreviewed_after_35_days_not_on_the_35th() -> None:
    facts = d.Facts(
        TODAY,
        plans=[
            plan(1, TODAY - timedelta(days=35)),
            plan(2, TODAY - timedelta(days=36)),
            plan(3, None, started=TODAY - timedelta(days=10)),  # new, never reviewed yet
        ],
    )
    items = d.build(facts).items()
    assert [(i.kind, i.engineer.name if i.engineer else "", i.days) for i in items] == [
        (d.UNREVIEWED, "Engineer 2", 36)
    ]


def test_a_commitment_is_listed_after_14_days_overdue_and_only_while_pending() -> None:
    facts = d.Facts(
        TODAY,
        plans=[plan(1, TODAY)],
        commitments=[
            d.CommitmentFact(1, 1, 1, TODAY - timedelta(days=14), "pending"),
            d.CommitmentFact(2, 1, 2, TODAY - timedelta(days=15), "pending"),
            d.CommitmentFact(3, 1, 3, TODAY - timedelta(days=40), "delivered"),
            d.CommitmentFact(4, 1, 4, TODAY - timedelta(days=40), "withdrawn"),
        ],
    )
    assert [(i.number, i.days) for i in d.build(facts).items()] == [(2, 15)]


def test_goals_carried_twice_without_progress_are_the_calibration_signal() -> None:
    facts = d.Facts(
        TODAY,
        plans=[plan(1, TODAY)],
        goals=[
            d.GoalFact(1, 1, 1, 2, "not_started"),
            d.GoalFact(2, 1, 2, 1, "not_started"),
            d.GoalFact(3, 1, 3, 4, "on_track"),
        ],
    )
    assert [(i.kind, i.number, i.count) for i in d.build(facts).items()] == [(d.STUCK_GOAL, 1, 2)]


def test_a_paused_plan_is_one_item_not_also_unreviewed_or_overdue() -> None:
    paused = d.PlanFact(1, engineer(1), MAYA, "active", date(2026, 10, 1), None, "gone")
    facts = d.Facts(
        TODAY,
        plans=[paused],
        commitments=[d.CommitmentFact(1, 1, 1, date(2026, 11, 1), "pending")],
    )
    assert [i.kind for i in d.build(facts).items()] == [d.PAUSED]


def test_pip_items_come_first_with_days_overdue_rate_justification_and_signals() -> None:
    pip = d.PipFact(
        7,
        engineer(1),
        MAYA,
        overdue_checkpoints=((2, TODAY - timedelta(days=5)), (3, TODAY)),
        support_due=4,
        support_missed=1,
        earlier_conversations=0,
        justification="Incident review found it; no time for an informal round",
        signals=("checkpoints_skipped",),
    )
    digest = d.build(d.Facts(TODAY, plans=[plan(2, None, date(2026, 12, 1))], pips=[pip]))
    assert [kind for kind, _ in digest.groups] == [
        d.PIP_CHECKPOINT,
        d.PIP_SUPPORT,
        d.PIP_NO_EARLIER,
        d.PIP_SIGNAL,
        d.UNREVIEWED,
    ]
    lines = [views.item_text(i, None) for i in digest.items()]
    assert lines[:4] == [
        "*Engineer 1* (manager Maya Okafor): checkpoint 2 was due Wed 24 Feb 2027, "
        "*5 days overdue*",
        "*Engineer 1* (manager Maya Okafor): support delivered *75%* of the time (1 of 4 "
        "missed); a PIP whose support was not delivered cannot be assessed as not met",
        "*Engineer 1* (manager Maya Okafor): no earlier documented conversation. "
        "Justification given: Incident review found it; no time for an informal round",
        "*Engineer 1* (manager Maya Okafor): checkpoints skipped",
    ]
    assert [k for k, _ in digest.without_pips().groups] == [d.UNREVIEWED]


def test_items_are_worst_first_within_a_kind() -> None:
    facts = d.Facts(TODAY, plans=[plan(n, TODAY - timedelta(days=36 + n)) for n in range(3)])
    assert [i.days for i in d.build(facts).items()] == [38, 37, 36]


def test_a_nudged_item_says_when_and_by_whom() -> None:
    item = d.build(d.Facts(TODAY, plans=[plan(1, None, date(2026, 12, 1))])).items()[0]
    text = views.item_text(item, views.Nudge(date(2027, 3, 2), "UHANA"))
    assert text.endswith("\n_Nudged on Tue 2 Mar 2027 by <@UHANA>_")


def test_names_people_typed_are_escaped_for_slack() -> None:
    odd = d.Who(5, "UODD", "<!channel> & co")
    facts = d.Facts(TODAY, plans=[d.PlanFact(1, odd, MAYA, "active", date(2026, 12, 1), None)])
    text = views.item_text(d.build(facts).items()[0], None)
    assert text.startswith("*&lt;!channel&gt; &amp; co*")


def _blocks(blocks: list[Block]) -> list[dict[str, object]]:
    for block in blocks:
        block.validate_json()  # slack_sdk's own limits for each block
    return [b.to_dict() for b in blocks]


def big_org(n: int) -> d.Facts:
    plans, commitments, goals, pips = [], [], [], []
    for i in range(n):
        plans.append(plan(i, None if i % 3 else TODAY - timedelta(days=50), date(2026, 12, 1)))
        commitments.append(d.CommitmentFact(i, i, 1, TODAY - timedelta(days=20 + i % 9), "pending"))
        goals.append(d.GoalFact(i, i, 1, 2 + i % 3, "not_started"))
        if i % 50 == 0:
            pips.append(
                d.PipFact(
                    i,
                    engineer(i),
                    MAYA,
                    overdue_checkpoints=((1, TODAY - timedelta(days=3)),),
                    earlier_conversations=0,
                    justification="x" * 3000,  # longer than a line may be: clipped
                )
            )
    return d.Facts(TODAY, plans=plans, commitments=commitments, goals=goals, pips=pips)


def test_a_digest_for_2000_engineers_stays_within_slacks_limits_and_lists_every_item() -> None:
    digest = d.build(big_org(2000))
    assert digest.total == 2000 * 3 + 40 * 2
    summary = views.summary(digest)
    summary_blocks = _blocks(summary.blocks)
    assert len(summary_blocks) <= views.MAX_BLOCKS
    pages = views.pages(digest)
    keys: list[str] = []
    for n, page in enumerate(pages, 1):
        message = views.part(99, page, n, len(pages), {})
        blocks = _blocks(message.blocks)
        assert len(blocks) <= 50
        for block in blocks:
            assert len(block["text"]["text"]) <= 3000  # type: ignore[index]
        assert len(json.dumps(blocks)) < 40_000
        keys += [str(b["block_id"]) for b in blocks if "accessory" in b]
        assert len({b.get("block_id") for b in blocks if "block_id" in b}) == len(
            [b for b in blocks if "block_id" in b]
        )
    assert sorted(keys) == sorted(i.key for i in digest.items())
    assert "*6080 items need attention*" in summary_blocks[1]["text"]["text"]  # type: ignore[index]
