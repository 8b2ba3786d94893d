"""The cadence in the demo: prompts arriving on their days, check-ins answered by both, every
commitment reminded (one delivered late with a reason, one no longer needed, with a reason), a
review moved to another day and held there, a waiting draft nudged, a reflection written after
its nudge.

`play_cadence` runs from the demo clock's current time to `until`, ticking every simulated
hour; call it once the plans are active, in place of ticking that stretch yourself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from bot.demo.runner import Demo
from bot.slack.ids import Action
from storage.models import Commitment, Prompt

HOUR = timedelta(hours=1)


def play_cadence(demo: Demo, ana_plan_id: int, ben_plan_id: int, until: datetime) -> None:
    demo.step("cadence_runs")
    week4 = _row(demo, f"plan:{ana_plan_id}:progress_check:1")
    events: list[tuple[datetime, Callable[[], None]]] = [
        (week4.due_at + HOUR, lambda: _answer_check_in(demo, week4)),
    ]
    chidi = _other_reminder(demo, (ana_plan_id, ben_plan_id))
    if chidi is not None:
        events.append((chidi.due_at + HOUR, lambda: _no_longer_needed(demo, chidi)))
    reminder = _first_reminder(demo, ben_plan_id)
    if reminder is not None:
        events.append((reminder.due_at + HOUR, lambda: _not_yet_then_delivered(demo, reminder)))
    week8 = _row(demo, f"plan:{ben_plan_id}:progress_check:2")
    events.append((week8.due_at + HOUR, lambda: _move_and_hold(demo, week8)))
    for when, scene in sorted(events, key=lambda event: event[0]):
        _tick_to(demo, when)
        scene()
    _tick_to(demo, until)


def chidi_nudged(demo: Demo) -> None:
    """Chidi's draft waits three working days: Maya is nudged once, and answers from it."""
    from bot.demo import lifecycle_scenes as pdp

    row = _row(demo, f"plan:{pdp.plan_id_of(demo, 'UCHIDI')}:draft_waiting")
    _tick_to(demo, row.due_at + HOUR)
    pdp.chidi_plan_starts(demo, _message(demo, row))


def maya_books_the_review(demo: Demo, ana_plan_id: int) -> None:
    """A week after the monthly review, Maya has booked the slot and says so from the reminder."""
    _tick_to(demo, datetime(2027, 3, 8, 11, tzinfo=timezone.utc))
    with demo.runtime.uow() as uow:
        row = uow.session.scalars(
            select(Prompt)
            .where(
                Prompt.plan_id == ana_plan_id,
                Prompt.kind == "commitment_reminder",
                Prompt.status == "sent",
            )
            .order_by(Prompt.sent_at.desc())
        ).first()
        if row is None:
            return
        uow.session.expunge(row)
    demo.step("maya_books")
    demo.press("UMAYA", Action.REMIND_DELIVERED, message=_message(demo, row))


def ben_reflects(demo: Demo, ben_plan_id: int) -> None:
    """Ben writes his reflection the day its nudge arrives: one goal, achieved."""
    reflection = _row(demo, f"plan:{ben_plan_id}:reflection:1")
    nudge = _nudge_of(demo, reflection)
    _tick_to(demo, (nudge.due_at if nudge else reflection.due_at) + HOUR)
    demo.step("ben_reflects")
    with demo.modals_hidden():
        demo.press("UBEN", Action.OPEN_REFLECTION, message=_message(demo, reflection))
        view = demo.fake.last_view("UBEN") or {}
        states = {
            str(b["block_id"]): "achieved"
            for b in view.get("blocks", [])
            if str(b.get("block_id", "")).startswith("end_state")
        }
        demo.submit(
            "UBEN",
            {
                **states,
                "achieved": "Both billing design docs were approved in one round.",
                "changed": "I write the outline first and share it two days early.",
            },
        )


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
    answers: dict[str, object] = {
        **_commitments(demo, "UMAYA", "delivered"),
        "seeing": "Ana is ready to lead an incident review on her own.",
        "conditions": "Not fully: on-call keeps eating her protected time. I'll fix the rota.",
    }
    demo.submit("UMAYA", answers)


def _not_yet_then_delivered(demo: Demo, reminder: Prompt) -> None:
    demo.step("maya_not_yet")
    demo.press("UMAYA", Action.REMIND_NEXT_WEEK, message=_message(demo, reminder))
    demo.submit("UMAYA", {"reason": "Two sev-1 incidents took my week; I'll do it Monday"})
    following = _row(demo, reminder.key.rsplit(":", 1)[0] + ":2")
    _tick_to(demo, following.due_at + HOUR)
    demo.step("maya_delivered")
    demo.press("UMAYA", Action.REMIND_DELIVERED, message=_message(demo, following))


def _no_longer_needed(demo: Demo, reminder: Prompt) -> None:
    demo.step("maya_no_longer_needed")
    demo.press("UMAYA", Action.REMIND_WITHDRAW, message=_message(demo, reminder))
    demo.submit(
        "UMAYA",
        {"reason": "Priya moved to the search team; Chidi plans the export with me instead"},
    )


def _move_and_hold(demo: Demo, week8: Prompt) -> None:
    _move_review(demo, week8, week8.planned_on + timedelta(days=3))
    moved = _row(demo, week8.key)
    _tick_to(demo, moved.due_at + HOUR)
    demo.step("ben_holds_it")
    with demo.modals_hidden():
        demo.press("UBEN", Action.OPEN_CHECKIN, message=_message(demo, moved))
        demo.submit(
            "UBEN",
            {
                "done": "The first billing design doc was approved in one round.",
                "focus": "The second doc: share the outline two days before its review.",
            },
        )
        demo.press("UMAYA", Action.OPEN_CHECKIN, message=_message(demo, moved))
        demo.submit("UMAYA", _commitments(demo, "UMAYA", "delivered", "delivered"))


def _move_review(demo: Demo, prompt: Prompt, to: date) -> None:
    demo.step("ben_moves", to)
    demo.press("UBEN", Action.OPEN_RESCHEDULE, message=_message(demo, prompt))
    demo.submit("UBEN", {"date": to.isoformat()})


# --- helpers --------------------------------------------------------------------


def _commitments(demo: Demo, user: str, first: str, rest: str = "pending") -> dict[str, object]:
    """The open check-in's commitment questions: the first answered `first`, the rest `rest`."""
    view = demo.fake.last_view(user) or {}
    blocks = [
        str(b["block_id"])
        for b in view.get("blocks", [])
        if str(b.get("block_id", "")).startswith("commitment_")
    ]
    return {block: first if n == 0 else rest for n, block in enumerate(blocks)}


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


def _other_reminder(demo: Demo, plan_ids: tuple[int, ...]) -> Prompt | None:
    """The first commitment reminder of a plan other than these (Chidi's, in the demo)."""
    with demo.runtime.uow() as uow:
        row = uow.session.scalars(
            select(Prompt)
            .where(Prompt.plan_id.not_in(plan_ids), Prompt.kind == "commitment_reminder")
            .order_by(Prompt.due_at)
        ).first()
        if row is not None:
            uow.session.expunge(row)
        return row


def _nudge_of(demo: Demo, prompt: Prompt) -> Prompt | None:
    with demo.runtime.uow() as uow:
        row = uow.session.scalars(select(Prompt).where(Prompt.parent_id == prompt.id)).first()
        if row is not None:
            uow.session.expunge(row)
        return row


def _message(demo: Demo, prompt: Prompt) -> dict[str, Any]:
    row = _row(demo, prompt.key)
    channel = demo.fake.channel_of(row.ts or "") or row.channel or ""
    return next(m for m in demo.fake.messages(channel) if m["ts"] == row.ts)
