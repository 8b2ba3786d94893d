"""The cadence in the demo: prompts arriving on their days, a check-in answered by both, a
commitment reminded then delivered, a review moved to another day.

`play_cadence` runs from the demo clock's current time to `until`, ticking every simulated
hour; call it once the plans are active, in place of ticking that stretch yourself."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.demo.runner import Demo
from bot.slack.ids import Action
from storage.models import Commitment, Prompt

HOUR = timedelta(hours=1)


def play_cadence(demo: Demo, ana_plan_id: int, ben_plan_id: int, until: datetime) -> None:
    demo.step("cadence_runs")
    week4 = _row(demo, f"plan:{ana_plan_id}:progress_check:1")
    _tick_to(demo, week4.due_at + HOUR)
    _answer_check_in(demo, week4)

    reminder = _first_reminder(demo, ben_plan_id)
    if reminder is not None:
        _tick_to(demo, reminder.due_at + HOUR)
        demo.step("maya_not_yet")
        demo.press("UMAYA", Action.REMIND_NEXT_WEEK, message=_reminder(demo, reminder))
        demo.submit("UMAYA", {"reason": "Two sev-1 incidents took my week; I'll do it Monday"})
        following = _row(demo, reminder.key.rsplit(":", 1)[0] + ":2")
        _tick_to(demo, following.due_at + HOUR)
        demo.step("maya_delivered")
        demo.press("UMAYA", Action.REMIND_DELIVERED, message=_reminder(demo, following))

    week8 = _row(demo, f"plan:{ben_plan_id}:progress_check:2")
    _tick_to(demo, week8.due_at + HOUR)
    _move_review(demo, week8, week8.planned_on + timedelta(days=3))
    _tick_to(demo, until)


def _answer_check_in(demo: Demo, prompt: Prompt) -> None:
    demo.step("ana_checks_in")
    demo.press("UANA", Action.OPEN_CHECKIN, message=_message(demo, prompt))
    demo.submit(
        "UANA",
        {
            "done": "Led the January latency incident end to end, with Priya as backup.",
            "worked": "Reading traces before dashboards. Not working: studying on on-call weeks.",
            "blockers": "Two on-call swaps ate my study afternoons.",
            "focus": "Write the tracing runbook and review it with the SRE team.",
            "need": "Keep Thursday afternoons free of meetings.",
        },
    )
    demo.step("maya_checks_in")
    demo.press("UMAYA", Action.OPEN_CHECKIN, message=_message(demo, prompt))
    view = demo.fake.last_view("UMAYA") or {}
    states = {
        block["block_id"]: "pending"
        for block in view.get("blocks", [])
        if str(block.get("block_id", "")).startswith("commitment_")
    }
    answers: dict[str, object] = {
        **states,
        "seeing": "Ana is ready to lead an incident review on her own.",
        "conditions": "Not fully: on-call keeps eating her protected time. I'll fix the rota.",
    }
    demo.submit("UMAYA", answers)


def _move_review(demo: Demo, prompt: Prompt, to: date) -> None:
    demo.step("ben_moves", to)
    demo.press("UBEN", Action.OPEN_RESCHEDULE, message=_message(demo, prompt))
    demo.submit("UBEN", {"date": to.isoformat()})


# --- helpers --------------------------------------------------------------------


def _tick_to(demo: Demo, when: datetime) -> None:
    if demo.clock.now < when:
        demo.tick_until(when)


def _row(demo: Demo, key: str) -> Prompt:
    with demo.runtime.uow() as uow:
        row = uow.session.scalars(select(Prompt).where(Prompt.key == key)).one()
        uow.session.expunge(row)
        return row


def _first_reminder(demo: Demo, plan_id: int) -> Prompt | None:
    with demo.runtime.uow() as uow:
        row = uow.session.scalars(
            select(Prompt)
            .join(Commitment, Prompt.commitment_id == Commitment.id)
            .where(Prompt.plan_id == plan_id, Prompt.kind == "commitment_reminder")
            .order_by(Prompt.due_at)
        ).first()
        if row is not None:
            uow.session.expunge(row)
        return row


def _message(demo: Demo, prompt: Prompt) -> dict[str, Any]:
    row = _row(demo, prompt.key)
    return next(m for m in demo.fake.messages(row.channel or "") if m["ts"] == row.ts)


def _reminder(demo: Demo, prompt: Prompt) -> dict[str, Any]:
    return _message(demo, prompt)
