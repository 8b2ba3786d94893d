import ast
import re
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from jinja2 import nodes

import prompts
from bot.slack.ids import Action
from bot.slack.views import home
from bot.slack.views.home import (
    MARK_DELIVERED_ACTIONS,
    NEXT_PAGE,
    PAGE_ACTIONS,
    PREVIOUS_PAGE,
    REPORTS_PER_PAGE,
    CommitmentLine,
    CommitmentRef,
    GoalLine,
    HomeData,
    HomePage,
    OpenPlan,
    PlanSummary,
    ReportLine,
    build_home_view,
)
from prompts import environment

TODAY = date(2025, 2, 10)
PLAN_STATUSES = ["draft", "awaiting_manager", "awaiting_engineer", "active", "closed"]


def a_plan(**changes: Any) -> PlanSummary:
    fields: dict[str, Any] = {
        "plan_id": 7,
        "status": "active",
        "period_start": date(2025, 1, 1),
        "period_end": date(2025, 3, 31),
        "manager_name": "Maya Chen",
        "goals": [GoalLine("Run the payments incident review", "on_track", date(2025, 3, 14))],
        "commitments": [
            CommitmentLine(1, "Pair on two design reviews", date(2025, 2, 1), "pending")
        ],
        "next_review": date(2025, 2, 14),
        "last_review": date(2025, 1, 14),
    }
    return PlanSummary(**(fields | changes))


def a_report(i: int, **changes: Any) -> ReportLine:
    fields: dict[str, Any] = {
        "engineer_name": f"Engineer {i:02}",
        "engineer_user_id": f"U{i:04}",
        "plan_status": "active",
        "next_review": TODAY + timedelta(days=i % 20 + 1),
        "overdue_reviews": 0,
        "last_review": TODAY - timedelta(days=20),
        "goals_at_risk": 0,
    }
    return ReportLine(**(fields | changes))


def a_team(size: int) -> list[ReportLine]:
    statuses = [None, *PLAN_STATUSES]
    return [
        a_report(i, plan_status=statuses[i % 6], overdue_reviews=2 if i % 7 == 0 else 0)
        for i in range(size)
    ]


def promises(reports: list[ReportLine], each: int) -> list[CommitmentLine]:
    return [
        CommitmentLine(
            n * each + k, f"Promise {k} to {r.engineer_name}", TODAY, "pending", r.engineer_name
        )
        for n, r in enumerate(reports)
        for k in range(each)
    ]


def manager_home(reports: list[ReportLine], page: int = 0, **changes: Any) -> HomeData:
    fields: dict[str, Any] = {
        "today": TODAY,
        "name": "Sam",
        "own_plan": a_plan(),
        "is_manager": True,
        "reports": reports,
        "undelivered": promises(reports, 3),
        "page": page,
    }
    return HomeData(**(fields | changes))


def engineer_home(plan: PlanSummary | None) -> HomeData:
    return HomeData(TODAY, "Ann", plan, False, [], [])


def rendered(data: HomeData) -> dict[str, Any]:
    view = build_home_view(data).to_dict()  # slack_sdk validates Slack's limits here
    assert view["type"] == "home"
    assert len(view["blocks"]) <= 100
    return view


def all_text(node: Any) -> str:
    if isinstance(node, dict):
        own = [node["text"]] if isinstance(node.get("text"), str) else []
        return "\n".join(own + [all_text(v) for v in node.values() if not isinstance(v, str)])
    if isinstance(node, list):
        return "\n".join(all_text(item) for item in node)
    return ""


def elements(view: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for block in view["blocks"]:
        found += block.get("elements", []) if block["type"] == "actions" else []
        found += [block["accessory"]] if "accessory" in block else []
    return found


def buttons(view: dict[str, Any], action: re.Pattern[str] | str) -> list[dict[str, Any]]:
    pattern = action if isinstance(action, re.Pattern) else re.compile(re.escape(action) + "$")
    return [e for e in elements(view) if pattern.match(e["action_id"])]


def names_listed(view: dict[str, Any]) -> list[str]:
    return re.findall(r"\*(Engineer \d\d)\*", all_text(view))


def every_page(reports: list[ReportLine]) -> list[dict[str, Any]]:
    """Start on page 0 and press "Next ›" as a person would, until there is none."""
    views = [rendered(manager_home(reports))]
    while nexts := buttons(views[-1], NEXT_PAGE):
        page = HomePage.model_validate_json(nexts[0]["value"]).page
        views.append(rendered(manager_home(reports, page=page)))
    return views


@pytest.mark.parametrize("size", [0, 3, 40])
def test_a_manager_home_is_valid_block_kit_for_any_team_size(size: int) -> None:
    for view in every_page(a_team(size)):
        assert len(view["blocks"]) <= 100


def test_a_manager_with_no_reports_is_told_so_without_paging() -> None:
    view = rendered(manager_home([]))
    assert "No one reports to you" in all_text(view)
    assert buttons(view, PAGE_ACTIONS) == []


def test_three_reports_fit_on_one_page_with_a_summary_line() -> None:
    team = [
        a_report(1, overdue_reviews=1),
        a_report(2, plan_status=None),
        a_report(3),
    ]
    view = rendered(manager_home(team))
    text = all_text(view)
    assert "3 reports · *1 needing you now* · 1 with no plan" in text
    assert "Page" not in text
    assert buttons(view, PAGE_ACTIONS) == []


def test_every_page_together_lists_every_report_exactly_once() -> None:
    team = a_team(40)
    views = every_page(team)
    listed = [name for view in views for name in names_listed(view)]
    assert len(views) == -(-40 // REPORTS_PER_PAGE)
    assert Counter(listed) == Counter(r.engineer_name for r in team)
    assert f"Page 2 of {len(views)}" in all_text(views[1])


def test_reports_are_listed_most_urgent_first() -> None:
    team = [
        a_report(1, next_review=TODAY + timedelta(days=9)),
        a_report(2, next_review=TODAY + timedelta(days=3)),
        a_report(3, plan_status="awaiting_manager"),
        a_report(4, plan_status=None, next_review=None),
        a_report(5, overdue_reviews=1),
        a_report(6, overdue_reviews=3),
    ]
    expected = [f"Engineer {i:02}" for i in (6, 5, 4, 3, 2, 1)]
    assert names_listed(rendered(manager_home(team))) == expected


def test_overdue_reviews_are_bold_in_a_report_row() -> None:
    view = rendered(manager_home([a_report(1, overdue_reviews=2, goals_at_risk=1)]))
    assert "*⚠️ 2 overdue reviews*" in all_text(view)
    assert "1 goal at risk" in all_text(view)


def test_a_page_past_the_end_shows_the_last_page() -> None:
    team = a_team(REPORTS_PER_PAGE + 1)
    view = rendered(manager_home(team, page=99))
    assert len(names_listed(view)) == 1
    assert buttons(view, NEXT_PAGE) == []
    assert HomePage.model_validate_json(buttons(view, PREVIOUS_PAGE)[0]["value"]).page == 0


def test_the_fullest_possible_view_stays_within_slack_limits() -> None:
    goals = [GoalLine("g" * 3000, "at_risk", TODAY, 3)] * 5
    commitments = [CommitmentLine(i, "c" * 3000, TODAY, "pending") for i in range(8)]
    plan = a_plan(goals=goals, commitments=commitments, manager_name="M" * 500)
    team = [a_report(i, engineer_name="&" * 500) for i in range(REPORTS_PER_PAGE * 3)]
    undelivered = [CommitmentLine(i, "<" * 3000, TODAY, "pending", "&" * 500) for i in range(30)]
    data = manager_home(team, page=1, own_plan=plan, undelivered=undelivered, name="N" * 500)
    view = rendered(data)
    assert len(view["blocks"]) == 8 + 5 + REPORTS_PER_PAGE + 13


def test_an_engineer_with_no_plan_is_told_to_type_pdp() -> None:
    view = rendered(engineer_home(None))
    assert "`/pdp`" in all_text(view)
    [button] = buttons(view, Action.OPEN_PLAN)
    assert OpenPlan.model_validate_json(button["value"]).plan_id is None


def test_an_engineer_sees_no_team_or_promises() -> None:
    text = all_text(rendered(engineer_home(a_plan())))
    assert "Your team" not in text
    assert "What you promised" not in text


def test_a_plan_awaiting_the_manager_names_the_manager() -> None:
    text = all_text(rendered(engineer_home(a_plan(status="awaiting_manager"))))
    assert "Waiting for Maya Chen to refine the goals and add their commitments" in text


def test_the_own_plan_shows_period_goals_next_review_and_the_managers_commitments() -> None:
    text = all_text(rendered(engineer_home(a_plan())))
    assert "Wed 1 Jan 2025 – Mon 31 Mar 2025" in text
    assert "🟢 *On track* · target Fri 14 Mar 2025\nRun the payments incident review" in text
    assert "Next review *Fri 14 Feb 2025*" in text
    assert "*What Maya Chen committed to*" in text
    assert "• ⏳ Pair on two design reviews — ⚠️ was due Sat 1 Feb 2025" in text


def test_carried_forward_goals_are_marked_with_the_count() -> None:
    goals = [GoalLine("Mentor a new joiner", "not_started", None, carried_count=2)]
    text = all_text(rendered(engineer_home(a_plan(goals=goals))))
    assert "Carried forward 2×" in text


def test_goals_never_carried_are_not_marked() -> None:
    assert "Carried forward" not in all_text(rendered(engineer_home(a_plan())))


def test_a_3000_character_goal_outcome_is_cut_to_a_readable_line() -> None:
    goals = [GoalLine("word " * 600, "on_track", None)]
    view = rendered(engineer_home(a_plan(goals=goals)))
    line = next(t for t in all_text(view).splitlines() if t.startswith("word"))
    assert len(line) <= home.GOAL_CHARS
    assert line.endswith("word…")


def test_user_text_is_escaped_for_slack_and_never_cut_inside_an_entity() -> None:
    goals = [GoalLine("<b> & " * 100, "on_track", None)]
    text = all_text(rendered(engineer_home(a_plan(goals=goals, manager_name="A & B"))))
    assert "&lt;b&gt; &amp;" in text
    assert "What A &amp; B committed to" in text
    assert re.search(r"&[a-z]*…", text) is None


def test_only_ten_undelivered_commitments_show_oldest_due_first() -> None:
    undelivered = [
        CommitmentLine(i, f"Promise {i:02}", TODAY + timedelta(days=30 - i), "pending", "Ann")
        for i in range(13)
    ]
    view = rendered(manager_home([], undelivered=undelivered))
    shown = re.findall(r"Promise (\d\d)", all_text(view))
    assert shown == [f"{i:02}" for i in range(12, 2, -1)]
    assert "…and 3 more" in all_text(view)


def test_delivered_and_withdrawn_commitments_get_no_button() -> None:
    done = [
        CommitmentLine(1, "Done", TODAY, "delivered"),
        CommitmentLine(2, "No", None, "withdrawn"),
    ]
    view = rendered(manager_home([], undelivered=done))
    assert buttons(view, MARK_DELIVERED_ACTIONS) == []
    assert "Nothing outstanding" in all_text(view)


def test_mark_delivered_buttons_carry_a_commitment_ref() -> None:
    view = rendered(manager_home([], undelivered=promises([a_report(1)], 3)))
    refs = [
        CommitmentRef.model_validate_json(b["value"]) for b in buttons(view, MARK_DELIVERED_ACTIONS)
    ]
    assert refs == [CommitmentRef(commitment_id=i) for i in range(3)]
    assert MARK_DELIVERED_ACTIONS.match(Action.MARK_DELIVERED)


def test_paging_buttons_carry_a_home_page_the_listener_can_parse() -> None:
    view = rendered(manager_home(a_team(REPORTS_PER_PAGE * 3), page=1))
    [previous] = buttons(view, PREVIOUS_PAGE)
    [following] = buttons(view, NEXT_PAGE)
    assert HomePage.model_validate_json(previous["value"]) == HomePage(page=0)
    assert HomePage.model_validate_json(following["value"]) == HomePage(page=2)
    assert PAGE_ACTIONS.match(previous["action_id"])
    assert PAGE_ACTIONS.match(following["action_id"])


def test_the_open_plan_button_carries_the_plan_id() -> None:
    [button] = buttons(rendered(engineer_home(a_plan(plan_id=42))), Action.OPEN_PLAN)
    assert OpenPlan.model_validate_json(button["value"]) == OpenPlan(plan_id=42)


def test_action_ids_are_unique_within_each_view() -> None:
    for view in every_page(a_team(REPORTS_PER_PAGE * 3)):
        ids = [e["action_id"] for e in elements(view)]
        assert len(ids) == len(set(ids))


@pytest.mark.parametrize("status", PLAN_STATUSES)
@pytest.mark.parametrize("progress", ["not_started", "on_track", "at_risk", "done"])
def test_every_status_and_progress_renders(status: str, progress: str) -> None:
    lines = [
        CommitmentLine(1, "Pending, due today", TODAY, "pending"),
        CommitmentLine(2, "Pending, no date", None, "pending"),
        CommitmentLine(3, "Delivered", TODAY, "delivered"),
        CommitmentLine(4, "Withdrawn", None, "withdrawn"),
    ]
    plan = a_plan(
        status=status,
        goals=[GoalLine("Outcome", progress, None, 1)] * 4,
        commitments=lines * 2,
        next_review=TODAY - timedelta(days=1),
        last_review=None,
    )
    team = [a_report(i, plan_status=s, next_review=None) for i, s in enumerate([None, status])]
    rendered(manager_home(team, own_plan=plan))
    rendered(manager_home([], own_plan=a_plan(status=status, goals=[], commitments=[])))


def macros_defined() -> set[str]:
    tree = environment().parse((prompts.HERE / "views" / "home.j2").read_text())
    return {m.name for m in tree.find_all(nodes.Macro) if not m.name.startswith("_")}


def macros_called() -> set[str]:
    """Every `t.<macro>(...)` in the builder, where `t = _texts()` or `_texts().<macro>(...)`."""
    tree = ast.parse(Path(home.__file__).read_text())
    called = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            by_name = isinstance(owner, ast.Name) and owner.id == "t"
            direct = isinstance(owner, ast.Call) and getattr(owner.func, "id", "") == "_texts"
            if by_name or direct:
                called.add(node.func.attr)
    return called


def test_the_builder_uses_exactly_the_macros_of_its_template() -> None:
    assert macros_called() == macros_defined()


def test_an_hr_member_who_manages_a_full_team_with_pips_still_gets_a_view_within_100_blocks() -> (
    None
):
    from bot.domain import hr_digest as d
    from bot.slack.views import pip_home
    from bot.slack.views.hr_home import HrHome
    from bot.slack.views.hr_home import PipLine as HrPipLine

    goals = [GoalLine("g" * 3000, "at_risk", TODAY, 3)] * 5
    commitments = [CommitmentLine(i, "c" * 3000, TODAY, "pending") for i in range(8)]
    plan = a_plan(goals=goals, commitments=commitments)
    team = [a_report(i) for i in range(REPORTS_PER_PAGE * 3)]
    undelivered = [CommitmentLine(i, "x", TODAY, "pending", "E") for i in range(30)]
    who = d.Who(1, "U1", "Engineer")
    groups = tuple(
        (
            kind,
            tuple(
                d.Item(kind, f"{kind}:{n}", who, who, n, 1, TODAY, 50, 1, "n", ("x",))
                for n in range(40)
            ),
        )
        for kind in d.KINDS
    )
    own_pips = [
        pip_home.PipLine(n, "manager", "E", "M", "open", TODAY, 1, TODAY, 2, 2) for n in range(9)
    ]
    hr_pips = [HrPipLine(n, "E", "M", "open", TODAY, signals=("late",)) for n in range(20)]
    data = manager_home(team, own_plan=plan, undelivered=undelivered)
    data = replace(
        data,
        pips=own_pips,
        hr=HrHome(d.Digest(TODAY, groups), "CHR", pips=hr_pips, with_pips=True, periods=("Q",)),
    )
    view = rendered(data)
    assert len(view["blocks"]) <= 100
    text = all_text(view)
    assert "HR overview" in text and "Exports" in text and "Formal record" in text
