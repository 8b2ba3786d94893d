"""The company roll-out: an org roster of about twenty people in three countries imported
(a dry run first), HR starting next quarter's cycle from App Home so that every engineer
without a plan is reached, one manager change in the middle of the quarter, and the cadence
health figures with the chart (its PNG path printed)."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.cli_roster import report
from bot.demo.lifecycle_scenes import last_dm, pair_dm
from bot.demo.runner import HR_CHANNEL, TEAM, at
from bot.domain.calibration import parse_period
from bot.services import cycles, health, roster
from bot.services.files import write_atomically
from bot.services.health_chart import QUARTERS, render_png
from prompts import texts
from storage.models import Prompt

if TYPE_CHECKING:
    from bot.demo.runner import Demo

# Managers and engineers the sample team's Slack lacks: (id, real name, zone, country, email).
NEWCOMERS = [
    ("UOTTO", "Otto Berg", "Europe/Berlin", "DE"),
    ("UPRIYA", "Priya Nair", "Asia/Kolkata", "IN"),
    ("ULENA", "Lena Vogel", "Europe/Berlin", "DE"),
    ("UJONAS", "Jonas Weber", "Europe/Berlin", "DE"),
    ("UMIA", "Mia Schulz", "Europe/Berlin", "DE"),
    ("UFELIX", "Felix Braun", "Europe/Berlin", "DE"),
    ("UKAI", "Kai Hoffmann", "Europe/Berlin", "DE"),
    ("UARJUN", "Arjun Rao", "Asia/Kolkata", "IN"),
    ("UDIVYA", "Divya Iyer", "Asia/Kolkata", "IN"),
    ("URAHUL", "Rahul Mehta", "Asia/Kolkata", "IN"),
    ("USNEHA", "Sneha Pillai", "Asia/Kolkata", "IN"),
    ("UVIKRAM", "Vikram Das", "Asia/Kolkata", "IN"),
    ("UOLIVIA", "Olivia Hughes", "Europe/London", "GB"),
    ("UTOM", "Tom Fletcher", "Europe/London", "GB"),
    ("UGRACE", "Grace Evans", "Europe/London", "GB"),
]
# person, manager, team, country: Maya's Platform team (GB), Otto's Data team (DE), Priya's
# Search team (IN). Ana works from California and Chidi from Kolkata for Maya's UK team
# (he is her report all of Q1: the roster keeps him with her).
LINES = [
    ("UMAYA", "", "Platform", "GB"),
    ("UOTTO", "", "Data", "DE"),
    ("UPRIYA", "", "Search", "IN"),
    ("UANA", "UMAYA", "Platform", "GB"),
    ("UBEN", "UMAYA", "Platform", "GB"),
    ("UOLIVIA", "UMAYA", "Platform", "GB"),
    ("UTOM", "UMAYA", "Platform", "GB"),
    ("UGRACE", "UMAYA", "Platform", "GB"),
    ("ULENA", "UOTTO", "Data", "DE"),
    ("UJONAS", "UOTTO", "Data", "DE"),
    ("UMIA", "UOTTO", "Data", "DE"),
    ("UFELIX", "UOTTO", "Data", "DE"),
    ("UKAI", "UOTTO", "Data", "DE"),
    ("UCHIDI", "UMAYA", "Platform", "IN"),  # still Maya's: his PIP follows (pip_scenes)
    ("UARJUN", "UPRIYA", "Search", "IN"),
    ("UDIVYA", "UPRIYA", "Search", "IN"),
    ("URAHUL", "UPRIYA", "Search", "IN"),
    ("USNEHA", "UPRIYA", "Search", "IN"),
    ("UVIKRAM", "UPRIYA", "Search", "IN"),
]
CHART_PATH = Path(tempfile.gettempdir()) / "pdpbot-demo-cadence-health.png"


def story() -> Any:
    return texts("demo/story")


def email(user: str) -> str:
    return f"{user[1:].lower()}@acme.example"


def org_csv(lines: list[tuple[str, str, str, str]]) -> bytes:
    """The org file HR exports: people by email (managers too), teams, countries."""
    rows = ["person,manager,team,country"]
    rows += [f"{email(p)},{email(m) if m else ''},{t},{c}" for p, m, t, c in lines]
    return ("\n".join(rows) + "\n").encode("utf-8")


def add_people(demo: Demo) -> None:
    for user, real_name, tz, _ in NEWCOMERS:
        demo.fake.add_user(user, name=user[1:].lower(), real_name=real_name, tz=tz)
    for user, *_ in LINES:
        info = demo.fake.user(user) or {}
        demo.fake.add_user(
            user,
            name=info["name"],
            real_name=info["real_name"],
            tz=info["tz"],
            email=email(user),
        )


def import_org(demo: Demo, data: bytes, *, dry_run: bool) -> None:
    command = "pdpbot import org.csv" + (" --dry-run" if dry_run else "")
    demo.say(f"$ {command}")
    checked = roster.check_file(demo.runtime.gateway, data)
    with demo.runtime.uow() as uow:
        uow.write_first()
        outcome = roster.import_roster(
            uow, TEAM, checked, demo.clock.now, demo.runtime.settings, dry_run=dry_run
        )
        if outcome.applied:
            uow.commit()
    lines = report("org.csv", outcome, dry_run)
    demo.say(
        *(
            lines
            if not dry_run
            else lines[:4] + ([f"  … {len(lines) - 4} more"] if len(lines) > 4 else [])
        )
    )
    demo.transcript.new_calls()  # the look-ups are not messages


def home_of(demo: Demo, user: str) -> dict[str, Any]:
    demo.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    demo.runtime.app.wait_for_background()
    return {**demo.fake.views[f"home:{user}"], "id": f"VHOME{user}"}


def quietly(demo: Demo, until: datetime, step: timedelta = timedelta(hours=1)) -> None:
    was, demo.quiet = demo.quiet, True
    try:
        demo.tick_until(until, step)
    finally:
        demo.quiet = was


def sent_of(demo: Demo, kind: str) -> list[Prompt]:
    with demo.runtime.uow() as uow:
        rows = uow.session.scalars(
            select(Prompt).where(Prompt.kind == kind, Prompt.status == "sent")
        ).all()
        for row in rows:
            uow.session.expunge(row)
        return list(rows)


def roll_out(demo: Demo) -> None:
    """From 1 April 2027: the roster, the Q2 cycle, a manager change, the health chart."""
    demo.clock.now = max(demo.clock.now, at(4, 1, 8))  # after the Q1 stories, if any
    add_people(demo)
    # pdpbot was invited to the HR channel (its members are HR: Hana).
    demo.fake.add_channel(
        HR_CHANNEL, "hr-people-private", is_private=True, members=["UHANA", "UBOT"]
    )
    demo.step("roster_import", len(LINES))
    data = org_csv(LINES)
    import_org(demo, data, dry_run=True)
    import_org(demo, data, dry_run=False)
    import_org(demo, data, dry_run=False)  # the same file again: nothing changes
    demo.step("cycle_start")
    home = home_of(demo, "UHANA")
    demo.flush()
    was, demo.quiet = demo.quiet, True  # twenty messages: the summary below says who got one
    try:
        demo.press("UHANA", "start_cycle", view=home)
        demo.runtime.app.wait_for_background()
        demo.tick_until(at(4, 2, 23))
    finally:
        demo.quiet = was
    reached = sent_of(demo, cycles.WEEK_ONE)
    told = sent_of(demo, cycles.MANAGER_STATUS)
    with demo.runtime.uow() as uow:
        engineers = [p for p in cycles.roster_people(uow, TEAM) if p.manager_id is not None]
        start, end = parse_period("2027Q2")
        planned = cycles.plans_for(uow, engineers, start, end)
        without = sorted(e.name for e in engineers if e.id not in planned)
        completion = cycles.team_completion(uow, TEAM, "2027Q2")
        before = cycles.week_one_prompted(
            uow, [e for e in engineers if e.id not in planned], start, end
        )
        prompted_before = sorted(
            (e.name or "", e.manager.name if e.manager else "") for e in engineers if e.id in before
        )
        (cycle,) = [c for c in cycles.cycles_of(uow, TEAM) if c.quarter == "2027Q2"]
        counted = cycle.reached
        pairs = {
            row.id: (row.recipient.name, row.recipient.manager.name)
            for row in uow.session.scalars(select(Prompt).where(Prompt.kind == cycles.WEEK_ONE))
            if row.status == "sent" and row.recipient is not None and row.recipient.manager
        }
    words = texts("demo/roster")
    demo.say(
        words.pressed(),
        *[words.week_one(engineer, manager) for engineer, manager in sorted(pairs.values())],
        *[words.prompted_before(engineer, manager) for engineer, manager in prompted_before],
        words.reached(counted, len(without), len(planned), len(told)),
        *[words.completion(c) for c in completion],
    )
    assert counted == len(without), "every engineer without a plan is reached"
    assert len(reached) + len(prompted_before) == counted, "one week-1 prompt per pair"
    olivia_agrees_a_plan(demo)
    mid_quarter_move(demo, data)
    health_and_chart(demo)


OLIVIA_DRAFT: dict[str, object] = {
    "manager": "UMAYA",
    "strengths": "Fast, careful reviews; the team's go-to for the deploy pipeline.",
    "difficulties": "Estimating work that spans other teams.",
    "aspiration": "Lead a cross-team infrastructure project.",
    "goal1_outcome": (
        "Plan and run the CI migration across two teams so that both ship through the new "
        "pipeline without missing a release"
    ),
    "goal1_success": "Both teams release through the new pipeline by mid-June, no release missed",
    "goal1_target": "2027-06-18",
}
MAYA_FOR_OLIVIA: dict[str, object] = {
    "commitment1_text": "I will introduce Olivia to the Data team's release lead by 20 May",
    "commitment1_due": "2027-05-20",
}


def olivia_agrees_a_plan(demo: Demo) -> None:
    """Olivia drafts from the cycle's *Draft my plan*, Maya commits, Olivia confirms."""
    quietly(demo, at(4, 5, 10))
    demo.step("olivia_plan")
    was, demo.quiet = demo.quiet, True
    try:
        week_one = pair_dm(demo, "UOLIVIA", "UMAYA")
        demo.press("UOLIVIA", "open_plan", message=week_one)
        demo.submit("UOLIVIA", OLIVIA_DRAFT)
        demo.press("UMAYA", "open_manager_modal", message=last_dm(demo, "UMAYA"))
        demo.submit("UMAYA", MAYA_FOR_OLIVIA)
        demo.press("UOLIVIA", "open_confirm_modal", message=last_dm(demo, "UOLIVIA"))
        demo.submit("UOLIVIA")
    finally:
        demo.quiet = was
    with demo.runtime.uow() as uow:
        completion = cycles.team_completion(uow, TEAM, "2027Q2")
    demo.say(*[texts("demo/roster").completion(c) for c in completion])


def mid_quarter_move(demo: Demo, data: bytes) -> None:
    quietly(demo, at(5, 12, 8))
    demo.step("manager_change")
    moved = data.replace(
        f"{email('UOLIVIA')},{email('UMAYA')},Platform,GB".encode(),
        f"{email('UOLIVIA')},{email('UOTTO')},Data,GB".encode(),
    )
    import_org(demo, moved, dry_run=False)
    demo.tick_until(at(5, 12, 20))


def health_and_chart(demo: Demo) -> None:
    quietly(demo, at(5, 17, 7))
    demo.step("health")
    demo.tick_until(at(5, 17, 11))  # Monday: HR's digest, then the chart in its thread
    today = date(2027, 5, 17)
    with demo.runtime.uow() as uow:
        _, figures = health.quarter_health(uow, TEAM, today, demo.runtime.settings, "2027Q1")
        trend = health.review_trend(uow, TEAM, today, demo.runtime.settings, QUARTERS)
    quarters = [q for q, _, _ in health.recent_quarters(today, QUARTERS)]
    write_atomically(CHART_PATH, render_png(trend, quarters))
    words = texts("demo/roster")
    demo.say(*[words.team(team, f) for team, f in figures.teams.items()])
    demo.say(words.chart(CHART_PATH, ", ".join(quarters)))
    uploaded = [m for m in demo.fake.messages(HR_CHANNEL) if m.get("files")]
    for message in uploaded[-1:]:  # today's digest's (each weekly digest gets its own)
        names = ", ".join(f["name"] for f in message["files"])
        demo.say(words.uploaded(names), *[f"│ {line}" for line in message["text"].splitlines()])
