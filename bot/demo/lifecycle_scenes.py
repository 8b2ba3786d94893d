"""Demo scenes of the PDP lifecycle: draft, warning, commitments, confirmation, review, home."""

from __future__ import annotations

from typing import Any

from bot.demo.runner import Demo
from bot.fakeslack import input_values

ANA_DRAFT: dict[str, object] = {
    "manager": "UMAYA",
    "strengths": "Shipping search features end to end; code reviews that catch real bugs.",
    "difficulties": "Production performance problems: I hand latency issues to seniors.",
    "aspiration": "The engineer other teams call when their service is slow.",
    "target_role": "Senior engineer, search platform",
    "goal1_outcome": (
        "Be able to diagnose production latency issues in the search service "
        "without escalating to senior engineers"
    ),
    "goal1_success": "Lead two sev-2 latency incidents to resolution as primary on-call",
    "goal1_target": "2027-03-19",
    "goal1_how": "Pair with Priya on incidents; rebuild the p99 dashboards",
    "goal1_support": "A place on the incident rota with a senior as backup",
    "goal2_outcome": "Complete the AWS Solutions Architect certification",
    "goal2_success": "Certificate",
    "goal2_target": "2027-03-12",
}
ANA_GOAL2_REWRITTEN: dict[str, object] = {
    "goal2_outcome": (
        "Design the search service's move to multi-region and have it accepted "
        "by the architecture group without a second round"
    ),
    "goal2_success": "Design accepted at the March architecture review",
    "goal2_how": "The AWS Solutions Architect course, then a design doc with Priya's review",
}
MAYA_GENERIC: dict[str, object] = {"commitment1_text": "I will support your development"}
MAYA_COMMITMENTS: dict[str, object] = {
    "commitment1_text": "I will put Ana on the incident rota from 18 January, with Priya as backup",
    "commitment1_due": "2027-01-18",
    "commitment2_text": "I will book the March architecture review slot for Ana's design",
    "commitment2_due": "2027-02-15",
    "comment2": "Good rewrite. Share the first draft of the design doc with me by mid-February.",
}
BEN_DRAFT: dict[str, object] = {
    "manager": "UMAYA",
    "strengths": "Calm on-call; good at untangling legacy billing code.",
    "difficulties": "Writing: my design docs come back with many questions.",
    "aspiration": "A tech lead who can take a cross-team project from idea to launch.",
    "goal1_outcome": (
        "Write design docs for the billing team that are approved by reviewers "
        "with no more than one round of questions"
    ),
    "goal1_success": "Two billing design docs approved in one round",
    "goal1_target": "2027-03-26",
}
CHIDI_DRAFT: dict[str, object] = {
    "manager": "UMAYA",
    "strengths": "Careful fixes in the payments API; good at reproducing hard bugs.",
    "difficulties": "Planning my own work: I find out late that I am blocked.",
    "aspiration": "An engineer who takes a small feature from plan to release on his own.",
    "goal1_outcome": (
        "Plan and ship a small payments feature end to end, raising blockers the day they "
        "appear, without a senior re-planning it"
    ),
    "goal1_success": "The refunds export ships in its planned sprint with no re-plan",
    "goal1_target": "2027-03-19",
    "goal1_how": "Plan the refunds export with Priya; post its status at each standup",
}
CHIDI_COMMITMENTS: dict[str, object] = {
    "commitment1_text": "I will pair Chidi with Priya for the refunds export's planning session",
}
BEN_COMMITMENTS: dict[str, object] = {
    "commitment1_text": "I will review Ben's first design doc outline within two days",
    "commitment1_due": "2027-02-01",
}


def last_dm(demo: Demo, user: str) -> dict[str, Any]:
    for call in reversed(demo.fake.calls_to("chat.postMessage")):
        channel = call.args["channel"]
        if demo.fake.members(channel) == [user]:
            return demo.fake.messages(channel)[-1]
    raise AssertionError(f"no DM to {user}")


def pair_dm(demo: Demo, engineer: str, manager: str) -> dict[str, Any]:
    for call in reversed(demo.fake.calls_to("chat.postMessage")):
        members = set(demo.fake.members(call.args["channel"])) - {demo.fake.bot_user_id}
        if members == {engineer, manager}:
            return demo.fake.messages(call.args["channel"])[-1]
    raise AssertionError(f"no group DM of {engineer} and {manager}")


def plan_id_of(demo: Demo, user: str) -> int:
    with demo.runtime.uow() as uow:
        person = uow.people.get(demo.fake.team_id, user)
        plan = uow.plans.current_for(person) if person else None
        assert plan is not None, f"{user} has no open plan"
        return plan.id


def open_home(demo: Demo, user: str) -> None:
    demo.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    demo.flush()


def agree_plans(demo: Demo) -> None:
    """Week 1: Ana and Ben draft, Maya commits, both confirm."""
    demo.step("ana_opens_plan")
    demo.command("UANA", "/pdp")
    demo.step("ana_adds_a_goal")
    quiet, demo.quiet = demo.quiet, True
    demo.press("UANA", "add_goal", view=demo.fake.last_view("UANA"))
    demo.quiet = quiet
    demo.step("ana_activity_goal")
    demo.submit("UANA", ANA_DRAFT)
    demo.step("ana_rewrites")
    demo.submit("UANA", {**ANA_DRAFT, **ANA_GOAL2_REWRITTEN})
    demo.step("maya_opens_request")
    demo.press("UMAYA", "open_manager_modal", message=last_dm(demo, "UMAYA"))
    demo.step("maya_generic")
    demo.submit("UMAYA", MAYA_GENERIC)
    demo.submit("UMAYA", MAYA_COMMITMENTS)
    demo.step("ana_confirms")
    demo.press("UANA", "open_confirm_modal", message=last_dm(demo, "UANA"))
    demo.submit("UANA")
    demo.step("ben_too")
    quiet = demo.quiet
    demo.quiet = True
    demo.command("UBEN", "/pdp")
    demo.submit("UBEN", BEN_DRAFT)
    demo.press("UMAYA", "open_manager_modal", message=last_dm(demo, "UMAYA"))
    demo.submit("UMAYA", BEN_COMMITMENTS)
    demo.press("UBEN", "open_confirm_modal", message=last_dm(demo, "UBEN"))
    demo.submit("UBEN")
    demo.quiet = quiet
    demo.say(*demo.transcript.render_call(demo.fake.calls_to("chat.postMessage")[-1]))


def chidi_drafts(demo: Demo) -> None:
    """Chidi, in Kolkata, drafts his plan the next day; it waits for Maya."""
    demo.step("chidi_drafts")
    with demo.modals_hidden():
        demo.command("UCHIDI", "/pdp")
    demo.step("chidi_changes_dates")
    demo.press("UCHIDI", "change_dates", view=demo.fake.last_view("UCHIDI"))
    view = demo.fake.last_view("UCHIDI") or {}
    moved = {
        str(b["block_id"]): "2027-01-28"
        for b in view.get("blocks", [])
        if str(b.get("block_id", "")).startswith("review_4_")
    }
    demo.step("chidi_waits")
    with demo.modals_hidden():
        demo.submit("UCHIDI", {**CHIDI_DRAFT, **moved})


def chidi_plan_starts(demo: Demo, nudge: dict[str, Any]) -> None:
    """Maya adds her commitment from the nudge, without a date; Chidi confirms."""
    demo.step("maya_answers_nudge")
    with demo.modals_hidden():
        demo.press("UMAYA", "open_manager_modal", message=nudge)
        demo.submit("UMAYA", CHIDI_COMMITMENTS)
    demo.step("chidi_confirms")
    with demo.modals_hidden():
        demo.press("UCHIDI", "open_confirm_modal", message=last_dm(demo, "UCHIDI"))
        demo.submit("UCHIDI")


def refused_review(demo: Demo) -> None:
    demo.step("ben_refused")
    demo.command("UBEN", "/pdp-review", "<@UANA|ana>")


def monthly_review(demo: Demo) -> None:
    demo.step("monthly_review")
    demo.command("UMAYA", "/pdp-review", "<@UANA|ana>")
    view = demo.fake.last_view("UMAYA")
    assert view is not None
    answers: dict[str, object] = {
        "done": "Led one latency incident with Priya as backup; rebuilt the p99 dashboard.",
        "blockers": "A release freeze took two weeks of incident rota.",
        "focus": "The multi-region design doc draft.",
    }
    still_open = False
    for block in view["blocks"]:
        block_id = block.get("block_id", "")
        if block_id.startswith("progress"):
            answers[block_id] = "on_track"
        elif block_id.startswith("delivered"):
            initial = block.get("element", {}).get("initial_option") or {}
            still_open = initial.get("value") != "delivered"
        elif block_id.startswith("reason") and still_open:
            answers[block_id] = "The March review agenda opens on 8 March; I'll book it then"
    demo.submit("UMAYA", answers)


def homes(demo: Demo) -> None:
    demo.step("homes")
    open_home(demo, "UANA")
    open_home(demo, "UMAYA")


def reflection_and_next_quarter(demo: Demo) -> None:
    demo.step("reflection")
    demo.command("UANA", "/pdp")
    view = demo.fake.last_view("UANA")
    assert view is not None
    demo.press("UANA", "open_reflection", view=view)
    demo.step("end_states")
    reflection = demo.fake.last_view("UANA") or {}
    states = {
        block["block_id"]: state
        for block, state in zip(
            [
                b
                for b in reflection.get("blocks", [])
                if b.get("block_id", "").startswith("end_state")
            ],
            ("partly", "achieved"),
            strict=False,
        )
    }
    reflection["state"] = {"values": input_values(reflection, states)}
    first = next(iter(states))
    demo.slack.block_action("UANA", "end_state", view=reflection, block_id=first, value="partly")
    demo.flush()
    demo.submit(
        "UANA",
        {
            **states,
            "achieved": "Led two latency incidents without escalating; design accepted.",
            "changed": "I now start from the traces, not the logs.",
            "carry": "Multi-region rollout itself.",
        },
    )
    closing = pair_dm(demo, "UANA", "UMAYA")
    demo.step("maya_perspective")
    demo.press("UMAYA", "open_perspective", message=closing)
    demo.submit(
        "UMAYA", {"perspective": "Ana now owns latency incidents; I was slow to book the review."}
    )
    demo.step("next_quarter")
    demo.press("UANA", "start_next_quarter", message=closing)
    demo.step("next_quarter_longer")
    draft = demo.fake.last_view("UANA") or {}
    draft["state"] = {"values": input_values(draft, {"period_end": "2027-09-30"})}
    demo.slack.block_action(
        "UANA", "value", view=draft, block_id="period_end", selected_date="2027-09-30"
    )
    demo.flush()
    demo.step("next_quarter_later")
