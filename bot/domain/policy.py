"""The one authorization policy: who may see or change what. Pure; every listener asks it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Act(StrEnum):
    DRAFT_PLAN = "draft_plan"  # write or edit goals
    COMMENT_AS_MANAGER = "comment_as_manager"  # manager perspective, comments, commitments
    CONFIRM_PLAN = "confirm_plan"
    REVIEW_PLAN = "review_plan"  # /pdp-review
    REFLECT = "reflect"  # end-of-period reflection
    MARK_COMMITMENT = "mark_commitment"
    ANSWER_CHECKIN_AS_ENGINEER = "answer_checkin_as_engineer"
    ANSWER_CHECKIN_AS_MANAGER = "answer_checkin_as_manager"
    RESCHEDULE = "reschedule"


@dataclass(frozen=True)
class Subject:
    """What is being acted on, reduced to who it belongs to."""

    team_id: str
    engineer_id: int
    manager_id: int


@dataclass(frozen=True)
class Actor:
    team_id: str
    person_id: int
    is_bot: bool = False


ENGINEER_ONLY = {
    Act.DRAFT_PLAN,
    Act.CONFIRM_PLAN,
    Act.ANSWER_CHECKIN_AS_ENGINEER,
    Act.REFLECT,  # the engineer writes it; the manager adds their perspective
}
MANAGER_ONLY = {
    Act.COMMENT_AS_MANAGER,
    Act.REVIEW_PLAN,
    Act.MARK_COMMITMENT,
    Act.ANSWER_CHECKIN_AS_MANAGER,
}
EITHER = {Act.RESCHEDULE}


def allows(actor: Actor, act: Act, subject: Subject) -> bool:
    if actor.is_bot or actor.team_id != subject.team_id:
        return False
    is_engineer = actor.person_id == subject.engineer_id
    is_manager = actor.person_id == subject.manager_id
    if act in ENGINEER_ONLY:
        return is_engineer
    if act in MANAGER_ONLY:
        return is_manager
    return is_engineer or is_manager
