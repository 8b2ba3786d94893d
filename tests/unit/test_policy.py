"""The one authorization policy, as a table of who may do what."""

from __future__ import annotations

import pytest

from bot.domain.policy import RULES, Act, Actor, Role, Subject, allows, roles

TEAM = "T1"
ENGINEER, MANAGER, OTHER_MANAGER, OTHER_ENGINEER, HR_MEMBER = 1, 2, 3, 4, 5

PLAN = Subject(TEAM, engineer_id=ENGINEER, manager_id=MANAGER)
CONCERN = Subject(TEAM, engineer_id=ENGINEER, manager_id=MANAGER, confidential=True)
ESCALATED = Subject(TEAM, ENGINEER, MANAGER, confidential=True, escalated=True)
CONCERN_ACTS = [Act.VIEW_CONCERN, Act.FOLLOW_UP_CONCERN, Act.CLOSE_CONCERN, Act.RECORD_CONCERN]


def person(person_id: int, **kwargs: bool) -> Actor:
    return Actor(TEAM, person_id, is_hr=person_id == HR_MEMBER, **kwargs)


def test_every_act_has_a_rule() -> None:
    assert set(RULES) == set(Act)


@pytest.mark.parametrize("act", CONCERN_ACTS)
def test_only_the_recording_manager_may_touch_a_concern(act: Act) -> None:
    allowed = {
        who
        for who in (ENGINEER, MANAGER, OTHER_MANAGER, OTHER_ENGINEER, HR_MEMBER)
        if allows(person(who), act, CONCERN)
    }

    assert allowed == {MANAGER}


def test_hr_sees_a_concern_and_its_count_only_once_a_formal_process_is_open() -> None:
    hr = person(HR_MEMBER)

    assert not allows(hr, Act.VIEW_CONCERN, CONCERN)
    assert not allows(hr, Act.COUNT_CONCERNS, CONCERN)
    assert allows(hr, Act.VIEW_CONCERN, ESCALATED)
    assert allows(hr, Act.COUNT_CONCERNS, ESCALATED)
    for act in (Act.FOLLOW_UP_CONCERN, Act.CLOSE_CONCERN, Act.RECORD_CONCERN):
        assert not allows(hr, act, ESCALATED)


def test_an_escalation_opens_nothing_to_the_engineer_or_other_managers() -> None:
    for who in (ENGINEER, OTHER_MANAGER, OTHER_ENGINEER):
        assert not any(allows(person(who), act, ESCALATED) for act in CONCERN_ACTS)


def test_an_hr_member_is_never_hr_for_their_own_record() -> None:
    engineer_in_hr = Actor(TEAM, ENGINEER, is_hr=True)

    assert roles(engineer_in_hr, ESCALATED) == {Role.ENGINEER}
    assert not allows(engineer_in_hr, Act.VIEW_CONCERN, ESCALATED)


def test_a_manager_who_is_also_in_hr_holds_both_roles_on_open_material() -> None:
    assert roles(Actor(TEAM, MANAGER, is_hr=True), PLAN) == {Role.MANAGER, Role.HR}


def test_nobody_manages_their_own_record_whatever_the_data_says() -> None:
    self_managed = Subject(TEAM, engineer_id=ENGINEER, manager_id=ENGINEER, confidential=True)

    assert not allows(person(ENGINEER), Act.RECORD_CONCERN, self_managed)
    assert not allows(person(ENGINEER), Act.REVIEW_PLAN, self_managed)


@pytest.mark.parametrize(
    "actor",
    [
        Actor(TEAM, MANAGER, is_bot=True),
        Actor(TEAM, MANAGER, is_deleted=True),
        Actor("T2", MANAGER),
    ],
    ids=["a bot", "a deactivated account", "another workspace"],
)
def test_bots_deactivated_accounts_and_other_workspaces_may_do_nothing(actor: Actor) -> None:
    assert not any(allows(actor, act, subject) for act in Act for subject in (PLAN, CONCERN))


@pytest.mark.parametrize(
    ("act", "who"),
    [
        (Act.DRAFT_PLAN, {ENGINEER}),
        (Act.CONFIRM_PLAN, {ENGINEER}),
        (Act.ANSWER_CHECKIN_AS_ENGINEER, {ENGINEER}),
        (Act.COMMENT_AS_MANAGER, {MANAGER}),
        (Act.REVIEW_PLAN, {MANAGER}),
        (Act.MARK_COMMITMENT, {MANAGER}),
        (Act.ANSWER_CHECKIN_AS_MANAGER, {MANAGER}),
        (Act.REFLECT, {ENGINEER}),
        (Act.RESCHEDULE, {ENGINEER, MANAGER}),
    ],
)
def test_plan_acts_belong_to_the_pair(act: Act, who: set[int]) -> None:
    everyone = (ENGINEER, MANAGER, OTHER_MANAGER, OTHER_ENGINEER, HR_MEMBER)

    assert {p for p in everyone if allows(person(p), act, PLAN)} == who
