"""A PIP run honestly, in the demo: Chidi's unresolved concern becomes a PIP. The five
preconditions with the two recorded conversations listed, Hana (HR) acknowledging before
Chidi sees anything, the plan, the opening conversation and Chidi's agreement, weekly
checkpoints with a pairing session missed and then adjusted, a "not met" attempt refused
for the missed support, progress recognised, and the PIP met early."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import Any

from bot.demo.runner import TEAM, Demo
from storage.pip_models import Pip

PRECONDITIONS: dict[str, object] = {
    "classification": "performance",
    "confirmed": [
        "gap_persistent",
        "expectations_explicit",
        "earlier_conversations",
        "performance_matter",
        "support_available",
    ],
    "gap_evidence": (
        "Since January, tickets went a week or more without an update in 9 of 11 sprints' "
        "samples; two blocked tickets were found only at the sprint review on 22 Mar."
    ),
    "expectations_evidence": "Written recaps sent to Chidi after both conversations (1 and 15 Mar)",
    "conversations_evidence": "Two conversations, Monday walk-throughs and pairing offered",
    "support_evidence": "Pairing with Priya twice a week; my Monday board walk-through",
    "hr_user": "UHANA",
}
CRITERIA = (
    "Every ticket you pick up has its status updated before standup each working day, "
    "as checked on the board by the team lead every week for the next six weeks",
    "Blocked tickets are flagged in the team channel the same day they are blocked, "
    "as checked at each sprint review over the next six weeks",
)
PLAN_FIRST_TRY: dict[str, object] = {
    "concern_0": (
        "Ticket statuses go stale: 4 of 9 tickets went a week without an update since our "
        "last conversation, so the team planned around blocked work"
    ),
    "evidence_0": "Board history of sprints 5 and 6; sprint reviews of 8 and 22 Mar",
    "criterion_0": "Communicate better about ticket status",
    "weeks": "6",
    "frequency": "weekly",
    "consequence": (
        "If the standard is not met by the end date, a formal review with HR of whether "
        "Chidi continues in this role"
    ),
    "support_what_0": "Pairing on ticket hygiene",
    "support_who_0": "Priya Shah",
    "support_how_often_0": "Tuesday and Thursday afternoons",
}
PLAN: dict[str, object] = {**PLAN_FIRST_TRY, "criterion_0": CRITERIA[0]}


def checkpoint_answers(
    status: str, delivery: str, reason: str = "", **texts: str
) -> dict[str, object]:
    answers: dict[str, object] = {
        "status_0": status,
        "evidence_0": texts.pop("evidence", "The board history of the week"),
        "delivery_0": delivery,
        "delivery_reason_0": reason,
    }
    answers.update(texts)
    return answers


def open_pip(demo: Demo) -> None:
    """Maya opens a PIP for Chidi: preconditions, HR, the plan, the opening conversation."""
    demo.step("pip_preconditions")
    demo.command("UMAYA", "/pip", "<@UCHIDI|chidi>")
    demo.submit("UMAYA", PRECONDITIONS)
    demo.step("pip_hr_acknowledges")
    demo.press("UHANA", "pip_hr_acknowledge", message=_latest(demo, "UHANA", "pip_hr_acknowledge"))
    demo.step("pip_plan")
    demo.press("UMAYA", "pip_write_plan", message=_latest(demo, "UMAYA", "pip_write_plan"))
    demo.submit("UMAYA", PLAN_FIRST_TRY)
    demo.step("pip_plan_rewritten")
    demo.submit("UMAYA", PLAN)
    demo.step("pip_opening")
    demo.press("UMAYA", "pip_mark_opened", message=_latest(demo, "UMAYA", "pip_mark_opened"))
    demo.step("pip_chidi_agrees")
    demo.press("UCHIDI", "pip_received", message=_latest(demo, "UCHIDI", "pip_received"))
    for _ in CRITERIA[:1]:
        message = _latest(demo, "UCHIDI", "pip_agree_")
        action = next(
            e["action_id"]
            for b in message["blocks"]
            for e in b.get("elements", [])
            if str(e.get("action_id", "")).startswith("pip_agree_")
        )
        demo.press("UCHIDI", action, message=message)


def checkpoints(demo: Demo) -> None:
    """Three weekly checkpoints, each on its date (a bank holiday moves one to the next
    working day); the PIP is met early at the third."""
    first, second, third = _due_dates(demo)[:3]
    demo.tick_until(first)
    demo.step("pip_checkpoint_missed_support")
    _record(
        demo,
        checkpoint_answers(
            "progressing",
            "no",
            "Priya was on the incident rota both afternoons",
            working="Statuses updated on 4 of 5 days: the daily habit is starting",
            needs_work="Flag blocked tickets the same day; one waited two days",
            next_focus="Every status updated daily, and blocked tickets flagged the same day",
        ),
    )
    demo.step("pip_not_met_refused")
    demo.press("UMAYA", _outcome_button(demo), view=_home(demo, "UMAYA"))
    demo.submit("UMAYA", {"outcome": "not_met"})
    demo.tick_until(second)
    demo.step("pip_checkpoint_adjusted")
    _record(
        demo,
        checkpoint_answers(
            "met",
            "partly",
            "One session of two: Priya moved to Thursdays only",
            working=(
                "Every status was updated before standup all week, and the blocked payment "
                "ticket was flagged within the hour: exactly what I asked for"
            ),
            needs_work="Keep flagging blocked tickets the same day",
            adjustments="Pairing moves to Thursday mornings with Sam, who is off the rota",
            next_focus="Both criteria for another full week",
        ),
    )
    demo.tick_until(third)
    demo.step("pip_met_early")
    _record(
        demo,
        checkpoint_answers(
            "met",
            "yes",
            working="Two weeks of daily updates, and every blocked ticket flagged the same day",
            needs_work="",
            next_focus="None: the standard is met",
        ),
    )
    demo.press("UMAYA", _outcome_button(demo), view=_home(demo, "UMAYA"))
    demo.submit("UMAYA", {"outcome": "met_early"})
    demo.tick_until(third + timedelta(hours=12))


def _pip(demo: Demo) -> Pip:
    with demo.runtime.uow() as uow:
        chidi = uow.people.get(TEAM, "UCHIDI")
        assert chidi is not None
        pip = uow.pips.about(TEAM, chidi.id)[-1]
        pip.checkpoints  # noqa: B018 - loaded before the session closes
        return pip


def _due_dates(demo: Demo) -> list[datetime]:
    """Each checkpoint's date, at 11:00 UTC: after the prompt (10:00 in London)."""
    return [
        datetime.combine(c.due_on, time(11), tzinfo=timezone.utc) for c in _pip(demo).checkpoints
    ]


def _outcome_button(demo: Demo) -> str:
    return f"pip_open_outcome_{_pip(demo).id}"


def _record(demo: Demo, answers: dict[str, object]) -> None:
    message = _latest(demo, "UMAYA", "pip_open_checkpoint")
    demo.press("UMAYA", "pip_open_checkpoint", message=message)
    demo.submit("UMAYA", answers)


def _home(demo: Demo, user: str) -> dict[str, Any]:
    demo.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    home = dict(demo.fake.views[f"home:{user}"])
    home.setdefault("id", "VHOME")
    return home


def _latest(demo: Demo, user: str, prefix: str) -> dict[str, Any]:
    """The newest message in `user`'s DM with a button whose action id starts with `prefix`."""
    for call in reversed(demo.fake.calls_to("chat.postMessage")):
        channel = str(call.args["channel"])
        if demo.fake.members(channel) != [user]:
            continue
        for message in reversed(demo.fake.messages(channel)):
            for block in message.get("blocks", []):
                for element in block.get("elements", []):
                    if str(element.get("action_id", "")).startswith(prefix):
                        return {**message, "channel": channel}
    raise AssertionError(f"no {prefix} button in {user}'s DM")
