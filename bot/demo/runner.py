from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, TextIO

from bot.config import Settings
from bot.demo.transcript import Transcript, frames
from bot.fakeslack import Call, FakeSlack, SlackClientSim, input_values
from bot.httpserver import LocalServer
from bot.runtime import Runtime, build_runtime
from prompts import texts
from storage.migrate import upgrade

SECRET = "demo-signing-secret"
TEAM = "T0DEMO"
START = datetime(2027, 1, 4, 17, 0, tzinfo=timezone.utc)  # Monday of week 1 of Q1 2027

# The sample team: a manager, three engineers in three time zones, and HR.
PEOPLE = {
    "UMAYA": ("maya", "Maya Okafor", "Europe/London"),
    "UANA": ("ana", "Ana Ruiz", "America/Los_Angeles"),
    "UBEN": ("ben", "Ben Carter", "Europe/London"),
    "UCHIDI": ("chidi", "Chidi Eze", "Asia/Kolkata"),
    "UHANA": ("hana", "Hana Sato", "Europe/London"),
}
HR_CHANNEL = "C0HR"


class SimClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Demo:
    runtime: Runtime
    fake: FakeSlack
    slack: SlackClientSim
    clock: SimClock
    out: TextIO
    quiet: bool = False
    transcript: Transcript = field(init=False)
    counts: dict[str, int] = field(default_factory=dict)
    hide_modals: bool = False
    closing: str = ""  # the quarter as the manager saw it at its end, printed last
    _last_day: str = ""

    def __post_init__(self) -> None:
        self.transcript = Transcript(self.fake, self.clock)

    def say(self, *lines: str) -> None:
        if not self.quiet:
            for line in lines:
                print(self.transcript.names(line), file=self.out)

    def day_header(self) -> None:
        now = self.clock.now
        day = f"{now:%a} {now.day} {now:%b %Y}"
        if day != self._last_day:
            self.say("", frames().day(f"{day}, {now:%H:%M} UTC"))
        self._last_day = day

    def step(self, name: str, *args: object) -> None:
        """Narrate a scene: the text is the macro `name` of prompts/demo/story.j2."""
        self.day_header()
        self.say(frames().step(getattr(texts("demo/story"), name)(*args)))

    def flush(self) -> None:
        self.show(self.transcript.new_calls())

    def show(self, calls: list[Call]) -> None:
        for call in calls:
            self.counts[call.method] = self.counts.get(call.method, 0) + 1
        if self.hide_modals:
            calls = [c for c in calls if not c.method.startswith("views.")]
        if not self.quiet:  # what nobody read is not "shown": a later repeat prints in full
            self.say(*self.transcript.render_calls(calls))

    @contextmanager
    def modals_hidden(self) -> Iterator[None]:
        """Steps whose modals the story has shown before: print the messages, not the forms."""
        hidden, self.hide_modals = self.hide_modals, True
        try:
            yield
        finally:
            self.hide_modals = hidden

    def command(self, user: str, command: str, text: str = "") -> dict[str, Any]:
        self.day_header()
        when = self.transcript.local_times([user])
        self.say(frames().command(self.transcript._who(user), f"{command} {text}".strip(), when))
        response = self.slack.command(command, text, user=user)
        body: dict[str, Any] = response.json()
        self.flush()
        self.say(*self.transcript.ack_lines(user, body))
        return body

    def submit(self, user: str, answers: dict[str, object] | None = None) -> dict[str, Any]:
        """`user` fills in the modal they have open and submits it."""
        view = self.fake.last_view(user)
        assert view is not None, f"{user} has no modal open"
        response = self.slack.view_submission(user, view, input_values(view, answers or {}))
        body: dict[str, Any] = response.json()
        self.flush()
        warned = self.transcript.warning_lines(body.get("view", {}))
        if body.get("response_action") == "update" and warned:
            self.say(frames().warnings(self.transcript._who(user)), *warned)
        elif body.get("response_action") == "update" and self.hide_modals:
            pass
        elif body.get("response_action") == "update":
            self.say(*self.transcript.view_lines("update", body["view"], {"user": user}))
        else:
            self.say(*self.transcript.ack_lines(user, body, view))
        return body

    def press(
        self,
        user: str,
        action_id: str,
        *,
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
    ) -> None:
        """`user` presses the button `action_id` on a message or in a modal."""
        element = next(
            (
                e
                for b in (message or view or {}).get("blocks", [])
                for e in [*b.get("elements", []), b.get("accessory") or {}]
                if isinstance(e, dict) and e.get("action_id") == action_id
            ),
            {},
        )
        label = (element.get("text") or {}).get("text", action_id)
        self.day_header()
        when = self.transcript.local_times([user])
        self.say(frames().press(self.transcript._who(user), label, when))
        self.slack.block_action(user, action_id, element.get("value"), message=message, view=view)
        self.flush()

    def tick_until(self, end: datetime, step: timedelta = timedelta(hours=1)) -> None:
        while self.clock.now < end:
            self.clock.now += step
            report = self.runtime.tick(self.clock.now)
            # What the tick handed to background threads (the HR digest's posts) is done
            # before the clock moves on: an hour later its lease would have run out, and the
            # next tick would claim and post it again.
            self.runtime.app.wait_for_background()
            self.counts["ticks"] = self.counts.get("ticks", 0) + 1
            calls = self.transcript.new_calls()
            lines = self.transcript.render_calls(calls)
            for call in calls:
                self.counts[call.method] = self.counts.get(call.method, 0) + 1
            if lines or report.missed or report.undeliverable or report.failed:
                self.day_header()
                counts = [
                    f"{name} {n}"
                    for name in ("sent", "missed", "undeliverable", "failed", "cancelled")
                    if (n := getattr(report, name))
                ]
                self.say(frames().tick(f"{self.clock.now:%H:%M} UTC", ", ".join(counts)))
                self.say(*lines)


def sample_team(fake: FakeSlack) -> None:
    for user_id, (name, real_name, tz) in PEOPLE.items():
        fake.add_user(user_id, name=name, real_name=real_name, tz=tz)
    members = ["UHANA", fake.bot_user_id]  # pdpbot was invited, as the README asks
    fake.add_channel(HR_CHANNEL, name="hr-people-private", is_private=True, members=members)


@contextmanager
def demo_environment(out: TextIO, quiet: bool) -> Iterator[Demo]:
    with tempfile.TemporaryDirectory() as tmp, FakeSlack(team_id=TEAM) as fake:
        sample_team(fake)
        url = f"sqlite:///{tmp}/demo.db"
        upgrade(url)
        settings = Settings(
            slack_bot_token="xoxb-demo",
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
            database_url=url,
            hr_channel_id=HR_CHANNEL,
        )
        clock = SimClock(START)
        runtime = build_runtime(settings, clock=clock)
        with LocalServer(runtime.wsgi()) as server:
            slack = SlackClientSim(
                server.url, SECRET, TEAM, fake, settle=runtime.app.wait_for_background
            )
            yield Demo(runtime, fake, slack, clock, out, quiet)
        runtime.engine.dispose()


def at(month: int, day: int, hour: int = 17) -> datetime:
    return datetime(START.year, month, day, hour, tzinfo=timezone.utc)


def play(demo: Demo) -> None:
    from bot.demo import cadence_scenes as cadence
    from bot.demo import concern_scenes as concerns
    from bot.demo import hr_scenes as hr
    from bot.demo import lifecycle_scenes as pdp
    from bot.demo import pip_scenes as pips
    from bot.demo import roster_scenes as roster

    demo.step("help")
    demo.command("UANA", "/pdp", "help")
    pdp.agree_plans(demo)
    pdp.refused_review(demo)
    demo.tick_until(at(1, 5, 10))
    pdp.chidi_drafts(demo)
    cadence.chidi_nudged(demo)
    ana, ben = pdp.plan_id_of(demo, "UANA"), pdp.plan_id_of(demo, "UBEN")
    cadence.play_cadence(demo, ana, ben, until=at(3, 1))
    pdp.monthly_review(demo)
    pdp.homes(demo)
    concerns.record_concerns(demo)
    cadence.maya_books_the_review(demo, ana)
    demo.tick_until(at(3, 15, 11))
    concerns.follow_ups(demo)
    demo.tick_until(at(3, 22, 19))
    pdp.reflection_and_next_quarter(demo)
    cadence.ben_reflects(demo, ben)
    concerns.formal_process_note(demo, until=at(3, 29, 11))
    demo.step("next_quarter_begins")
    demo.tick_until(at(4, 1, 18))
    demo.closing = quarter_as_maya_saw_it(demo)  # the quarter, before the roll-out
    roster.roll_out(demo)
    pips.open_pip(demo)
    pips.checkpoints(demo)
    hr.digest_and_nudge(demo)
    hr.home_and_exports(demo)


def quarter_as_maya_saw_it(demo: Demo) -> str:
    from bot.demo.summary import manager_summary

    return manager_summary(demo.runtime, TEAM, "UMAYA", START.date())


def run(quiet: bool = False, out: TextIO | None = None) -> int:
    stream = out or sys.stdout
    with demo_environment(stream, quiet) as demo:
        play(demo)
        print("", demo.closing or quarter_as_maya_saw_it(demo), sep="\n", file=stream)
    return 0
