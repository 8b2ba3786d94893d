"""The one authorization policy: who may see or change what. Pure; every listener asks it.

A subject is reduced to the people it belongs to: the engineer it is about and the manager
who holds it (a plan's manager; for confidential material, the manager who recorded it).
An actor holds roles towards a subject; each act names the roles that may do it. HR is a
role of the actor (a member of the private HR channel), never of the subject, and reaches
confidential material only once a formal process is open for that engineer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Act(StrEnum):
    # the PDP: the engineer's plan, co-created with their manager
    DRAFT_PLAN = "draft_plan"  # write or edit goals
    COMMENT_AS_MANAGER = "comment_as_manager"  # manager perspective, comments, commitments
    CONFIRM_PLAN = "confirm_plan"
    REVIEW_PLAN = "review_plan"  # /pdp-review
    REFLECT = "reflect"  # end-of-period reflection
    MARK_COMMITMENT = "mark_commitment"
    ANSWER_CHECKIN_AS_ENGINEER = "answer_checkin_as_engineer"
    ANSWER_CHECKIN_AS_MANAGER = "answer_checkin_as_manager"
    RESCHEDULE = "reschedule"
    # early intervention: the recording manager's private record
    RECORD_CONCERN = "record_concern"  # /pdp-concern: the engineer's current manager only
    VIEW_CONCERN = "view_concern"
    FOLLOW_UP_CONCERN = "follow_up_concern"  # resolved / another conversation / formal
    CLOSE_CONCERN = "close_concern"
    # how many early conversations an engineer had and when, never what was said: what the
    # manager opening a PIP (perhaps not the one who recorded them) and HR, once a PIP is
    # open, need to know. Its subject is the engineer with their current manager.
    COUNT_CONCERNS = "count_concerns"
    # the roster: someone says who their manager is; only the person named confirms or
    # declines. Its subject is the engineer with the manager they named.
    CONFIRM_MANAGER = "confirm_manager"
    # a PIP (the formal process): the engineer, their manager and HR; nobody else learns
    # that one exists. Its subject is confidential and escalated (HR is involved from the start).
    VIEW_PIP = "view_pip"
    OPEN_PIP = "open_pip"  # /pip @engineer, the plan, marking it opened: the manager only
    ACKNOWLEDGE_PIP = "acknowledge_pip"  # HR: acknowledge, or ask for changes
    AGREE_PIP = "agree_pip"  # the engineer: received, and each criterion agreed or commented
    CHECKPOINT_PIP = "checkpoint_pip"
    CLOSE_PIP = "close_pip"  # an outcome
    # HR's digest: ask the manager an item names to look at it (*Nudge the manager*)
    NUDGE_MANAGER = "nudge_manager"
    # HR's App Home: the calibration CSV and subject-access exports, starting the quarter's
    # cycle. Their subject is the whole team (team_subject): no engineer, no manager.
    EXPORT_HR_DATA = "export_hr_data"
    START_CYCLE = "start_cycle"


class Role(StrEnum):
    ENGINEER = "engineer"  # the person the subject is about
    MANAGER = "manager"  # the manager who holds it
    HR = "hr"  # a member of the private HR channel


@dataclass(frozen=True)
class Subject:
    """What is being acted on, reduced to whom it belongs to."""

    team_id: str
    engineer_id: int
    manager_id: int
    # Confidential material (early-intervention notes) is the holder's alone; HR reaches
    # what the act allows only once `escalated` (a formal process is open for the engineer).
    confidential: bool = False
    escalated: bool = False


@dataclass(frozen=True)
class Actor:
    team_id: str
    person_id: int
    is_bot: bool = False
    is_deleted: bool = False
    is_hr: bool = False  # a member of the private HR channel


ENGINEER, MANAGER, HR = Role.ENGINEER, Role.MANAGER, Role.HR

RULES: dict[Act, frozenset[Role]] = {
    Act.DRAFT_PLAN: frozenset({ENGINEER}),
    Act.CONFIRM_PLAN: frozenset({ENGINEER}),
    Act.ANSWER_CHECKIN_AS_ENGINEER: frozenset({ENGINEER}),
    Act.COMMENT_AS_MANAGER: frozenset({MANAGER}),
    Act.REVIEW_PLAN: frozenset({MANAGER}),
    Act.MARK_COMMITMENT: frozenset({MANAGER}),
    Act.ANSWER_CHECKIN_AS_MANAGER: frozenset({MANAGER}),
    Act.REFLECT: frozenset({ENGINEER}),  # the engineer writes it; the manager adds a perspective
    Act.RESCHEDULE: frozenset({ENGINEER, MANAGER}),
    Act.RECORD_CONCERN: frozenset({MANAGER}),
    # the guide: the documentation "is not shared with HR unless the situation escalates"
    Act.VIEW_CONCERN: frozenset({MANAGER, HR}),
    Act.FOLLOW_UP_CONCERN: frozenset({MANAGER}),
    Act.CLOSE_CONCERN: frozenset({MANAGER}),
    Act.COUNT_CONCERNS: frozenset({MANAGER, HR}),
    Act.CONFIRM_MANAGER: frozenset({MANAGER}),
    Act.VIEW_PIP: frozenset({ENGINEER, MANAGER, HR}),
    Act.OPEN_PIP: frozenset({MANAGER}),
    Act.ACKNOWLEDGE_PIP: frozenset({HR}),
    Act.AGREE_PIP: frozenset({ENGINEER}),
    Act.CHECKPOINT_PIP: frozenset({MANAGER}),
    Act.CLOSE_PIP: frozenset({MANAGER}),
    Act.NUDGE_MANAGER: frozenset({HR}),
    Act.EXPORT_HR_DATA: frozenset({HR}),
    Act.START_CYCLE: frozenset({HR}),
}


NOBODY = -1  # the person id of no one: a subject about the whole team


def team_subject(team_id: str) -> Subject:
    """The subject of an act on the whole team (HR's exports and cycles), about nobody."""
    return Subject(team_id, NOBODY, NOBODY)


def roles(actor: Actor, subject: Subject) -> frozenset[Role]:
    """What the actor is to the subject. Nobody manages themselves: the engineer is never
    the manager of their own subject, whatever the data says."""
    if actor.is_bot or actor.is_deleted or actor.team_id != subject.team_id:
        return frozenset()
    held: set[Role] = set()
    if actor.person_id == subject.engineer_id:
        held.add(ENGINEER)
    elif actor.person_id == subject.manager_id:
        held.add(MANAGER)
    hr_may_see = not subject.confidential or subject.escalated
    if actor.is_hr and actor.person_id != subject.engineer_id and hr_may_see:
        held.add(HR)
    return frozenset(held)


def allows(actor: Actor, act: Act, subject: Subject) -> bool:
    return bool(RULES[act] & roles(actor, subject))
