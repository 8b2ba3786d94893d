"""The PDP lifecycle through signed requests, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, select

from bot.fakeslack import input_values
from storage.models import Goal, Plan, ReviewEntry
from tests.conftest import Bot
from tests.slack.helpers import (
    GOOD_COMMITMENTS,
    GOOD_DRAFT,
    dm_messages,
    open_pdp,
    pair_messages,
    press,
    submit,
    text_of_view,
)


def end_state_block(view: dict[str, Any]) -> str:
    return next(
        b["block_id"] for b in view["blocks"] if b.get("block_id", "").startswith("end_state")
    )


def plans_in(bot: Bot) -> list[Plan]:
    with bot.uow() as uow:
        return list(uow.session.scalars(select(Plan).order_by(Plan.id)))


def errors_of(response: Any) -> dict[str, str]:
    body = response.json()
    assert body.get("response_action") == "errors", body
    return dict(body["errors"])


def draft_submitted(bot: Bot, answers: dict[str, object] | None = None) -> None:
    open_pdp(bot, "UANA")
    response = submit(bot, "UANA", {**GOOD_DRAFT, **(answers or {})})
    assert response.json()["response_action"] == "update"
    assert "Maya Okafor will get your draft in a moment" in json.dumps(response.json())


def manager_committed(bot: Bot, answers: dict[str, object] | None = None) -> None:
    press(bot, "UMAYA", "open_manager_modal", message=dm_messages(bot, "UMAYA")[-1])
    response = submit(bot, "UMAYA", {**GOOD_COMMITMENTS, **(answers or {})})
    assert "Ana Ruiz will get it in a moment" in response.text, response.text


def confirmed(bot: Bot) -> None:
    press(bot, "UANA", "open_confirm_modal", message=dm_messages(bot, "UANA")[-1])
    response = submit(bot, "UANA")
    assert "Your plan is active" in response.text, response.text


def active_plan(bot: Bot) -> None:
    draft_submitted(bot)
    manager_committed(bot)
    confirmed(bot)


# --- the draft ------------------------------------------------------------------------------


def add_goals(bot: Bot, user: str, count: int) -> dict[str, Any]:
    for _ in range(count):
        press(bot, user, "add_goal", view=bot.fake.last_view(user))
    view = bot.fake.last_view(user)
    assert view is not None
    return view


def test_pdp_opens_a_short_draft_for_the_rest_of_this_quarter_with_dates_in_one_line(
    bot: Bot,
) -> None:
    view = open_pdp(bot, "UANA")  # Monday 4 January 2027
    assert view["callback_id"] == "pdp_draft"
    pickers = {
        b["block_id"]: b["element"].get("initial_date")
        for b in view["blocks"]
        if b.get("type") == "input" and b["element"]["type"] == "datepicker"
    }
    assert pickers == {
        "period_start": "2027-01-04",
        "period_end": "2027-03-31",
        "goal1_target": None,
    }
    text = text_of_view(view)
    assert (
        "Goal setting *Mon 4 Jan 2027* · progress checks *Mon 25 Jan 2027* and *Mon 22 Feb 2027*"
        " · reflection *Mon 22 Mar 2027*" in text
    )
    assert "[Change dates]" in text and "[Add a goal]" in text
    assert "What kind of engineer do I want to be in 12-18 months?" in text
    inputs = [b["block_id"] for b in view["blocks"] if b.get("type") == "input"]
    assert inputs == [
        "manager",
        "period_start",
        "period_end",
        "strengths",
        "difficulties",
        "aspiration",
        "target_role",
        "goal1_outcome",
        "goal1_success",
        "goal1_target",
        "goal1_how",
        "goal1_support",
    ]


def test_add_a_goal_shows_up_to_three_goals_then_stops(bot: Bot) -> None:
    open_pdp(bot, "UANA")
    view = add_goals(bot, "UANA", 1)
    assert any(b.get("block_id") == "goal2_outcome" for b in view["blocks"])
    assert "[Add a goal]" in text_of_view(view)
    view = add_goals(bot, "UANA", 1)
    assert any(b.get("block_id") == "goal3_outcome" for b in view["blocks"])
    assert "[Add a goal]" not in text_of_view(view)
    assert not any(b.get("block_id") == "goal4_outcome" for b in view["blocks"])


def test_change_dates_shows_the_review_dates_as_pickers_and_keeps_what_was_typed(
    bot: Bot,
) -> None:
    view = open_pdp(bot, "UANA")
    view["state"] = {"values": input_values(view, {"strengths": "typed before"})}
    press(bot, "UANA", "change_dates", view=view)
    changed = bot.fake.last_view("UANA")
    assert changed is not None
    pickers = {
        b["label"]["text"]: b["element"].get("initial_date")
        for b in changed["blocks"]
        if b.get("block_id", "").startswith("review_")
    }
    assert pickers == {
        "Goal-setting conversation": "2027-01-04",
        "First progress check": "2027-01-25",
        "Second progress check": "2027-02-22",
        "Reflection": "2027-03-22",
    }
    assert any(
        b.get("block_id") == "strengths" and b["element"].get("initial_value") == "typed before"
        for b in changed["blocks"]
    )
    moved = {
        b["block_id"]: "2027-01-27"
        for b in changed["blocks"]
        if b.get("block_id", "").startswith("review_4_")
    }
    assert "Maya Okafor will get your draft" in submit(bot, "UANA", {**GOOD_DRAFT, **moved}).text
    assert plans_in(bot)[0].review_dates == {
        "1": "2027-01-04",
        "4": "2027-01-27",
        "8": "2027-02-22",
        "12": "2027-03-22",
    }


def test_an_empty_draft_gets_an_error_next_to_each_required_field(bot: Bot) -> None:
    open_pdp(bot, "UANA")
    errors = errors_of(submit(bot, "UANA", {}))
    assert set(errors) >= {"manager", "strengths", "difficulties", "aspiration", "goal1_outcome"}
    assert "Pick your manager" in errors["manager"]
    assert plans_in(bot) == []


def test_goal_errors_name_the_missing_indicator_and_the_bad_dates(bot: Bot) -> None:
    open_pdp(bot, "UANA")
    add_goals(bot, "UANA", 2)
    answers = {
        **GOOD_DRAFT,
        "goal1_success": "",
        "goal2_outcome": "Run the on-call rotation and resolve sev-2 incidents without paging",
        "goal2_success": "A quarter of on-call with no escalations",
        "goal2_target": "2026-12-01",
        "goal3_outcome": "Lead the billing migration design review and have it accepted",
        "goal3_success": "Accepted in the first round",
        "goal3_target": "2027-06-30",
    }
    errors = errors_of(submit(bot, "UANA", answers))
    assert "observable" in errors["goal1_success"].lower()
    assert "between Mon 4 Jan 2027 and Wed 31 Mar 2027" in errors["goal2_target"]
    assert "Wed 31 Mar 2027" in errors["goal3_target"]
    assert plans_in(bot) == []


def test_a_period_that_ends_before_it_starts_is_refused(bot: Bot) -> None:
    open_pdp(bot, "UANA")
    errors = errors_of(submit(bot, "UANA", {**GOOD_DRAFT, "period_end": "2026-12-01"}))
    assert "end after it starts" in errors["period_end"]


def test_changing_the_period_moves_the_proposed_dates_in_place_and_keeps_what_was_typed(
    bot: Bot,
) -> None:
    view = open_pdp(bot, "UANA")
    typed = {"strengths": "x", "period_start": "2027-04-01", "period_end": "2027-06-30"}
    view["state"] = {"values": input_values(view, typed)}
    bot.slack.block_action(
        "UANA", "value", view=view, block_id="period_end", selected_date="2027-06-30"
    )
    updated = bot.fake.last_view("UANA")
    assert updated is not None and bot.fake.calls_to("views.update")
    assert (
        "Goal setting *Thu 1 Apr 2027* · progress checks *Thu 22 Apr 2027* and *Thu 20 May 2027*"
        " · reflection *Thu 17 Jun 2027*" in text_of_view(updated)
    )
    assert any(
        b.get("block_id") == "strengths" and b["element"].get("initial_value") == "x"
        for b in updated["blocks"]
    )
    assert (
        "Maya Okafor will get your draft"
        in submit(bot, "UANA", {**GOOD_DRAFT, **typed, "goal1_target": "2027-06-18"}).text
    )
    assert plans_in(bot)[0].review_dates["12"] == "2027-06-17"


def test_oneself_or_a_bot_cannot_be_the_manager(bot: Bot) -> None:
    open_pdp(bot, "UANA")
    assert (
        "own manager"
        in errors_of(submit(bot, "UANA", {**GOOD_DRAFT, "manager": "UANA"}))["manager"]
    )
    assert (
        "app, not a person"
        in errors_of(submit(bot, "UANA", {**GOOD_DRAFT, "manager": "UROBOT"}))["manager"]
    )
    assert plans_in(bot) == []


def test_text_longer_than_slack_allows_is_refused(bot: Bot) -> None:
    open_pdp(bot, "UANA")
    errors = errors_of(submit(bot, "UANA", {**GOOD_DRAFT, "strengths": "x" * 3001}))
    assert "3000 characters" in errors["strengths"]


def test_an_activity_goal_is_warned_once_and_accepted_when_resubmitted_unchanged(
    bot: Bot,
) -> None:
    open_pdp(bot, "UANA")
    answers = {**GOOD_DRAFT, "goal1_outcome": "Attend Kubernetes training"}
    body = submit(bot, "UANA", answers).json()
    assert body["response_action"] == "update"
    warned = text_of_view(body["view"])
    assert "This reads as an activity" in warned
    assert "Kubernetes" in warned
    assert plans_in(bot) == []
    response = submit(bot, "UANA", answers)  # the same text again: the engineer decides
    assert "Maya Okafor will get your draft in a moment" in response.text
    assert [g.outcome for g in plans_in_with_goals(bot)] == ["Attend Kubernetes training"]


def test_a_vague_goal_changed_but_still_vague_is_warned_again(bot: Bot) -> None:
    open_pdp(bot, "UANA")
    first = submit(bot, "UANA", {**GOOD_DRAFT, "goal1_outcome": "Improve my technical skills"})
    assert "level of independence" in text_of_view(first.json()["view"]).lower()
    again = submit(bot, "UANA", {**GOOD_DRAFT, "goal1_outcome": "Get better at system design"})
    assert again.json()["response_action"] == "update"
    assert plans_in(bot) == []


def plans_in_with_goals(bot: Bot) -> list[Goal]:
    with bot.uow() as uow:
        return list(uow.session.scalars(select(Goal).order_by(Goal.id)))


# --- the manager's part and confirmation ---------------------------------------------------


def test_the_manager_is_asked_in_a_dm_and_adds_specific_commitments(bot: Bot) -> None:
    draft_submitted(bot)
    asked = dm_messages(bot, "UMAYA")[-1]
    assert "<@UANA> has drafted a development plan" in asked["text"]
    press(bot, "UMAYA", "open_manager_modal", message=asked)
    body = submit(bot, "UMAYA", {"commitment1_text": "I will support your development"}).json()
    assert "Make it specific" in text_of_view(body["view"])
    assert plans_in(bot)[0].status == "awaiting_manager"
    manager_committed(bot, {"comment1": "Start with the p99 dashboards"})
    plan = plans_in(bot)[0]
    assert plan.status == "awaiting_engineer"
    told = dm_messages(bot, "UANA")[-1]
    assert "<@UMAYA> has added their commitments" in told["text"]
    assert "pair Ana with Priya" in json.dumps(told["blocks"])


def test_a_commitment_due_in_the_past_is_refused_next_to_its_date(bot: Bot) -> None:
    draft_submitted(bot)
    press(bot, "UMAYA", "open_manager_modal", message=dm_messages(bot, "UMAYA")[-1])
    errors = errors_of(submit(bot, "UMAYA", {**GOOD_COMMITMENTS, "commitment1_due": "2026-12-01"}))
    assert "has passed" in errors["commitment1_due"]


def test_confirming_makes_the_plan_active_and_tells_the_pair(bot: Bot) -> None:
    active_plan(bot)
    assert plans_in(bot)[0].status == "active"
    posted = pair_messages(bot, "UANA", "UMAYA")
    assert posted, "nothing was posted to the group DM of Ana and Maya"
    text = json.dumps(posted[0]["blocks"])
    assert "development plan is agreed" in text
    assert "protect Friday afternoons" in text


def test_the_engineer_can_edit_goals_before_confirming_and_the_manager_is_asked_again(
    bot: Bot,
) -> None:
    draft_submitted(bot)
    manager_committed(bot)
    press(bot, "UANA", "open_confirm_modal", message=dm_messages(bot, "UANA")[-1])
    press(bot, "UANA", "edit_draft", view=bot.fake.last_view("UANA"))
    pushed = bot.fake.last_view("UANA")
    assert pushed is not None and pushed["callback_id"] == "pdp_draft"
    changed = {"goal1_success": "Lead three sev-2 latency incidents as primary on-call"}
    assert "Maya Okafor will get your draft" in submit(bot, "UANA", changed).text
    plan = plans_in(bot)[0]
    assert plan.status == "awaiting_manager"
    assert len(dm_messages(bot, "UMAYA")) == 2


# --- concurrency ----------------------------------------------------------------------------


def test_a_draft_submitted_from_a_second_window_does_not_overwrite_the_first(bot: Bot) -> None:
    first = open_pdp(bot, "UANA")
    open_pdp(bot, "UANA")
    assert (
        "Maya Okafor will get your draft" in submit(bot, "UANA", GOOD_DRAFT).text
    )  # the second window
    answers = {**GOOD_DRAFT, "goal1_outcome": "Something else entirely, written in tab one"}
    stale = bot.slack.view_submission("UANA", first, input_values(first, answers))
    assert "changed since you opened it" in json.dumps(stale.json())
    assert [g.outcome for g in plans_in_with_goals(bot)] == [GOOD_DRAFT["goal1_outcome"]]


def test_the_managers_modal_is_refused_after_the_engineer_changed_the_plan(bot: Bot) -> None:
    draft_submitted(bot)
    press(bot, "UMAYA", "open_manager_modal", message=dm_messages(bot, "UMAYA")[-1])
    managers_view = bot.fake.last_view("UMAYA")
    open_pdp(bot, "UANA")
    submit(bot, "UANA", {"goal1_success": "Lead three sev-2 incidents"})
    assert managers_view is not None
    late = bot.slack.view_submission(
        "UMAYA", managers_view, input_values(managers_view, GOOD_COMMITMENTS)
    )
    assert "changed since you opened it" in json.dumps(late.json())
    assert plans_in(bot)[0].status == "awaiting_manager"


# --- review, reflection and next quarter ------------------------------------------------------


def test_a_monthly_review_is_logged_and_summarised_in_the_pairs_dm(bot: Bot) -> None:
    active_plan(bot)
    response = bot.slack.command("/pdp-review", "<@UANA|ana>", user="UMAYA")
    assert response.status == 200
    view = bot.fake.last_view("UMAYA")
    assert view is not None and view["callback_id"] == "pdp_review"
    text = text_of_view(view)
    assert "What got in the way?" in text
    assert "Have I delivered" in text
    goal_block = next(b["block_id"] for b in view["blocks"] if b["block_id"].startswith("progress"))
    delivered = next(b["block_id"] for b in view["blocks"] if b["block_id"].startswith("delivered"))
    answers = {
        goal_block: "on_track",
        delivered: "delivered",
        "done": "Led one latency incident with Priya shadowing",
        "blockers": "Release freeze",
    }
    assert "Review saved" in submit(bot, "UMAYA", answers).text
    with bot.uow() as uow:
        entry = uow.session.scalars(select(ReviewEntry)).one()
        assert entry.kind == "review" and entry.blockers == "Release freeze"
        plan = uow.session.scalars(select(Plan)).one()
        assert plan.goals[0].progress == "on_track"
        assert plan.commitments[0].status == "delivered"
    summary = pair_messages(bot, "UANA", "UMAYA")[-1]
    assert "recorded the review" in summary["text"]
    assert "Release freeze" in json.dumps(summary["blocks"])


def test_someone_who_is_not_the_manager_is_refused_without_learning_whether_a_plan_exists(
    bot: Bot,
) -> None:
    active_plan(bot)
    with_plan = bot.slack.command("/pdp-review", "<@UANA|ana>", user="UBEN").json()
    without_plan = bot.slack.command("/pdp-review", "<@UCHIDI|chidi>", user="UBEN").json()
    assert with_plan["response_type"] == "ephemeral"
    assert "people who report to you" in with_plan["text"]
    assert with_plan["text"].replace("UANA", "X") == without_plan["text"].replace("UCHIDI", "X")
    assert bot.fake.last_view("UBEN") is None


def test_pdp_review_without_a_person_explains_how_to_use_it(bot: Bot) -> None:
    body = bot.slack.command("/pdp-review", "ana please", user="UMAYA").json()
    assert "`/pdp-review @name`" in body["text"]


def test_the_engineer_cannot_open_the_managers_modal(bot: Bot) -> None:
    draft_submitted(bot)
    asked = dm_messages(bot, "UMAYA")[-1]
    response = press(bot, "UANA", "open_manager_modal", message=asked)
    assert response.status == 200
    refusal = bot.fake.calls_to("chat.postEphemeral")[-1]
    assert refusal.args["user"] == "UANA"
    assert "isn't something you can do" in refusal.args["text"]
    assert all(v.get("callback_id") != "pdp_manager" for v in bot.fake.views.values())


def test_the_reflection_closes_the_plan_and_next_quarter_starts_with_carried_goals(
    bot: Bot,
) -> None:
    active_plan(bot)
    bot.clock.now = datetime(2027, 3, 22, 17, 0, tzinfo=timezone.utc)  # the reflection's week
    plan_view = open_pdp(bot, "UANA")
    assert plan_view["callback_id"] == "pdp_view"
    press(bot, "UANA", "open_reflection", view=plan_view)
    reflection = bot.fake.last_view("UANA")
    assert reflection is not None and reflection["callback_id"] == "pdp_reflection"
    state = end_state_block(reflection)
    reflection["state"] = {"values": input_values(reflection, {state: "partly"})}
    bot.slack.block_action("UANA", "end_state", view=reflection, block_id=state, value="partly")
    answers = {state: "partly", "achieved": "Led one incident", "carry": "The second"}
    assert "The plan is closed" in submit(bot, "UANA", answers).text
    assert plans_in(bot)[0].status == "closed"
    closing = pair_messages(bot, "UANA", "UMAYA")[-1]
    assert "is closed" in closing["text"]
    press(bot, "UANA", "start_next_quarter", message=closing)
    draft = bot.fake.last_view("UANA")
    assert draft is not None and draft["callback_id"] == "pdp_draft"
    text = text_of_view(draft)
    assert "carried forward 1×" in text
    assert GOOD_DRAFT["goal1_outcome"] in text
    assert "📅 2027-04-01" in text  # next quarter
    assert "Goal setting *Thu 1 Apr 2027*" in text
    assert (
        "Maya Okafor will get your draft"
        in submit(bot, "UANA", {"goal1_target": "2027-06-18"}).text
    )
    with bot.uow() as uow:
        newest = uow.session.scalars(select(Plan).order_by(Plan.id.desc())).first()
        assert newest is not None and newest.previous_plan_id == plans_in(bot)[0].id
        assert newest.goals[0].carried_count == 1
        count = uow.session.scalar(select(func.count()).select_from(Plan))
        assert count == 2


# --- App Home --------------------------------------------------------------------------------


def test_app_home_shows_the_engineer_their_plan_and_the_manager_their_team(bot: Bot) -> None:
    active_plan(bot)
    bot.slack.event({"type": "app_home_opened", "user": "UANA", "tab": "home"})
    bot.slack.event({"type": "app_home_opened", "user": "UMAYA", "tab": "home"})
    engineer = text_of_view(bot.fake.views["home:UANA"])
    assert "diagnose production latency issues" in engineer
    assert "pair Ana with Priya" in engineer
    manager = text_of_view(bot.fake.views["home:UMAYA"])
    assert "Ana Ruiz" in manager
    assert "[Mark delivered]" in manager


def test_marking_a_commitment_delivered_from_app_home_updates_it(bot: Bot) -> None:
    active_plan(bot)
    bot.slack.event({"type": "app_home_opened", "user": "UMAYA", "tab": "home"})
    home = bot.fake.views["home:UMAYA"]
    button = next(
        b["accessory"]
        for b in home["blocks"]
        if b.get("accessory", {}).get("action_id", "").startswith("mark_delivered")
    )
    press(bot, "UMAYA", button["action_id"], view={**home, "id": home.get("id", "VHOME")})
    with bot.uow() as uow:
        plan = uow.session.scalars(select(Plan)).one()
        assert [c.status for c in plan.commitments].count("delivered") == 1
    assert text_of_view(bot.fake.views["home:UMAYA"]).count("[Mark delivered]") == 1


def test_confirming_a_plan_the_manager_changed_meanwhile_says_so_instead_of_closing(
    bot: Bot,
) -> None:
    draft_submitted(bot)
    manager_committed(bot)
    press(bot, "UANA", "open_confirm_modal", message=dm_messages(bot, "UANA")[-1])
    stale = bot.fake.last_view("UANA")
    press(bot, "UMAYA", "open_manager_modal", message=dm_messages(bot, "UMAYA")[0])
    submit(bot, "UMAYA", {**GOOD_COMMITMENTS, "commitment3_text": "I will fund the SRE course"})
    assert stale is not None
    body = bot.slack.view_submission("UANA", stale, {}).json()
    assert body["response_action"] == "update"
    assert "changed since you opened it" in json.dumps(body)
    assert plans_in(bot)[0].status == "awaiting_engineer"


def test_a_plan_becomes_active_even_when_slack_cannot_open_the_pairs_dm(bot: Bot) -> None:
    draft_submitted(bot)
    manager_committed(bot)
    press(bot, "UANA", "open_confirm_modal", message=dm_messages(bot, "UANA")[-1])
    bot.fake.fail_next("conversations.open", error="user_disabled")
    assert "Your plan is active" in submit(bot, "UANA").text
    assert plans_in(bot)[0].status == "active"


def review_modal(bot: Bot) -> dict[str, Any]:
    bot.slack.command("/pdp-review", "<@UANA|ana>", user="UMAYA")
    view = bot.fake.last_view("UMAYA")
    assert view is not None and view["callback_id"] == "pdp_review"
    return view


def test_the_same_review_submitted_twice_is_logged_once(bot: Bot) -> None:
    active_plan(bot)
    view = review_modal(bot)
    values = input_values(view, {"done": "Led one incident"})
    assert "Review saved" in bot.slack.view_submission("UMAYA", view, values).text
    again = bot.slack.view_submission("UMAYA", view, values)
    assert "changed since you opened it" in again.text
    with bot.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ReviewEntry)) == 1
    summaries = [
        m for m in pair_messages(bot, "UANA", "UMAYA") if "recorded the review" in m["text"]
    ]
    assert len(summaries) == 1


def test_a_review_opened_before_a_commitment_was_marked_delivered_cannot_undo_it(
    bot: Bot,
) -> None:
    active_plan(bot)
    stale = review_modal(bot)
    bot.slack.event({"type": "app_home_opened", "user": "UMAYA", "tab": "home"})
    home = bot.fake.views["home:UMAYA"]
    button = next(
        b["accessory"]["action_id"]
        for b in home["blocks"]
        if b.get("accessory", {}).get("action_id", "").startswith("mark_delivered")
    )
    press(bot, "UMAYA", button, view={**home, "id": home.get("id", "VHOME")})
    late = bot.slack.view_submission("UMAYA", stale, input_values(stale, {}))
    assert "changed since you opened it" in late.text
    with bot.uow() as uow:
        plan = uow.session.scalars(select(Plan)).one()
        assert [c.status for c in plan.commitments].count("delivered") == 1


def test_removing_a_goal_does_not_move_the_managers_comment_onto_another(bot: Bot) -> None:
    second = {
        "goal2_outcome": "Lead the billing migration design review and have it accepted",
        "goal2_success": "Accepted in one round",
        "goal2_target": "2027-03-05",
    }
    open_pdp(bot, "UANA")
    add_goals(bot, "UANA", 1)
    assert "Maya Okafor will get your draft" in submit(bot, "UANA", {**GOOD_DRAFT, **second}).text
    manager_committed(bot, {"comment1": "Comment for the latency goal"})
    open_pdp(bot, "UANA")  # the confirm modal: edit from it
    press(bot, "UANA", "edit_draft", view=bot.fake.last_view("UANA"))
    removed = {f"goal1_{f}": "" for f in ("outcome", "success", "how", "support")}
    assert (
        "Maya Okafor will get your draft"
        in submit(bot, "UANA", {**removed, "goal1_target": None}).text
    )
    goals = plans_in_with_goals(bot)
    assert [(g.outcome, g.manager_comment) for g in goals] == [(second["goal2_outcome"], "")]


def test_a_changed_review_date_outside_a_changed_period_is_flagged_next_to_that_date(
    bot: Bot,
) -> None:
    view = open_pdp(bot, "UANA")
    press(bot, "UANA", "change_dates", view=view)
    view = bot.fake.last_view("UANA")
    assert view is not None
    answers = {**GOOD_DRAFT, "period_start": "2027-02-01", "goal1_target": "2027-03-19"}
    view["state"] = {"values": input_values(view, answers)}
    bot.slack.block_action(
        "UANA", "value", view=view, block_id="period_start", selected_date="2027-02-01"
    )
    rebuilt = bot.fake.last_view("UANA")
    assert rebuilt is not None
    review_4 = next(b for b in rebuilt["blocks"] if b.get("block_id", "").startswith("review_4_"))
    assert review_4["element"]["initial_date"] == "2027-02-22"
    errors = errors_of(submit(bot, "UANA", {**answers, review_4["block_id"]: "2027-01-22"}))
    assert set(errors) == {review_4["block_id"]}
    assert "between Mon 1 Feb 2027 and Wed 31 Mar 2027" in errors[review_4["block_id"]]


def test_a_changed_review_date_in_the_past_or_out_of_order_is_refused(bot: Bot) -> None:
    press(bot, "UANA", "change_dates", view=open_pdp(bot, "UANA"))
    view = bot.fake.last_view("UANA")
    assert view is not None
    block = {
        b["label"]["text"]: b["block_id"]
        for b in view["blocks"]
        if b.get("block_id", "").startswith("review_")
    }
    past = {"period_start": "2027-01-01", block["Goal-setting conversation"]: "2027-01-02"}
    errors = errors_of(submit(bot, "UANA", {**GOOD_DRAFT, **past}))
    assert errors == {
        block[
            "Goal-setting conversation"
        ]: "That date has passed (today is Mon 4 Jan 2027). Pick a day still ahead."
    }
    swapped = {block["Second progress check"]: "2027-01-20"}
    errors = errors_of(submit(bot, "UANA", {**GOOD_DRAFT, **swapped}))
    assert "after the first progress check" in errors[block["Second progress check"]]
    assert plans_in(bot) == []


def test_two_windows_submitting_a_first_draft_at_once_make_one_plan(bot: Bot) -> None:
    from concurrent.futures import ThreadPoolExecutor

    windows = [open_pdp(bot, "UANA"), open_pdp(bot, "UANA")]
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(
            pool.map(
                lambda view: (
                    bot.slack.view_submission("UANA", view, input_values(view, GOOD_DRAFT)).text
                ),
                windows,
            )
        )
    assert sum("Maya Okafor will get your draft" in a for a in answers) == 1
    assert sum("changed since you opened it" in a for a in answers) == 1
    assert len(plans_in(bot)) == 1
    assert len(dm_messages(bot, "UMAYA")) == 1


def test_the_reflection_cannot_close_a_plan_before_week_12(bot: Bot) -> None:
    active_plan(bot)
    plan_view = open_pdp(bot, "UANA")
    assert "reflection" not in text_of_view(plan_view).lower()
    bot.slack.block_action(
        "UANA", "open_reflection", json.dumps({"plan_id": plans_in(bot)[0].id}), view=plan_view
    )
    refusal = bot.fake.calls_to("chat.postMessage")[-1].args
    assert refusal["channel"] == "UANA"  # from a modal there is no channel: the bot's DM
    assert "opens on Mon 22 Mar 2027" in refusal["text"]
    assert plans_in(bot)[0].status == "active"


def test_the_manager_is_told_when_their_report_has_no_plan_to_review(bot: Bot) -> None:
    active_plan(bot)
    bot.clock.now = datetime(2027, 3, 22, 17, 0, tzinfo=timezone.utc)
    press(bot, "UANA", "open_reflection", view=open_pdp(bot, "UANA"))
    state = end_state_block(bot.fake.last_view("UANA") or {})
    submit(bot, "UANA", {state: "achieved", "achieved": "Led two incidents"})
    body = bot.slack.command("/pdp-review", "<@UANA|ana>", user="UMAYA").json()
    assert "has no open development plan to review" in body["text"]
