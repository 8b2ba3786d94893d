"""Every listener of the Bolt app, and how the access matrix reaches it.

One entry per registered listener function (`module.function`), of one of three kinds:

- `Case`: the listener acts on something of Ana's that the request names by id (a button's
  value, a modal's private_metadata). Each person of world.ROLES sends it; those in
  `allowed` get through, everyone else gets `refusal`, the same for a made-up id, with no
  change stored and none of Ana's words shown.
- `Own`: the listener acts only on the actor's own records, whatever the request names.
  Each person sends it naming Ana's plan; nobody but Ana and Maya (her manager, who sees
  it) is shown its words, and nobody changes it.
- `Elsewhere`: the listener's authorization tests live in another file (node ids).

tests/reliability/test_access.py fails when a registered listener has no entry here. How
to add one: copy the nearest entry (a button: `press`; a modal: `modal` + `submit`); more in
/work/notes/access.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from bot.domain.policy import Act
from bot.fakeslack import Response, input_values
from tests.conftest import Bot
from tests.reliability import world
from tests.reliability.world import (
    CONCERN_REFUSED,
    ENGINEER,
    GROUP,
    MANAGER,
    REFUSED,
    button,
    forged,
)
from tests.slack import concern_helpers

REFLECTION_WEEK = datetime(2027, 3, 29, 17, 0, tzinfo=timezone.utc)  # Monday of week 12


@dataclass(frozen=True)
class Target:
    """What a request is about: the id it names, and the modal it replays (opened by someone
    allowed to, so others submit a modal that names Ana's things)."""

    id: int
    view: dict[str, Any] | None = None


Send = Callable[[Bot, str, Target, int], Response]


@dataclass(frozen=True)
class Case:
    listener: str
    allowed: frozenset[str]
    prepare: Callable[[Bot], Target]
    send: Send
    acts: tuple[Act, ...]  # what the listener asks the policy; `allowed` must be its answer
    refusal: str = REFUSED
    confidential: bool = False  # the subject is confidential (an early-intervention record)


@dataclass(frozen=True)
class Own:
    listener: str
    send: Callable[[Bot, str, int], Response]  # (bot, user, Ana's plan id)


@dataclass(frozen=True)
class Elsewhere:
    listener: str
    tests: tuple[str, ...] = field(default=())


Entry = Case | Own | Elsewhere


# --- preparing Ana's things ------------------------------------------------------------


def plan_in(status: str, at: datetime | None = None) -> Callable[[Bot], Target]:
    def prepare(bot: Bot) -> Target:
        if at is not None:
            bot.clock.now = at
        return Target(world.plan(bot, status))

    return prepare


def prompt_of(kind: str) -> Callable[[Bot], Target]:
    def prepare(bot: Bot) -> Target:
        return Target(world.prompt_id(bot, world.plan(bot), kind))

    return prepare


def commitment() -> Callable[[Bot], Target]:
    def prepare(bot: Bot) -> Target:
        return Target(world.commitment_id(bot, world.plan(bot)))

    return prepare


def modal(
    prepare: Callable[[Bot], Target], opener: str, action_id: str, key: str
) -> Callable[[Bot], Target]:
    """The modal `opener` gets by pressing `action_id` on the prepared thing."""

    def build(bot: Bot) -> Target:
        target = prepare(bot)
        response = button(bot, opener, action_id, {key: target.id})
        assert response.status == 200
        view = bot.fake.last_view(opener)
        assert view is not None, f"{action_id} opened no modal for {opener}"
        return Target(target.id, view)

    return build


def review_modal(bot: Bot) -> Target:
    plan_id = world.plan(bot)
    bot.slack.command("/pdp-review", f"<@{ENGINEER}|ana>", user=MANAGER)
    view = bot.fake.last_view(MANAGER)
    assert view is not None
    return Target(plan_id, view)


def concern(bot: Bot) -> Target:
    return Target(concern_helpers.record(bot, MANAGER, ENGINEER))


# --- sending ----------------------------------------------------------------------------


def press(action_id: str, key: str, **extra: object) -> Send:
    return lambda bot, user, target, named: button(bot, user, action_id, {key: named, **extra})


def press_numbered(prefix: str, key: str) -> Send:
    """An App Home button whose action id carries the id (`open_concern_12`)."""
    return lambda bot, user, target, named: button(bot, user, f"{prefix}_{named}", {key: named})


def submit(key: str, answers: dict[str, object] | None = None) -> Send:
    def send(bot: Bot, user: str, target: Target, named: int) -> Response:
        assert target.view is not None
        view = forged(target.view, **{key: named})
        return bot.slack.view_submission(user, view, input_values(view, answers or {}))

    return send


def inside(action_id: str, key: str, block_id: str | None = None) -> Send:
    """A button or menu inside the replayed modal."""

    def send(bot: Bot, user: str, target: Target, named: int) -> Response:
        assert target.view is not None
        view = forged(target.view, **{key: named})
        return bot.slack.block_action(user, action_id, None, block_id=block_id, view=view)

    return send


def end_state_menu(bot: Bot, user: str, target: Target, named: int) -> Response:
    assert target.view is not None
    blocks = target.view["blocks"]
    block = next(b["block_id"] for b in blocks if b.get("block_id", "").startswith("end_state"))
    return inside("end_state", "plan_id", block)(bot, user, target, named)


# --- own-records listeners ------------------------------------------------------------


def own_command(text: str) -> Callable[[Bot, str, int], Response]:
    return lambda bot, user, plan_id: bot.slack.command("/pdp", text, user=user, channel=GROUP)


def own_button(action_id: str, value: dict[str, Any]) -> Callable[[Bot, str, int], Response]:
    return lambda bot, user, plan_id: button(bot, user, action_id, {**value, "plan_id": plan_id})


def home_opened(bot: Bot, user: str, plan_id: int) -> Response:
    return bot.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})


def draft_button(action_id: str) -> Callable[[Bot, str, int], Response]:
    """A button of the draft modal, pressed in the person's own /pdp modal with metadata
    rewritten to name Ana's plan."""

    def send(bot: Bot, user: str, plan_id: int) -> Response:
        bot.slack.command("/pdp", "", user=user)
        view = bot.fake.last_view(user)
        assert view is not None
        view = forged(view, plan_id=plan_id, version=1)
        return bot.slack.block_action(user, action_id, None, block_id="period_start", view=view)

    return send


ENGINEER_ONLY = frozenset({"engineer"})
MANAGER_ONLY = frozenset({"manager"})
THE_PAIR = frozenset({"engineer", "manager"})
L = "bot.slack.listeners."
_PIP_ACCESS = "tests/slack/test_pip_access.py::"
_PIP_REPLAYS = (
    "tests/slack/test_pip_replays.py::"
    "test_a_pip_act_replayed_by_anyone_else_is_refused_alike_and_changes_nothing"
)

MATRIX: list[Entry] = [
    # /pdp and App Home: the actor's own plan, whatever the request names
    Own(L + "commands.pdp_command", own_command("")),
    Own(L + "home.home_opened", home_opened),
    Own(L + "home.open_plan", own_button("open_plan", {})),
    Own(L + "home.change_page", own_button("home_page_next", {"page": 1})),
    Own(L + "plans.add_goal", draft_button("add_goal")),
    Own(L + "plans.change_dates", draft_button("change_dates")),
    Own(L + "plans.period_changed", draft_button("value")),
    # the PDP lifecycle
    Case(
        L + "plans.open_manager_modal",
        MANAGER_ONLY,
        plan_in("awaiting_manager"),
        press("open_manager_modal", "plan_id"),
        acts=(Act.COMMENT_AS_MANAGER,),
    ),
    Case(
        L + "plans.submit_manager",
        MANAGER_ONLY,
        modal(plan_in("awaiting_manager"), MANAGER, "open_manager_modal", "plan_id"),
        submit("plan_id"),
        acts=(Act.COMMENT_AS_MANAGER,),
    ),
    Case(
        L + "plans.open_confirm_modal",
        ENGINEER_ONLY,
        plan_in("awaiting_engineer"),
        press("open_confirm_modal", "plan_id"),
        acts=(Act.CONFIRM_PLAN,),
    ),
    Case(
        L + "plans.edit_draft",
        ENGINEER_ONLY,
        plan_in("awaiting_engineer"),
        press("edit_draft", "plan_id"),
        acts=(Act.CONFIRM_PLAN, Act.DRAFT_PLAN),
    ),
    Case(
        L + "plans.submit_confirm",
        ENGINEER_ONLY,
        modal(plan_in("awaiting_engineer"), ENGINEER, "open_confirm_modal", "plan_id"),
        submit("plan_id"),
        acts=(Act.CONFIRM_PLAN,),
    ),
    Case(
        L + "plans.submit_draft",
        ENGINEER_ONLY,
        modal(plan_in("awaiting_engineer"), ENGINEER, "edit_draft", "plan_id"),
        submit("plan_id"),
        acts=(Act.DRAFT_PLAN,),
    ),
    Case(
        L + "plans.start_next_quarter",
        ENGINEER_ONLY,
        plan_in("closed"),
        press("start_next_quarter", "plan_id"),
        acts=(Act.DRAFT_PLAN,),
    ),
    # reviews and the reflection
    Case(
        L + "reviews.submit_review",
        MANAGER_ONLY,
        review_modal,
        submit("plan_id"),
        acts=(Act.REVIEW_PLAN,),
    ),
    Case(
        L + "reviews.open_reflection",
        THE_PAIR,  # the manager pressing it adds their perspective
        plan_in("active", REFLECTION_WEEK),
        press("open_reflection", "plan_id"),
        acts=(Act.REFLECT, Act.COMMENT_AS_MANAGER),
    ),
    Case(
        L + "reviews.end_state_changed",
        ENGINEER_ONLY,
        modal(plan_in("active", REFLECTION_WEEK), ENGINEER, "open_reflection", "plan_id"),
        end_state_menu,
        acts=(Act.REFLECT,),
    ),
    Case(
        L + "reviews.submit_reflection",
        ENGINEER_ONLY,
        modal(plan_in("active", REFLECTION_WEEK), ENGINEER, "open_reflection", "plan_id"),
        submit("plan_id", {"achieved": "Led two incidents", "end_state": "partly"}),
        acts=(Act.REFLECT,),
    ),
    Case(
        L + "reviews.open_perspective",
        MANAGER_ONLY,
        plan_in("active", REFLECTION_WEEK),
        press("open_perspective", "plan_id"),
        acts=(Act.COMMENT_AS_MANAGER,),
    ),
    Case(
        L + "reviews.submit_perspective",
        MANAGER_ONLY,
        modal(plan_in("active", REFLECTION_WEEK), MANAGER, "open_perspective", "plan_id"),
        submit("plan_id", {"perspective": "She grew into on-call"}),
        acts=(Act.COMMENT_AS_MANAGER,),
    ),
    Elsewhere(
        L + "reviews.pdp_review",
        (
            "tests/reliability/test_refusals.py::"
            "test_pdp_review_refuses_alike_whether_or_not_the_engineer_has_a_plan",
            "tests/slack/test_pdp_lifecycle.py::"
            "test_someone_who_is_not_the_manager_is_refused_without_learning_whether_a_plan_exists",
        ),
    ),
    # the cadence's prompts
    Case(
        L + "checkins.open_checkin",
        THE_PAIR,
        prompt_of("progress_check"),
        press("open_checkin", "prompt_id"),
        acts=(Act.ANSWER_CHECKIN_AS_ENGINEER, Act.ANSWER_CHECKIN_AS_MANAGER),
    ),
    Case(
        L + "checkins.submit_engineer",
        ENGINEER_ONLY,
        modal(prompt_of("progress_check"), ENGINEER, "open_checkin", "prompt_id"),
        submit("prompt_id", {"done": "Shadowed two incidents"}),
        acts=(Act.ANSWER_CHECKIN_AS_ENGINEER,),
    ),
    Case(
        L + "checkins.submit_manager",
        MANAGER_ONLY,
        modal(prompt_of("progress_check"), MANAGER, "open_checkin", "prompt_id"),
        submit("prompt_id"),
        acts=(Act.ANSWER_CHECKIN_AS_MANAGER,),
    ),
    Case(
        L + "checkins.remind_delivered",
        MANAGER_ONLY,
        prompt_of("commitment_reminder"),
        press("remind_delivered", "prompt_id"),
        acts=(Act.MARK_COMMITMENT,),
    ),
    Case(
        L + "checkins.remind_next_week",
        MANAGER_ONLY,
        prompt_of("commitment_reminder"),
        press("remind_next_week", "prompt_id"),
        acts=(Act.MARK_COMMITMENT,),
    ),
    Case(
        L + "checkins.remind_withdraw",
        MANAGER_ONLY,
        prompt_of("commitment_reminder"),
        press("remind_withdraw", "prompt_id"),
        acts=(Act.MARK_COMMITMENT,),
    ),
    Case(
        L + "checkins.submit_reminder_answer",
        MANAGER_ONLY,
        modal(prompt_of("commitment_reminder"), MANAGER, "remind_withdraw", "prompt_id"),
        submit("prompt_id", {"reason": "The rota was cancelled"}),
        acts=(Act.MARK_COMMITMENT,),
    ),
    Case(
        L + "checkins.open_reschedule",
        THE_PAIR,
        prompt_of("progress_check"),
        press("open_reschedule", "prompt_id"),
        acts=(Act.RESCHEDULE,),
    ),
    Case(
        L + "checkins.submit_reschedule",
        THE_PAIR,
        modal(prompt_of("progress_check"), ENGINEER, "open_reschedule", "prompt_id"),
        submit("prompt_id", {"date": "2027-02-03"}),
        acts=(Act.RESCHEDULE,),
    ),
    Case(
        L + "checkins.open_away",
        THE_PAIR,
        prompt_of("progress_check"),
        press("open_away", "prompt_id"),
        acts=(Act.RESCHEDULE,),
    ),
    Case(
        L + "checkins.submit_away",
        THE_PAIR,
        modal(prompt_of("progress_check"), ENGINEER, "open_away", "prompt_id"),
        submit("prompt_id", {"until": "2027-01-20"}),
        acts=(Act.RESCHEDULE,),
    ),
    Case(
        L + "home.mark_delivered",
        MANAGER_ONLY,
        commitment(),
        press_numbered("mark_delivered", "commitment_id"),
        acts=(Act.MARK_COMMITMENT,),
    ),
    # early intervention: the recording manager's alone
    Case(
        L + "concerns.open_record",
        MANAGER_ONLY,
        concern,
        press_numbered("open_concern", "concern_id"),
        acts=(Act.VIEW_CONCERN,),
        refusal=CONCERN_REFUSED,
        confidential=True,
    ),
    Case(
        L + "concerns.resolved",
        MANAGER_ONLY,
        concern,
        press("concern_resolved", "concern_id", number=1),
        acts=(Act.FOLLOW_UP_CONCERN,),
        refusal=CONCERN_REFUSED,
        confidential=True,
    ),
    Case(
        L + "concerns.formal",
        MANAGER_ONLY,
        concern,
        press("concern_formal", "concern_id", number=1),
        acts=(Act.FOLLOW_UP_CONCERN,),
        refusal=CONCERN_REFUSED,
        confidential=True,
    ),
    Case(
        L + "concerns.another_conversation",
        MANAGER_ONLY,
        concern,
        press("concern_another", "concern_id", number=1),
        acts=(Act.FOLLOW_UP_CONCERN,),
        refusal=CONCERN_REFUSED,
        confidential=True,
    ),
    Case(
        L + "concerns.close",
        MANAGER_ONLY,
        concern,
        press("close_concern", "concern_id"),
        acts=(Act.CLOSE_CONCERN,),
        refusal=CONCERN_REFUSED,
        confidential=True,
    ),
    Elsewhere(
        L + "concerns.pdp_concern",
        (
            "tests/slack/test_concern_access.py::"
            "test_creating_a_concern_is_refused_alike_before_and_after_one_exists",
        ),
    ),
    Elsewhere(
        L + "concerns.submit_conversation",
        (
            "tests/slack/test_concern_access.py::"
            "test_a_replayed_conversation_modal_is_refused_alike_whether_the_thread_exists",
            "tests/slack/test_concern_access.py::"
            "test_a_replayed_new_concern_modal_saves_nothing_for_anyone_else",
        ),
    ),
    # HR, and Slack itself
    Elsewhere(
        L + "hr.nudge_manager",
        (
            "tests/slack/test_hr_digest.py::"
            "test_someone_outside_the_hr_channel_cannot_nudge_and_is_refused_as_for_a_made_up_item",
        ),
    ),
    *(
        Elsewhere(
            L + f"hr.{name}",
            (
                "tests/slack/test_hr_home.py::"
                "test_exports_by_someone_outside_the_hr_channel_get_the_refusal_an_unknown_id_gets",
            ),
        )
        for name in ("export_calibration", "open_person_export", "export_person")
    ),
    Elsewhere(
        L + "hr.export_pip",
        (
            "tests/slack/test_hr_home.py::"
            "test_a_formal_record_asked_for_by_a_non_member_gets_the_refusal_of_a_pip_that_does_not_exist",
            "tests/slack/test_hr_home.py::"
            "test_the_formal_record_is_uploaded_to_the_hr_members_dm_as_pdf_and_audited",
        ),
    ),
    # the roster: naming one's manager, the named manager's answer, HR's cycle
    Own(L + "roster.open_my_manager", own_button("open_my_manager", {})),
    Elsewhere(
        L + "roster.submit_my_manager",
        (
            "tests/slack/test_my_manager.py::"
            "test_someone_on_the_roster_or_naming_themselves_is_refused_in_the_modal",
        ),
    ),
    *(
        Elsewhere(
            L + f"roster.{name}",
            ("tests/slack/test_my_manager.py::test_nobody_but_the_named_manager_can_answer",),
        )
        for name in ("confirm_manager", "decline_manager")
    ),
    Elsewhere(
        L + "roster.start_cycle",
        (
            "tests/slack/test_my_manager.py::"
            "test_hr_starts_the_quarters_cycle_from_app_home_and_others_cannot",
        ),
    ),
    Elsewhere(  # sent by Slack, not a person: the signature is its authorization
        L + "events.user_change",
        (
            "tests/reliability/test_incoming.py::"
            "test_a_signed_request_replayed_after_five_minutes_is_refused",
            "tests/slack/test_foundation.py::test_a_bad_signature_is_refused_and_changes_nothing",
        ),
    ),
    # PIPs (issue 12): proven through signed requests in tests/slack/test_pip_*.py
    Elsewhere(L + "pips.pip_command", (_PIP_ACCESS + "test_open",)),
    Elsewhere(L + "pips.hr_acknowledge", (_PIP_ACCESS + "test_acts_on_a_pip",)),
    Elsewhere(L + "pips.engineer_agrees", (_PIP_ACCESS + "test_acts_on_a_pip",)),
    Elsewhere(L + "pips.open_checkpoint", (_PIP_ACCESS + "test_acts_on_a_pip",)),
    Elsewhere(L + "pips.open_outcome", (_PIP_ACCESS + "test_acts_on_a_pip",)),
    Elsewhere(L + "pips.hr_changes", (_PIP_REPLAYS,)),
    Elsewhere(L + "pips.edit_preconditions", (_PIP_REPLAYS,)),
    Elsewhere(L + "pips.write_plan", (_PIP_REPLAYS,)),
    Elsewhere(L + "pips.add_slot", (_PIP_REPLAYS,)),
    Elsewhere(L + "pips.mark_opened", (_PIP_REPLAYS,)),
    Elsewhere(L + "pips.engineer_received", (_PIP_REPLAYS,)),
    Elsewhere(L + "pips.engineer_comment", (_PIP_REPLAYS,)),
    Elsewhere(L + "pips.submit_preconditions", (_PIP_REPLAYS,)),
    Elsewhere(L + "pips.submit_changes", (_PIP_REPLAYS,)),
    Elsewhere(L + "pips.submit_plan", (_PIP_REPLAYS,)),
    Elsewhere(L + "pips.submit_comment", (_PIP_REPLAYS,)),
    Elsewhere(L + "pips.submit_checkpoint", (_PIP_REPLAYS,)),
    Elsewhere(L + "pips.submit_outcome", (_PIP_REPLAYS,)),
]
